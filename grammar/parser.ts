/**
 * The chevrotain grammar of the spec language (docs/language.md, "Grammar summary").
 *
 * A CstParser with error recovery: chevrotain inserts or deletes single tokens where that
 * repairs the input (a missing `;`), and otherwise re-syncs at the follow set of the failing
 * rule (the next `;`-terminated item, the closing `}` or the next declaration keyword), so every
 * syntax error of a file is reported and the rest of the file still parses. The CST is turned
 * into the AST by src/syntax/parse.ts.
 *
 * Deliberate differences from the EBNF, all re-checked when building the AST (where the error
 * can be precise):
 * - the file is one list of imports, families and declarations (their order is checked later);
 * - binary expressions are one flat list `unary { op unary }`, precedence is applied later
 *   (one rule instead of six nested ones keeps the CST small and the parser fast);
 * - an ioctl encoding is `NAME "(" expr "," expr [ "," type ] ")"` — the direction word and the
 *   legacy form's DIR argument are validated later;
 * - `returns NAME [ NAME ]` and the protocol transport are validated later;
 * - enum members take an optional `,` each; a missing `,` between members is reported later.
 *
 * Lists (the file, record bodies, enum bodies, clause blocks, protocol bodies) skip "junk" —
 * tokens that cannot start an item — before each item: the skipped run (up to and including
 * the next `;`, or up to the list's end) becomes one "expected a field, found …" error. A list
 * inside braces also ends where a new declaration clearly starts (`struct foo`, `const X`), so a
 * forgotten `}` is one error (chevrotain then inserts the `}`) rather than a cascade.
 */
