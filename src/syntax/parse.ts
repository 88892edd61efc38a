/**
 * Source text → syntax tree: lexing (grammar/lexer.ts), parsing with error recovery
 * (grammar/parser.ts) and the CST → AST conversion with comment attachment.
 *
 * Never throws. Lexical problems are ABI001, syntax errors ABI002, all of them reported (the
 * parser recovers); nodes that could not be built are left out of the tree.
 */
import type { CstElement, CstNode, IRecognitionException, IToken } from "chevrotain";
import { lex } from "../../grammar/lexer.js";
import { decodeChar, decodeInt, decodeString, type Decoded } from "../../grammar/literals.js";
import { describeToken, LIST_ITEM, parseTokens, type JunkError } from "../../grammar/parser.js";
import type { Diagnostics } from "../diagnostics/diagnostic.js";
import type * as A from "./ast.js";
import { CommentCursor, splitDoc } from "./comments.js";
import { PRECEDENCE } from "./precedence.js";
import { locOf, type Source, type Span } from "./source.js";

export function parseSource(source: Source, diags: Diagnostics): A.FileNode {
  try {
    return new Builder(source, diags).build();
  } catch (e) {
    // A bug in the builder must not take the whole toolchain down; say so and go on empty.
    diags.report("ABI002", {
      message: `internal parser error: ${e instanceof Error ? e.message : String(e)}`,
      hint: "this is a bug in abigen; please report it with the file that triggers it",
      loc: locOf(source, { start: 0, end: 0 }),
    });
    return { kind: "File", source, imports: [], decls: [], danglingComments: [], span: { start: 0, end: source.text.length } };
  }
}

/** What each rule is, in the hint of a syntax error inside it. */
const RULE_HINTS: Record<string, string> = {
  file: "a file is: imports, then the family line, then declarations",
  topItem: "a declaration starts with import, family, const, enum, flags, struct, union, type, fd, ioctl or protocol",
  importDecl: 'write an import as: import "other.abi";',
  familyDecl: 'write the family as: family NAME = "linux/name.h";',
  constDecl: "write a constant as: const NAME = expr; or const NAME: u32 = expr;",
  enumDecl: "write an enum as: enum NAME: u32 { A = 1, B, } (flags the same way)",
  enumMember: "write a member as: NAME, or NAME = expr, (attributes after it)",
  recordDecl: "write a record as: struct NAME { field: type; … }",
  fieldBlock: "a record body is a list of fields, each ending with ;",
  field: "write a field as: name: type @attrs; (or an anonymous member: union { … };)",
  typeExpr: "a type is a name (u32, a struct…) or struct { … } / union { … }, optionally followed by [N] or []",
  arraySuffix: "write an array as T[N] (or T[] for a flexible array member)",
  inlineRecord: "write an anonymous record as: struct { field: type; … }",
  aliasDecl: "write an alias as: type NAME = T;",
  fdDecl: 'write an fd kind as: fd NAME; or fd NAME = "/dev/path";',
  ioctlDecl: "write an ioctl as: ioctl NAME = write(TYPE, NR, ARG) { clauses } (or end it with ;)",
  itemBody: "end it with ; or give a { … } block of clauses",
  clause: 'clauses are: on K; returns zero|count|value|fd K; value T; error ENAME "when"; number[targets] = N;',
  protocolDecl: "write a protocol as: protocol NAME = pipe|socket|text { message …; command …; }",
  protocolItem: "a protocol holds messages (message M = Req -> Reply;) and commands (command c(arg);)",
  messageItem: "write a message as: message NAME = Request -> Reply;",
  commandItem: "write a command as: command NAME(param, …);",
  attribute: "write attributes as: @name or @name(arg, key = arg)",
  attrArg: "an attribute argument is an expression or a string, optionally key = …",
  expr: "an expression is built from integers, 'c' characters, constant names, ( ), sizeof(T), alignof(T) and C operators",
  unaryExpr: "an expression is built from integers, 'c' characters, constant names, ( ), sizeof(T), alignof(T) and C operators",
  primary: "an expression is built from integers, 'c' characters, constant names, ( ), sizeof(T), alignof(T) and C operators",
};

