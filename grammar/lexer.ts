/**
 * Tokens of the abigen spec language and the lexer that produces them.
 *
 * Keywords are contextual: the lexer only knows `Identifier`; afterwards every identifier whose
 * text is a keyword is retyped to that keyword's token type. Each keyword type has `Identifier`
 * as its category, so the parser's `CONSUME(Identifier)` (a name) accepts keywords too, while
 * `CONSUME(Struct)` accepts only the keyword. Retyping after lexing is also cheaper than giving
 * the lexer thirty keyword patterns with `longer_alt`.
 *
 * Malformed input never stops the lexer: unterminated strings, characters and block comments
 * have their own token types, which `lex` turns into problems (ABI001) and drops from the token
 * stream; chevrotain skips characters no token matches and reports them as lexing errors, which
 * become ABI001 too. (A catch-all token would disable chevrotain's first-character
 * optimization and make lexing several times slower.)
 */
import type { IToken, TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });

function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({ name, pattern: Lexer.NA, categories: [Identifier], label: `"${word}"` });
}

export const Import = keyword("import");
export const Family = keyword("family");
export const Const = keyword("const");
export const Enum = keyword("enum");
export const Flags = keyword("flags");
export const Struct = keyword("struct");
export const Union = keyword("union");
export const Type = keyword("type");
export const Fd = keyword("fd");
export const Ioctl = keyword("ioctl");
export const Protocol = keyword("protocol");
export const Message = keyword("message");
export const Command = keyword("command");
export const On = keyword("on");
export const Returns = keyword("returns");
export const Value = keyword("value");
export const ErrorKw = createToken({ name: "ErrorKw", pattern: Lexer.NA, categories: [Identifier], label: '"error"' });
export const NumberKw = createToken({ name: "NumberKw", pattern: Lexer.NA, categories: [Identifier], label: '"number"' });
export const Sizeof = keyword("sizeof");
export const Alignof = keyword("alignof");

/** Keyword text → token type (used to retype identifiers after lexing). */
const KEYWORDS = new Map<string, TokenType>([
  ["import", Import],
  ["family", Family],
  ["const", Const],
  ["enum", Enum],
  ["flags", Flags],
  ["struct", Struct],
  ["union", Union],
  ["type", Type],
  ["fd", Fd],
  ["ioctl", Ioctl],
  ["protocol", Protocol],
  ["message", Message],
  ["command", Command],
  ["on", On],
  ["returns", Returns],
  ["value", Value],
  ["error", ErrorKw],
  ["number", NumberKw],
  ["sizeof", Sizeof],
  ["alignof", Alignof],
]);

// Comments: collected in the "comments" group, not passed to the parser.
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments", line_breaks: true });
const UnterminatedBlockComment = createToken({ name: "UnterminatedBlockComment", pattern: /\/\*[\s\S]*/, line_breaks: true });
const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED, line_breaks: true });

/**
 * Integers are lexed greedily (digits, letters, `_`) so that `0x1g` or `12abc` is one bad
 * literal with a clear message rather than a number followed by a surprising name.
 */
export const IntLiteral = createToken({ name: "IntLiteral", pattern: /[0-9][0-9A-Za-z_]*/, label: "an integer" });
export const CharLiteral = createToken({ name: "CharLiteral", pattern: /'(?:[^'\\\n\r]|\\[^\n\r])*'/, label: "a character" });
const UnterminatedChar = createToken({ name: "UnterminatedChar", pattern: /'(?:[^'\\\n\r]|\\[^\n\r])*\\?/ });
export const StringLiteral = createToken({ name: "StringLiteral", pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/, label: "a string" });
const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/ });