import type { CstNode, IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from "chevrotain";
import { CstParser, EOF, tokenMatcher } from "./chevrotain.js";
import * as T from "./lexer.js";

function tokenLabel(t: TokenType): string {
  if (t === EOF) return "end of file";
  return t.LABEL ?? t.name;
}

/** How a found token is named in messages. */
export function describeToken(tok: IToken): string {
  if (tok.tokenType === EOF || Number.isNaN(tok.startOffset)) return "end of file";
  return JSON.stringify(tok.image);
}

/** What a rule is, for "expected a declaration, found …" messages. */
export const RULE_DESCRIPTIONS: Record<string, string> = {
  topItem: "a declaration (import, family, const, enum, flags, struct, union, type, fd, ioctl or protocol)",
  field: 'a field ("name: type;")',
  typeExpr: "a type",
  primary: "an expression",
  unaryExpr: "an expression",
  expr: "an expression",
  clause: "a clause (on, returns, value, error or number)",
  protocolItem: "a message or command",
  attrArg: "an attribute argument",
  attrValue: "an expression or a string",
  ioctlBody: '";" or a "{" clause block',
  messageBody: '";" or a "{" clause block',
  commandBody: '";" or a "{" clause block',
};

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${tokenLabel(expected)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected ${RULE_DESCRIPTIONS["topItem"]}, found ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const what = RULE_DESCRIPTIONS[ruleName] ?? firstTokensOf(expectedPathsPerAlt);
    return `expected ${what}, found ${describeToken(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const what = RULE_DESCRIPTIONS[ruleName] ?? firstTokensOf([expectedIterationPaths]);
    return `expected ${what}, found ${describeToken(actual[0]!)}`;
  },
};

function firstTokensOf(paths: TokenType[][][]): string {
  const labels = new Set<string>();
  for (const alt of paths) for (const path of alt) if (path[0]) labels.add(tokenLabel(path[0]));
  const list = [...labels];
  if (list.length <= 1) return list[0] ?? "something else";
  return `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
}

/** A list context for junk skipping. */
export type ListKind = "top" | "fields" | "members" | "clauses" | "protocolItems";

/** What an item of each list is, for "expected …, found …". */
export const LIST_ITEM: Record<ListKind, string> = {
  top: RULE_DESCRIPTIONS["topItem"]!,
  fields: RULE_DESCRIPTIONS["field"]!,
  members: "an enum member",
  clauses: RULE_DESCRIPTIONS["clause"]!,
  protocolItems: RULE_DESCRIPTIONS["protocolItem"]!,
};

/** A run of skipped tokens: reported as ABI002 by the AST builder. */
export interface JunkError {
  readonly kind: ListKind;
  readonly first: IToken;
  readonly last: IToken;
}

const DECL_KEYWORDS = [T.Import, T.Family, T.Const, T.Enum, T.Flags, T.Struct, T.Union, T.Type, T.Fd, T.Ioctl, T.Protocol];
const CLAUSE_KEYWORDS = [T.On, T.Returns, T.Value, T.ErrorKw, T.NumberKw];
const PROTOCOL_KEYWORDS = [T.Message, T.Command];

function isOneOf(tok: IToken, types: TokenType[]): boolean {
  const t = tok.tokenType;
  for (const x of types) if (t === x) return true;
  return false;
}

class AbiParser extends CstParser {
  junk: JunkError[] = [];
  /**
   * Alternatives and loop options, built on first use and reused: creating these objects and
   * closures on every rule call was a large share of the parse time (and of the GC).
   */
  private readonly cached: Record<number, any> = {};
  constructor(recoveryEnabled: boolean) {
    super(T.ALL_TOKENS, {
      recoveryEnabled,
      nodeLocationTracking: "onlyOffset",
      maxLookahead: 3,
      errorMessageProvider: messages,
    });
    this.performSelfAnalysis();
  }

  override reset(): void {
    super.reset();
    this.junk = [];
  }

  /** Does a new declaration clearly start here (a keyword followed by its name)? */
  private startsDecl(): boolean {
    const a = this.LA(1);
    if (!isOneOf(a, DECL_KEYWORDS)) return false;
    const b = this.LA(2);
    return tokenMatcher(b, T.Identifier) || (a.tokenType === T.Import && b.tokenType === T.StringLiteral);
  }

  private startsItem(kind: ListKind): boolean {
    const tok = this.LA(1);
    switch (kind) {
      case "top":
        return isOneOf(tok, DECL_KEYWORDS);
      case "fields":
      case "members":
        return tokenMatcher(tok, T.Identifier);
      case "clauses":
        return isOneOf(tok, CLAUSE_KEYWORDS);
      case "protocolItems":
        return isOneOf(tok, PROTOCOL_KEYWORDS);
    }
  }

  /** Has the list ended (EOF, its `}`, or a new declaration after a forgotten `}`)? */
  private listEnded(kind: ListKind): boolean {
    const tok = this.LA(1);
    if (tok.tokenType === EOF) return true;
    if (kind === "top") return false;
    return tok.tokenType === T.RCurly || this.startsDecl();
  }

  /**
   * Skips tokens that cannot start an item of the list, recording one error per run; then says
   * whether another item follows. Used as the list's MANY gate (gates only run while parsing,
   * never while chevrotain records the grammar).
   */
  private moreItems(kind: ListKind): boolean {
    while (!this.listEnded(kind) && !this.startsItem(kind)) {
      const first = this.LA(1);
      let last = first;
      const skip = (this as unknown as { SKIP_TOKEN(): IToken }).SKIP_TOKEN.bind(this);
      // A run ends after a `;` (or `,` between enum members) or where the list ends.
      for (;;) {
        const t = last.tokenType;
        skip();
        if (t === T.Semi || (kind === "members" && t === T.Comma)) break;
        if (this.listEnded(kind) || (kind === "top" && this.startsItem(kind))) break;
        last = this.LA(1);
      }
      this.junk.push({ kind, first, last });
    }
    return !this.listEnded(kind);
  }

  file = this.RULE("file", () => {
    this.MANY((this.cached[1] ??= { GATE: () => this.moreItems("top"), DEF: () => this.SUBRULE(this.topItem) }));
  });

  topItem = this.RULE("topItem", () => {
    this.OR((this.cached[2] ??= [
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.familyDecl) },
      { ALT: () => this.SUBRULE(this.constDecl) },
      { ALT: () => this.SUBRULE(this.enumDecl) },
      { ALT: () => this.SUBRULE(this.recordDecl) },
      { ALT: () => this.SUBRULE(this.aliasDecl) },
      { ALT: () => this.SUBRULE(this.fdDecl) },
      { ALT: () => this.SUBRULE(this.ioctlDecl) },
      { ALT: () => this.SUBRULE(this.protocolDecl) },
    ]));
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLiteral, { LABEL: "path" });
    this.CONSUME(T.Semi);
  });

  familyDecl = this.RULE("familyDecl", () => {
    this.CONSUME(T.Family);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.CONSUME(T.StringLiteral, { LABEL: "header" });
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(T.Semi);
  });

  constDecl = this.RULE("constDecl", () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeExpr);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(T.Semi);
  });

  enumDecl = this.RULE("enumDecl", () => {
    this.OR((this.cached[3] ??= [{ ALT: () => this.CONSUME(T.Enum, { LABEL: "flavor" }) }, { ALT: () => this.CONSUME(T.Flags, { LABEL: "flavor" }) }]));
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeExpr);
    });
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(T.LCurly);
    this.MANY2((this.cached[4] ??= {
      GATE: () => this.moreItems("members"),
      DEF: () => {
        this.SUBRULE(this.enumMember);
        this.OPTION2(() => this.CONSUME(T.Comma));
      },
    }));
    this.CONSUME(T.RCurly);
  });

  enumMember = this.RULE("enumMember", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expr);
    });
    this.MANY(() => this.SUBRULE(this.attribute));
  });

  recordDecl = this.RULE("recordDecl", () => {
    this.OR((this.cached[5] ??= [{ ALT: () => this.CONSUME(T.Struct, { LABEL: "record" }) }, { ALT: () => this.CONSUME(T.Union, { LABEL: "record" }) }]));
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.MANY(() => this.SUBRULE(this.attribute));
    this.SUBRULE(this.fieldBlock);
  });

  fieldBlock = this.RULE("fieldBlock", () => {
    this.CONSUME(T.LCurly);
    this.MANY((this.cached[6] ??= { GATE: () => this.moreItems("fields"), DEF: () => this.SUBRULE(this.field) }));
    this.CONSUME(T.RCurly);
  });

  field = this.RULE("field", () => {
    this.OR((this.cached[7] ??= [
      {
        // An anonymous member: `struct {` / `union @attr {`.
        GATE: () => {
          const t = this.LA(2).tokenType;
          return t === T.LCurly || t === T.At;
        },
        ALT: () => {
          this.SUBRULE(this.inlineRecord);
          this.MANY(() => this.SUBRULE(this.attribute));
          this.CONSUME(T.Semi);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: "name" });
          this.CONSUME(T.Colon);
          this.SUBRULE(this.typeExpr);
          this.MANY2(() => this.SUBRULE2(this.attribute));
          this.CONSUME2(T.Semi);
        },
      },
    ]));
  });

  typeExpr = this.RULE("typeExpr", () => {
    this.OR((this.cached[8] ??= {
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => {
            const t = this.LA(2).tokenType;
            return t === T.LCurly || t === T.At;
          },
          ALT: () => this.SUBRULE(this.inlineRecord),
        },
        { ALT: () => this.CONSUME(T.Identifier, { LABEL: "name" }) },
      ],
    }));
    this.MANY(() => this.SUBRULE(this.arraySuffix));
  });

  arraySuffix = this.RULE("arraySuffix", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => this.SUBRULE(this.expr));
    this.CONSUME(T.RBracket);
  });

  inlineRecord = this.RULE("inlineRecord", () => {
    this.OR((this.cached[9] ??= [{ ALT: () => this.CONSUME(T.Struct, { LABEL: "record" }) }, { ALT: () => this.CONSUME(T.Union, { LABEL: "record" }) }]));
    this.MANY(() => this.SUBRULE(this.attribute));
    this.SUBRULE(this.fieldBlock);
  });

  aliasDecl = this.RULE("aliasDecl", () => {
    this.CONSUME(T.Type);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.typeExpr);
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(T.Semi);
  });

  fdDecl = this.RULE("fdDecl", () => {
    this.CONSUME(T.Fd);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.CONSUME(T.StringLiteral, { LABEL: "path" });
    });
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(T.Semi);
  });

  ioctlDecl = this.RULE("ioctlDecl", () => {
    this.CONSUME(T.Ioctl);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.CONSUME2(T.Identifier, { LABEL: "dir" });
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expr, { LABEL: "first" });
    this.CONSUME(T.Comma);
    this.SUBRULE2(this.expr, { LABEL: "second" });
    this.OPTION(() => {
      this.CONSUME2(T.Comma);
      this.SUBRULE(this.typeExpr);
    });
    this.CONSUME(T.RParen);
    this.MANY(() => this.SUBRULE(this.attribute));
    this.SUBRULE(this.itemBody);
  });

  /** `;` or `{ clauses }` — the body of an ioctl, message or command. */
  itemBody = this.RULE("itemBody", () => {
    this.OR((this.cached[10] ??= [
      { ALT: () => this.CONSUME(T.Semi) },
      {
        ALT: () => {
          this.CONSUME(T.LCurly);
          this.MANY((this.cached[11] ??= { GATE: () => this.moreItems("clauses"), DEF: () => this.SUBRULE(this.clause) }));
          this.CONSUME(T.RCurly);
        },
      },
    ]));
  });

  clause = this.RULE("clause", () => {
    this.OR((this.cached[12] ??= [
      {
        ALT: () => {
          this.CONSUME(T.On);
          this.CONSUME(T.Identifier, { LABEL: "fd" });
          this.CONSUME(T.Semi);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Returns);
          this.CONSUME2(T.Identifier, { LABEL: "what" });
          this.OPTION(() => this.CONSUME3(T.Identifier, { LABEL: "fd" }));
          this.CONSUME2(T.Semi);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Value);
          this.SUBRULE(this.typeExpr);
          this.MANY(() => this.SUBRULE(this.attribute));
          this.CONSUME3(T.Semi);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.ErrorKw);
          this.CONSUME4(T.Identifier, { LABEL: "errno" });
          this.OPTION2(() => this.CONSUME(T.StringLiteral, { LABEL: "text" }));
          this.CONSUME4(T.Semi);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.NumberKw);
          this.CONSUME(T.LBracket);
          this.CONSUME5(T.Identifier, { LABEL: "target" });
          this.MANY2(() => {
            this.CONSUME(T.Comma);
            this.CONSUME6(T.Identifier, { LABEL: "target" });
          });
          this.CONSUME(T.RBracket);
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expr);
          this.CONSUME5(T.Semi);
        },
      },
    ]));
  });

  protocolDecl = this.RULE("protocolDecl", () => {
    this.CONSUME(T.Protocol);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.CONSUME2(T.Identifier, { LABEL: "transport" });
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(T.LCurly);
    this.MANY2((this.cached[13] ??= { GATE: () => this.moreItems("protocolItems"), DEF: () => this.SUBRULE(this.protocolItem) }));
    this.CONSUME(T.RCurly);
  });

  protocolItem = this.RULE("protocolItem", () => {
    this.OR((this.cached[14] ??= [{ ALT: () => this.SUBRULE(this.messageItem) }, { ALT: () => this.SUBRULE(this.commandItem) }]));
  });

  messageItem = this.RULE("messageItem", () => {
    this.CONSUME(T.Message);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.typeExpr, { LABEL: "request" });
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE2(this.typeExpr, { LABEL: "reply" });
    });
    this.MANY(() => this.SUBRULE(this.attribute));
    this.SUBRULE(this.itemBody);
  });

  commandItem = this.RULE("commandItem", () => {
    this.CONSUME(T.Command);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.CONSUME2(T.Identifier, { LABEL: "param" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.CONSUME3(T.Identifier, { LABEL: "param" });
      });
    });
    this.CONSUME(T.RParen);
    this.MANY2(() => this.SUBRULE(this.attribute));
    this.SUBRULE(this.itemBody);
  });

  attribute = this.RULE("attribute", () => {
    this.CONSUME(T.At);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.attrArg);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.attrArg);
        });
      });
      this.CONSUME(T.RParen);
    });
  });

  attrArg = this.RULE("attrArg", () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier, { LABEL: "key" });
      this.CONSUME(T.Equals);
    });
    this.OR((this.cached[15] ??= [{ ALT: () => this.CONSUME(T.StringLiteral, { LABEL: "string" }) }, { ALT: () => this.SUBRULE(this.expr) }]));
  });

  /** `unary { op unary }` — precedence is applied when building the AST. */
  expr = this.RULE("expr", () => {
    this.SUBRULE(this.unaryExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.BinaryOperator, { LABEL: "op" });
      this.SUBRULE2(this.unaryExpr, { LABEL: "operand" });
    });
  });

  unaryExpr = this.RULE("unaryExpr", () => {
    this.MANY(() => this.CONSUME(T.UnaryOperator, { LABEL: "op" }));
    this.SUBRULE(this.primary);
  });

  primary = this.RULE("primary", () => {
    this.OR((this.cached[16] ??= {
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.CONSUME(T.IntLiteral, { LABEL: "int" }) },
        { ALT: () => this.CONSUME(T.CharLiteral, { LABEL: "char" }) },
        {
          GATE: () => this.LA(2).tokenType === T.LParen,
          ALT: () => {
            this.OR2((this.cached[17] ??= [{ ALT: () => this.CONSUME(T.Sizeof, { LABEL: "sizeof" }) }, { ALT: () => this.CONSUME(T.Alignof, { LABEL: "sizeof" }) }]));
            this.CONSUME(T.LParen);
            this.SUBRULE(this.typeExpr);
            this.CONSUME(T.RParen);
          },
        },
        { ALT: () => this.CONSUME(T.Identifier, { LABEL: "name" }) },
        {
          ALT: () => {
            this.CONSUME2(T.LParen, { LABEL: "lparen" });
            this.SUBRULE(this.expr);
            this.CONSUME2(T.RParen, { LABEL: "rparen" });
          },
        },
      ],
    }));
  });
}