const JUNK_HINTS: Record<JunkError["kind"], string> = {
  top: RULE_HINTS["topItem"]!,
  fields: RULE_HINTS["field"]!,
  members: RULE_HINTS["enumMember"]!,
  clauses: RULE_HINTS["clause"]!,
  protocolItems: RULE_HINTS["protocolItem"]!,
};

const DIRS = new Set(["none", "read", "write", "readwrite"]);
const RETURNS = new Set(["zero", "count", "value", "fd"]);
const TRANSPORTS = new Set(["pipe", "socket", "text"]);

function isToken(e: CstElement | undefined): e is IToken {
  return e !== undefined && "image" in e;
}

/** A token the input really has (not one chevrotain inserted while recovering). */
function realToken(n: CstNode, key: string, i = 0): IToken | undefined {
  const t = n.children[key]?.[i];
  if (!isToken(t) || t.isInsertedInRecovery || Number.isNaN(t.startOffset)) return undefined;
  return t;
}

function tokens(n: CstNode, key: string): IToken[] {
  return ((n.children[key] ?? []) as IToken[]).filter((t) => !t.isInsertedInRecovery && !Number.isNaN(t.startOffset));
}

function child(n: CstNode, key: string): CstNode | undefined {
  const c = n.children[key]?.[0];
  return c === undefined || isToken(c) ? undefined : c;
}

function children(n: CstNode, key: string): CstNode[] {
  return (n.children[key] ?? []) as CstNode[];
}