export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: '"->"' });
export const BinaryOperator = createToken({ name: "BinaryOperator", pattern: Lexer.NA, label: "an operator" });
/** Operators that may also be unary (`-x`, `+x`). */
export const UnaryOperator = createToken({ name: "UnaryOperator", pattern: Lexer.NA, label: "an operator" });
export const Shl = createToken({ name: "Shl", pattern: /<</, categories: [BinaryOperator], label: '"<<"' });
export const Shr = createToken({ name: "Shr", pattern: />>/, categories: [BinaryOperator], label: '">>"' });
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: [BinaryOperator, UnaryOperator], label: '"+"' });
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: [BinaryOperator, UnaryOperator], label: '"-"' });
export const Star = createToken({ name: "Star", pattern: /\*/, categories: [BinaryOperator], label: '"*"' });
export const Slash = createToken({ name: "Slash", pattern: /\//, categories: [BinaryOperator], label: '"/"' });
export const Percent = createToken({ name: "Percent", pattern: /%/, categories: [BinaryOperator], label: '"%"' });
export const Amp = createToken({ name: "Amp", pattern: /&/, categories: [BinaryOperator], label: '"&"' });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/, categories: [BinaryOperator], label: '"|"' });
export const Caret = createToken({ name: "Caret", pattern: /\^/, categories: [BinaryOperator], label: '"^"' });
export const Tilde = createToken({ name: "Tilde", pattern: /~/, categories: [UnaryOperator], label: '"~"' });
export const Bang = createToken({ name: "Bang", pattern: /!/, categories: [UnaryOperator], label: '"!"' });

export const LCurly = createToken({ name: "LCurly", pattern: /\{/, label: '"{"' });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/, label: '"}"' });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: '"("' });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: '")"' });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: '"["' });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: '"]"' });
export const Semi = createToken({ name: "Semi", pattern: /;/, label: '";"' });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: '":"' });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: '","' });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: '"="' });
export const At = createToken({ name: "At", pattern: /@/, label: '"@"' });


const LEXER_TOKENS: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  IntLiteral,
  CharLiteral,
  UnterminatedChar,
  StringLiteral,
  UnterminatedString,
  Identifier,
  Arrow,
  Shl,
  Shr,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Amp,
  Pipe,
  Caret,
  Tilde,
  Bang,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Semi,
  Colon,
  Comma,
  Equals,
  At,
];

/** Every token type the parser may see (the lexer's plus keywords and categories). */
export const ALL_TOKENS: TokenType[] = [
  ...LEXER_TOKENS,
  ...KEYWORDS.values(),
  BinaryOperator,
  UnaryOperator,
];

const lexerInstance = new Lexer(LEXER_TOKENS, {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
});

/** A problem found while lexing: reported as ABI001 by the caller. */
export interface LexProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly hint: string;
}

export interface LexResult {
  /** Tokens for the parser: no comments, no whitespace, no bad tokens. */
  readonly tokens: IToken[];
  /** Line and block comments in source order. */
  readonly comments: IToken[];
  readonly problems: LexProblem[];
}

export function lex(text: string): LexResult {
  const result = lexerInstance.tokenize(text);
  const problems: LexProblem[] = [];
  const tokens: IToken[] = [];
  for (const tok of result.tokens) {
    const type = tok.tokenType;
    if (type === UnterminatedString) {
      problems.push(unterminated(tok, "string literal", '"'));
    } else if (type === UnterminatedChar) {
      problems.push(unterminated(tok, "character literal", "'"));
    } else if (type === UnterminatedBlockComment) {
      problems.push({
        start: tok.startOffset,
        end: tok.startOffset + 2,
        message: "unterminated block comment",
        hint: "close the comment with */",
      });
    } else {
      // "onlyOffset" tracking leaves endOffset unset; CST node locations are built from it.
      tok.endOffset = tok.startOffset + tok.image.length - 1;
      if (type === Identifier) {
        const kw = KEYWORDS.get(tok.image);
        if (kw) {
          tok.tokenType = kw;
          tok.tokenTypeIdx = kw.tokenTypeIdx!;
        }
      }
      tokens.push(tok);
    }
  }
  // Characters no token matches: chevrotain skips each run of them and reports it.
  for (const e of result.errors) {
    const bad = text.slice(e.offset, e.offset + e.length);
    const chars = [...bad].length === 1 ? "character" : "characters";
    problems.push({
      start: e.offset,
      end: e.offset + e.length,
      message: `unexpected ${chars} ${JSON.stringify(bad)}`,
      hint: "remove it; names are [A-Za-z_][A-Za-z0-9_]* and strings are written in double quotes",
    });
  }
  problems.sort((a, b) => a.start - b.start);
  return { tokens, comments: result.groups["comments"] ?? [], problems };
}

function unterminated(tok: IToken, what: string, quote: string): LexProblem {
  return {
    start: tok.startOffset,
    end: tok.startOffset + tok.image.length,
    message: `unterminated ${what}`,
    hint: `close it with ${quote} on the same line`,
  };
}