/**
 * Two instances of the one grammar, each built once and reused. Most files have no syntax
 * error, and chevrotain parses faster without error recovery (no re-sync bookkeeping, node
 * locations set once per rule instead of per token), so every file is parsed by the
 * non-recovering instance first. Only if that finds a problem is the file parsed again by the
 * recovering instance, whose tree and errors are the result: every diagnostic comes from the
 * recovering parse. On input without errors both build the same CST (recovery only acts where
 * a token does not fit), so the result does not depend on which one produced it. The
 * recovering instance is built on first use (chevrotain's self-analysis is the expensive part).
 */
const fastParser = new AbiParser(false);
let recoveringParser: AbiParser | undefined;

export interface ParseTokensResult {
  readonly cst: CstNode;
  readonly errors: IRecognitionException[];
  readonly junk: JunkError[];
}

function run(parser: AbiParser, tokens: IToken[]): ParseTokensResult {
  parser.input = tokens;
  const cst = parser.file();
  return { cst, errors: [...parser.errors], junk: [...parser.junk] };
}

export function parseTokens(tokens: IToken[]): ParseTokensResult {
  const fast = run(fastParser, tokens);
  if (fast.errors.length === 0 && fast.junk.length === 0) return fast;
  return run((recoveringParser ??= new AbiParser(true)), tokens);
}

/** The recovering parse alone, whatever the first pass finds (for tests of the two-pass scheme). */
export function parseTokensWithRecovery(tokens: IToken[]): ParseTokensResult {
  return run((recoveringParser ??= new AbiParser(true)), tokens);
}