function tokSpan(t: IToken): Span {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

function nodeSpan(n: CstNode): Span | undefined {
  const l = n.location;
  if (!l || Number.isNaN(l.startOffset) || l.endOffset === undefined || Number.isNaN(l.endOffset)) return undefined;
  return { start: l.startOffset, end: l.endOffset + 1 };
}

class Builder {
  private readonly text: string;
  private readonly tokenStarts: number[] = [];
  private cursor!: CommentCursor;
  /** Comments inside the item being built that no nested list claimed. */
  private sink: A.Comment[] = [];
  /** Offsets where a syntax error was already reported (one error per spot). */
  private readonly errorAt = new Set<number>();

  constructor(
    private readonly source: Source,
    private readonly diags: Diagnostics,
  ) {
    this.text = source.text;
  }

  build(): A.FileNode {
    const lexed = lex(this.text);
    for (const p of lexed.problems) this.report("ABI001", p, p.message, p.hint);
    for (const t of lexed.tokens) this.tokenStarts.push(t.startOffset);
    const comments: A.Comment[] = lexed.comments.map((t) => ({
      text: t.image,
      span: tokSpan(t),
      block: t.image.startsWith("/*"),
    }));
    this.cursor = new CommentCursor(this.text, comments);

    const { cst, errors, junk } = parseTokens(lexed.tokens);
    this.reportParseErrors(errors, junk);
    return this.file(cst);
  }

  // -------------------------------------------------------------------------------------------
  // Diagnostics

  private report(code: "ABI001" | "ABI002", span: Span, message: string, hint: string): void {
    this.diags.report(code, { message, hint, loc: locOf(this.source, { start: span.start, end: span.end }) });
  }

  private syntaxError(span: Span, message: string, hint: string): void {
    if (this.errorAt.has(span.start)) return;
    this.errorAt.add(span.start);
    this.report("ABI002", span, message, hint);
  }

  private reportParseErrors(errors: IRecognitionException[], junk: JunkError[]): void {
    const end = this.text.length;
    for (const e of errors) {
      const t = e.token;
      const span = Number.isNaN(t.startOffset) || t.tokenType.name === "EOF" ? { start: end, end } : tokSpan(t);
      const rule = e.context.ruleStack[e.context.ruleStack.length - 1] ?? "file";
      this.syntaxError(span, e.message, RULE_HINTS[rule] ?? RULE_HINTS["file"]!);
    }
    for (const j of junk) {
      const span = { start: j.first.startOffset, end: j.last.startOffset + j.last.image.length };
      this.syntaxError(span, `expected ${LIST_ITEM[j.kind]}, found ${describeToken(j.first)}`, JUNK_HINTS[j.kind]);
    }
  }

  private decoded<T>(tok: IToken, r: Decoded<T>): T | undefined {
    if (r.ok) return r.value;
    const s = tok.startOffset;
    this.report("ABI001", { start: s + r.problem.start, end: s + r.problem.end }, r.problem.message, r.problem.hint);
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Comments

  private nextTokenStart(offset: number): number {
    const a = this.tokenStarts;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < a.length ? a[lo]! : Infinity;
  }

  /**
   * Builds one list item (declaration, field, member, clause, protocol item) and gives it its
   * comments: see src/syntax/comments.ts.
   */
  private item<N extends A.Commented & { readonly span: Span }>(
    cst: CstNode,
    build: (span: Span) => N | undefined,
    allowDoc = true,
    commaSeparated = false,
  ): N | undefined {
    const span = nodeSpan(cst);
    if (!span) return undefined;
    const before = this.cursor.takeBefore(span.start);
    const outer = this.sink;
    this.sink = [];
    const node = build(span);
    this.sink.push(...this.cursor.takeBefore(span.end));
    const inner = this.sink;
    this.sink = outer;
    if (!node) {
      // Keep the comments of a dropped item with its parent.
      outer.push(...before, ...inner);
      return undefined;
    }
    const { leading, doc } = allowDoc ? splitDoc(this.text, before, span.start) : { leading: before, doc: undefined };
    node.leading = inner.length ? [...leading, ...inner] : leading;
    // An enum member's trailing comment comes after its comma: `A = 1, // why`.
    let end = span.end;
    const next = this.nextTokenStart(end);
    if (commaSeparated && this.text[next] === ",") end = next + 1;
    const trailing = this.cursor.takeTrailing(end, this.nextTokenStart(end));
    if (trailing) node.trailing = trailing;
    if (doc) (node as { doc?: A.Doc }).doc = doc;
    return node;
  }

  /** Comments before a block's `{` belong to the item; those before its `}` dangle in it. */
  private openBlock(lcurly: IToken | undefined): void {
    if (lcurly) this.sink.push(...this.cursor.takeBefore(lcurly.startOffset));
  }

  private closeBlock(rcurly: IToken | undefined): A.Comment[] {
    return rcurly ? this.cursor.takeBefore(rcurly.startOffset) : [];
  }

  // -------------------------------------------------------------------------------------------
  // File and declarations

  private file(cst: CstNode): A.FileNode {
    const imports: A.ImportDecl[] = [];
    const decls: A.Decl[] = [];
    let family: A.FamilyDecl | undefined;
    const orphans: A.Comment[] = [];
    this.sink = orphans;
    for (const top of children(cst, "topItem")) {
      const [key, nodes] = Object.entries(top.children)[0] ?? [];
      const n = nodes?.[0];
      if (!key || !n || isToken(n)) continue;
      if (key === "importDecl") {
        const d = this.importDecl(n);
        if (!d) continue;
        if (family || decls.length) {
          this.syntaxError(d.span, "imports must come first in a file", "move the import above the family line and the declarations");
        }
        imports.push(d);
      } else if (key === "familyDecl") {
        const d = this.familyDecl(n);
        if (!d) continue;
        if (family) {
          this.syntaxError(d.span, "a file declares one family", `this file already declares family ${family.name.name}; put other families in their own files`);
        } else {
          if (decls.length) this.syntaxError(d.span, "the family line must come before the declarations", "move it up, right after the imports");
          family = d;
        }
      } else {
        const d = this.decl(key, n);
        if (d) decls.push(d);
      }
    }
    const danglingComments = [...orphans, ...this.cursor.rest()];
    this.sink = [];
    return { kind: "File", source: this.source, imports, ...(family ? { family } : {}), decls, danglingComments, span: { start: 0, end: this.text.length } };
  }

  private decl(key: string, n: CstNode): A.Decl | undefined {
    switch (key) {
      case "constDecl":
        return this.constDecl(n);
      case "enumDecl":
        return this.enumDecl(n);
      case "recordDecl":
        return this.recordDecl(n);
      case "aliasDecl":
        return this.aliasDecl(n);
      case "fdDecl":
        return this.fdDecl(n);
      case "ioctlDecl":
        return this.ioctlDecl(n);
      case "protocolDecl":
        return this.protocolDecl(n);
    }
    return undefined;
  }

  private importDecl(n: CstNode): A.ImportDecl | undefined {
    return this.item(
      n,
      (span) => {
        const path = this.string(realToken(n, "path"));
        return path && { kind: "Import", path, span, leading: [] };
      },
      false,
    );
  }

  private familyDecl(n: CstNode): A.FamilyDecl | undefined {
    return this.item(n, (span) => {
      const name = this.ident(realToken(n, "name"));
      const header = this.string(realToken(n, "header"));
      if (!name || !header) return undefined;
      return { kind: "Family", name, header, attrs: this.attrs(n), span, leading: [] };
    });
  }

  private constDecl(n: CstNode): A.ConstDecl | undefined {
    return this.item(n, (span) => {
      const name = this.ident(realToken(n, "name"));
      const typeNode = child(n, "typeExpr");
      const type = typeNode && this.typeExpr(typeNode);
      const valueNode = child(n, "expr");
      const value = valueNode && this.expr(valueNode);
      const attrs = this.attrs(n);
      if (!name || !value || (typeNode && !type)) return undefined;
      return { kind: "Const", name, ...(type ? { type } : {}), value, attrs, span, leading: [] };
    });
  }

  private enumDecl(n: CstNode): A.EnumDecl | undefined {
    return this.item(n, (span) => {
      const flavor = realToken(n, "flavor")?.image as "enum" | "flags" | undefined;
      const name = this.ident(realToken(n, "name"));
      const baseNode = child(n, "typeExpr");
      const base = baseNode && this.typeExpr(baseNode);
      const attrs = this.attrs(n);
      this.openBlock(realToken(n, "LCurly"));
      const members: A.EnumMember[] = [];
      const memberNodes = children(n, "enumMember");
      const commas = tokens(n, "Comma").map((t) => t.startOffset);
      memberNodes.forEach((m, i) => {
        const member = this.enumMember(m);
        if (member) members.push(member);
        // Members are separated by commas (the grammar takes each comma as optional).
        const next = memberNodes[i + 1];
        const here = nodeSpan(m);
        const there = next && nodeSpan(next);
        if (here && there && !commas.some((c) => c >= here.end && c < there.start)) {
          const found = realToken(next, "name");
          this.syntaxError(
            there,
            `expected "," or "}", found ${found ? JSON.stringify(found.image) : "a member"}`,
            "separate enum members with commas: A = 1, B,",
          );
        }
      });
      const danglingComments = this.closeBlock(realToken(n, "RCurly"));
      if (!flavor || !name || (baseNode && !base)) return undefined;
      return { kind: "Enum", flavor, name, ...(base ? { base } : {}), members, danglingComments, attrs, span, leading: [] };
    });
  }

  private enumMember(n: CstNode): A.EnumMember | undefined {
    return this.item(n, (span) => {
      const name = this.ident(realToken(n, "name"));
      const valueNode = child(n, "expr");
      const value = valueNode && this.expr(valueNode);
      const attrs = this.attrs(n);
      if (!name || (valueNode && !value)) return undefined;
      return { kind: "EnumMember", name, ...(value ? { value } : {}), attrs, span, leading: [] };
    }, true, true);
  }

  private recordDecl(n: CstNode): A.RecordDecl | undefined {
    return this.item(n, (span) => {
      const record = realToken(n, "record")?.image as "struct" | "union" | undefined;
      const name = this.ident(realToken(n, "name"));
      const attrs = this.attrs(n);
      const block = child(n, "fieldBlock");
      const body = block && this.fieldBlock(block);
      if (!record || !name || !body) return undefined;
      return { kind: "Record", record, name, fields: body.fields, danglingComments: body.dangling, attrs, span, leading: [] };
    });
  }

  private fieldBlock(n: CstNode): { fields: A.Field[]; dangling: A.Comment[] } {
    this.openBlock(realToken(n, "LCurly"));
    const fields: A.Field[] = [];
    for (const f of children(n, "field")) {
      const field = this.field(f);
      if (field) fields.push(field);
    }
    return { fields, dangling: this.closeBlock(realToken(n, "RCurly")) };
  }

  private field(n: CstNode): A.Field | undefined {
    return this.item(n, (span) => {
      const inline = child(n, "inlineRecord");
      if (inline) {
        const type = this.inlineRecord(inline);
        const attrs = this.attrs(n);
        return type && { kind: "Field", type, attrs, span, leading: [] };
      }
      const name = this.ident(realToken(n, "name"));
      const typeNode = child(n, "typeExpr");
      const type = typeNode && this.typeExpr(typeNode);
      const attrs = this.attrs(n);
      if (!name || !type) return undefined;
      return { kind: "Field", name, type, attrs, span, leading: [] };
    });
  }

  private aliasDecl(n: CstNode): A.TypeAliasDecl | undefined {
    return this.item(n, (span) => {
      const name = this.ident(realToken(n, "name"));
      const typeNode = child(n, "typeExpr");
      const type = typeNode && this.typeExpr(typeNode);
      const attrs = this.attrs(n);
      if (!name || !type) return undefined;
      return { kind: "TypeAlias", name, type, attrs, span, leading: [] };
    });
  }

  private fdDecl(n: CstNode): A.FdDecl | undefined {
    return this.item(n, (span) => {
      const name = this.ident(realToken(n, "name"));
      const pathTok = realToken(n, "path");
      const path = pathTok && this.string(pathTok);
      const attrs = this.attrs(n);
      if (!name || (pathTok && !path)) return undefined;
      return { kind: "Fd", name, ...(path ? { path } : {}), attrs, span, leading: [] };
    });
  }

  private ioctlDecl(n: CstNode): A.IoctlDecl | undefined {
    return this.item(n, (span) => {
      const name = this.ident(realToken(n, "name"));
      const dirTok = realToken(n, "dir");
      const firstNode = child(n, "first");
      const secondNode = child(n, "second");
      const first = firstNode && this.expr(firstNode);
      const second = secondNode && this.expr(secondNode);
      const argNode = child(n, "typeExpr");
      const arg = argNode && this.typeExpr(argNode);
      const attrs = this.attrs(n);
      const bodyNode = child(n, "itemBody");
      const body = bodyNode ? this.itemBody(bodyNode) : { clauses: [], dangling: [] };
      if (!name || !dirTok || !first || !second || (argNode && !arg)) return undefined;
      const common = { name, ...(arg ? { arg } : {}), clauses: body.clauses, danglingComments: body.dangling, attrs, span, leading: [] };
      if (DIRS.has(dirTok.image)) {
        return { kind: "Ioctl", dir: dirTok.image as A.IoctlDir, magic: first, nr: second, ...common };
      }
      if (dirTok.image === "legacy") {
        if (second.kind !== "Name" || !DIRS.has(second.name.name)) {
          this.syntaxError(
            second.span,
            `expected a direction (none, read, write or readwrite), found ${JSON.stringify(this.text.slice(second.span.start, second.span.end))}`,
            "write a legacy ioctl as: legacy(NUMBER, DIR[, ARG])",
          );
          return undefined;
        }
        return { kind: "Ioctl", dir: second.name.name as A.IoctlDir, number: first, ...common };
      }
      this.syntaxError(
        tokSpan(dirTok),
        `expected none, read, write, readwrite or legacy, found ${JSON.stringify(dirTok.image)}`,
        "the encoding is none(T, NR), read(T, NR, A), write(T, NR, A), readwrite(T, NR, A) or legacy(N, DIR[, A])",
      );
      return undefined;
    });
  }

  /** `;` or `{ clauses }`. */
  private itemBody(n: CstNode): { clauses: A.Clause[]; dangling: A.Comment[] } {
    const clauses: A.Clause[] = [];
    this.openBlock(realToken(n, "LCurly"));
    for (const c of children(n, "clause")) {
      const clause = this.clause(c);
      if (clause) clauses.push(clause);
    }
    return { clauses, dangling: this.closeBlock(realToken(n, "RCurly")) };
  }

  private clause(n: CstNode): A.Clause | undefined {
    return this.item<A.Clause>(n, (span) => {
      if (n.children["On"]) {
        const fd = this.ident(realToken(n, "fd"));
        return fd && { kind: "On", fd, span, leading: [] };
      }
      if (n.children["Returns"]) {
        const whatTok = realToken(n, "what");
        if (!whatTok) return undefined;
        const fd = this.ident(realToken(n, "fd"));
        const what = whatTok.image;
        if (!RETURNS.has(what)) {
          this.syntaxError(tokSpan(whatTok), `expected zero, count, value or fd, found ${JSON.stringify(what)}`, "write returns zero; returns count; returns value; or returns fd KIND;");
          return undefined;
        }
        if (what === "fd" && !fd) {
          this.syntaxError(tokSpan(whatTok), "returns fd needs the kind of the new fd", "write returns fd KIND; with KIND declared by an fd declaration");
          return undefined;
        }
        if (what !== "fd" && fd) {
          this.syntaxError(fd.span, `expected ";", found ${JSON.stringify(fd.name)}`, `only returns fd takes a name; write returns ${what};`);
          return undefined;
        }
        return { kind: "Returns", what: what as A.ReturnsClause["what"], ...(fd ? { fd } : {}), span, leading: [] };
      }
      if (n.children["Value"]) {
        const typeNode = child(n, "typeExpr");
        const type = typeNode && this.typeExpr(typeNode);
        const attrs = this.attrs(n);
        return type && { kind: "Value", type, attrs, span, leading: [] };
      }
      if (n.children["ErrorKw"]) {
        const errno = this.ident(realToken(n, "errno"));
        const textTok = realToken(n, "text");
        const text = textTok && this.string(textTok);
        if (!errno || (textTok && !text)) return undefined;
        return { kind: "Error", errno, ...(text ? { text } : {}), span, leading: [] };
      }
      if (n.children["NumberKw"]) {
        const targets = tokens(n, "target").map((t) => this.ident(t)!);
        const valueNode = child(n, "expr");
        const value = valueNode && this.expr(valueNode);
        if (!targets.length || !value) return undefined;
        return { kind: "Number", targets, value, span, leading: [] };
      }
      return undefined;
    });
  }

  private protocolDecl(n: CstNode): A.ProtocolDecl | undefined {
    return this.item(n, (span) => {
      const name = this.ident(realToken(n, "name"));
      const transportTok = realToken(n, "transport");
      const attrs = this.attrs(n);
      this.openBlock(realToken(n, "LCurly"));
      const items: A.ProtocolItem[] = [];
      for (const p of children(n, "protocolItem")) {
        const m = child(p, "messageItem");
        const c = child(p, "commandItem");
        const it = m ? this.messageItem(m) : c ? this.commandItem(c) : undefined;
        if (it) items.push(it);
      }
      const danglingComments = this.closeBlock(realToken(n, "RCurly"));
      if (!name || !transportTok) return undefined;
      if (!TRANSPORTS.has(transportTok.image)) {
        this.syntaxError(tokSpan(transportTok), `expected pipe, socket or text, found ${JSON.stringify(transportTok.image)}`, "a protocol's transport is pipe, socket or text");
        return undefined;
      }
      const transport = transportTok.image as A.ProtocolDecl["transport"];
      return { kind: "Protocol", name, transport, items, danglingComments, attrs, span, leading: [] };
    });
  }

  private messageItem(n: CstNode): A.MessageItem | undefined {
    return this.item(n, (span) => {
      const name = this.ident(realToken(n, "name"));
      const reqNode = child(n, "request");
      const request = reqNode && this.typeExpr(reqNode);
      const replyNode = child(n, "reply");
      const reply = replyNode && this.typeExpr(replyNode);
      const attrs = this.attrs(n);
      const bodyNode = child(n, "itemBody");
      const body = bodyNode ? this.itemBody(bodyNode) : { clauses: [], dangling: [] };
      if (!name || !request || (replyNode && !reply)) return undefined;
      return { kind: "Message", name, request, ...(reply ? { reply } : {}), attrs, clauses: body.clauses, danglingComments: body.dangling, span, leading: [] };
    });
  }

  private commandItem(n: CstNode): A.CommandItem | undefined {
    return this.item(n, (span) => {
      const name = this.ident(realToken(n, "name"));
      const params = tokens(n, "param").map((t) => this.ident(t)!);
      const attrs = this.attrs(n);
      const bodyNode = child(n, "itemBody");
      const body = bodyNode ? this.itemBody(bodyNode) : { clauses: [], dangling: [] };
      if (!name) return undefined;
      return { kind: "Command", name, params, attrs, clauses: body.clauses, danglingComments: body.dangling, span, leading: [] };
    });
  }

  // -------------------------------------------------------------------------------------------
  // Attributes, types, expressions, leaves

  private attrs(n: CstNode): A.Attribute[] {
    const out: A.Attribute[] = [];
    for (const a of children(n, "attribute")) {
      const attr = this.attribute(a);
      if (attr) out.push(attr);
    }
    return out;
  }

  private attribute(n: CstNode): A.Attribute | undefined {
    const span = nodeSpan(n);
    const name = this.ident(realToken(n, "name"));
    if (!span || !name) return undefined;
    const args: A.AttrArg[] = [];
    for (const a of children(n, "attrArg")) {
      const argSpan = nodeSpan(a);
      const key = this.ident(realToken(a, "key"));
      const strTok = realToken(a, "string");
      const exprNode = child(a, "expr");
      const value = strTok ? this.string(strTok) : exprNode && this.expr(exprNode);
      if (!argSpan || !value) continue;
      args.push({ kind: "AttrArg", ...(key ? { key } : {}), value, span: argSpan });
    }
    return { kind: "Attribute", name, args, parens: n.children["LParen"] !== undefined, span };
  }

  private typeExpr(n: CstNode): A.TypeExpr | undefined {
    const span = nodeSpan(n);
    if (!span) return undefined;
    const inline = child(n, "inlineRecord");
    let base: A.TypeExpr | undefined;
    if (inline) {
      base = this.inlineRecord(inline);
    } else {
      const name = this.ident(realToken(n, "name"));
      base = name && { kind: "NamedType", name, span: name.span };
    }
    if (!base) return undefined;
    // T[a][b] is C's T x[a][b]: the outermost array has length a. Build from the last suffix in.
    const suffixes = children(n, "arraySuffix");
    let type: A.TypeExpr = base;
    for (let i = suffixes.length - 1; i >= 0; i--) {
      const s = suffixes[i]!;
      const lenNode = child(s, "expr");
      const length = lenNode && this.expr(lenNode);
      if (lenNode && !length) return undefined;
      const end = nodeSpan(s)?.end ?? span.end;
      type = { kind: "ArrayType", element: type, ...(length ? { length } : {}), span: { start: base.span.start, end: Math.max(end, span.end) } };
    }
    return type;
  }

  private inlineRecord(n: CstNode): A.InlineRecord | undefined {
    const span = nodeSpan(n);
    const record = realToken(n, "record")?.image as "struct" | "union" | undefined;
    const attrs = this.attrs(n);
    const block = child(n, "fieldBlock");
    const body = block && this.fieldBlock(block);
    if (!span || !record || !body) return undefined;
    return { kind: "InlineRecord", record, attrs, fields: body.fields, danglingComments: body.dangling, span };
  }

  private expr(n: CstNode): A.Expr | undefined {
    const operandNodes = children(n, "operand");
    const ops = (n.children["op"] ?? []) as IToken[];
    if (ops.length === 0) return operandNodes.length === 1 ? this.unary(operandNodes[0]!) : undefined;
    if (operandNodes.length !== ops.length + 1) return undefined;
    const operands: A.Expr[] = [];
    for (const u of operandNodes) {
      const e = this.unary(u);
      if (!e) return undefined;
      operands.push(e);
    }
    // Precedence climbing over the flat operand/operator list.
    let i = 0;
    let j = 0;
    const climb = (min: number): A.Expr => {
      let left = operands[i++]!;
      while (j < ops.length && PRECEDENCE[ops[j]!.image as A.BinaryOp] >= min) {
        const op = ops[j++]!.image as A.BinaryOp;
        const right = climb(PRECEDENCE[op] + 1);
        left = { kind: "Binary", op, left, right, span: { start: left.span.start, end: right.span.end } };
      }
      return left;
    };
    return climb(1);
  }

  private unary(n: CstNode): A.Expr | undefined {
    const p = child(n, "primary");
    let e = p && this.primary(p);
    if (!e || !n.children["op"]) return e;
    const ops = tokens(n, "op");
    for (let k = ops.length - 1; k >= 0; k--) {
      const op = ops[k]!;
      e = { kind: "Unary", op: op.image as A.UnaryOp, operand: e, span: { start: op.startOffset, end: e.span.end } };
    }
    return e;
  }

  private primary(n: CstNode): A.Expr | undefined {
    const int = realToken(n, "int");
    if (int) {
      const value = this.decoded(int, decodeInt(int.image));
      return value === undefined ? undefined : { kind: "Int", value, raw: int.image, span: tokSpan(int) };
    }
    const ch = realToken(n, "char");
    if (ch) {
      const value = this.decoded(ch, decodeChar(ch.image));
      return value === undefined ? undefined : { kind: "Char", value, raw: ch.image, span: tokSpan(ch) };
    }
    const sz = realToken(n, "sizeof");
    if (sz) {
      const typeNode = child(n, "typeExpr");
      const type = typeNode && this.typeExpr(typeNode);
      const span = nodeSpan(n);
      if (!type || !span) return undefined;
      return { kind: "Sizeof", op: sz.image as "sizeof" | "alignof", type, span };
    }
    const nameTok = realToken(n, "name");
    if (nameTok) {
      const name = this.ident(nameTok)!;
      return { kind: "Name", name, span: name.span };
    }
    const lp = realToken(n, "lparen");
    const innerNode = child(n, "expr");
    const inner = innerNode && this.expr(innerNode);
    if (!lp || !inner) return undefined;
    const rp = realToken(n, "rparen");
    return { kind: "Paren", inner, span: { start: lp.startOffset, end: rp ? rp.startOffset + 1 : inner.span.end } };
  }

  private ident(t: IToken | undefined): A.Ident | undefined {
    if (!t || t.isInsertedInRecovery || Number.isNaN(t.startOffset)) return undefined;
    return { kind: "Ident", name: t.image, span: tokSpan(t) };
  }

  private string(t: IToken | undefined): A.StringLit | undefined {
    if (!t) return undefined;
    const value = this.decoded(t, decodeString(t.image));
    return value === undefined ? undefined : { kind: "String", value, raw: t.image, span: tokSpan(t) };
  }
}
