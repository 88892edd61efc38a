/**
 * The formatter: syntax tree → canonical source (docs/language.md, "Canonical form").
 *
 * Two-space indentation, one item per line, attributes after what they modify, literals and
 * parentheses as written, enum members with a trailing comma, `;` form for ioctls and protocol
 * items without clauses. Layout that carries meaning for readers is taken from the source text
 * the tree was parsed from: blank lines between items (several collapse to one) and whether a
 * comment sat on the line of a block's `{`. Every comment is printed, in source order.
 */
import type * as A from "./ast.js";
import type { Span } from "./source.js";
import { PRECEDENCE } from "./precedence.js";

const INDENT = "  ";

/** Accumulates output lines; `text` appends to the current line, `newline` ends it. */
class Writer {
  readonly lines: string[] = [];
  private cur = "";
  private started = false;
  depth = 0;

  text(s: string): void {
    if (!this.started) {
      this.cur = INDENT.repeat(this.depth);
      this.started = true;
    }
    this.cur += s;
  }

  newline(): void {
    this.lines.push(this.cur.trimEnd());
    this.cur = "";
    this.started = false;
  }

  blank(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== "") this.lines.push("");
  }
}

/** Anything printed as one item of a list (declaration, field, member, clause, protocol item). */
type Item = A.Commented & { readonly span: Span; readonly doc?: A.Doc };

export function printFile(file: A.FileNode): string {
  const p = new Printer(file.source.text);
  p.file(file);
  const out = p.w.lines.join("\n");
  return out.length ? out + "\n" : "";
}

class Printer {
  readonly w = new Writer();

  constructor(private readonly text: string) {}

  // -------------------------------------------------------------------------------------------
  // Lists, comments, blank lines

  /** Did the author leave an empty line between these offsets? */
  private blankBetween(from: number, to: number): boolean {
    if (from >= to) return false;
    return /\n[ \t\r\f\v]*\n/.test(this.text.slice(from, to));
  }

  /** Does this comment sit on the line of the `{` before it (`struct s { // why`)? */
  private onBraceLine(c: A.Comment): boolean {
    for (let i = c.span.start - 1; i >= 0; i--) {
      const ch = this.text[i];
      if (ch === " " || ch === "\t") continue;
      return ch === "{";
    }
    return false;
  }

  private comment(c: A.Comment): void {
    this.w.text(c.block ? c.text : c.text.trimEnd());
    this.w.newline();
  }

  /**
   * Prints a list of items with their comments, then the dangling comments. `inBlock`: the list
   * is inside braces and the cursor is on the `{` line (not yet ended).
   */
  private list<T extends Item>(items: readonly T[], dangling: readonly A.Comment[], inBlock: boolean, printItem: (item: T) => void): void {
    let prevEnd: number | undefined;
    let first = true;
    const startComment = (c: A.Comment): boolean => {
      // The very first comment of a block may stay on the `{` line.
      if (first && inBlock && this.onBraceLine(c)) {
        this.w.text(" " + (c.block ? c.text : c.text.trimEnd()));
        this.w.newline();
        this.w.depth++;
        first = false;
        prevEnd = c.span.end;
        return true;
      }
      return false;
    };
    const beginLine = () => {
      if (first && inBlock) {
        this.w.newline();
        this.w.depth++;
      }
      first = false;
    };

    for (const item of items) {
      let pos: number | undefined = prevEnd;
      // Comments written inside an item go on their own lines before it — or, when the item has a
      // doc comment, after it: before the doc they would change the comments' order, and between
      // the doc and the item they would detach the doc.
      const after = item.doc ? item.leading.filter((c) => c.span.start > item.span.start) : [];
      for (const c of item.leading) {
        if (after.length > 0 && after.includes(c)) continue;
        const isInner = c.span.start > item.span.start;
        if (!isInner && startComment(c)) {
          pos = c.span.end;
          continue;
        }
        beginLine();
        if (!isInner && pos !== undefined && this.blankBetween(pos, c.span.start)) this.w.blank();
        this.comment(c);
        if (!isInner) pos = c.span.end;
      }
      beginLine();
      const startOfItem = item.doc ? item.doc.span.start : item.span.start;
      if (pos !== undefined && this.blankBetween(pos, startOfItem)) this.w.blank();
      if (item.doc) {
        for (const line of item.doc.text.split("\n")) {
          this.w.text(line ? "/// " + line : "///");
          this.w.newline();
        }
      }
      printItem(item);
      // (A trailing comment follows the inner ones in the source: then it moves below them too.)
      if (item.trailing && after.length === 0) this.w.text(" " + (item.trailing.block ? item.trailing.text : item.trailing.text.trimEnd()));
      this.w.newline();
      for (const c of after) this.comment(c);
      if (item.trailing && after.length > 0) this.comment(item.trailing);
      prevEnd = item.trailing ? item.trailing.span.end : item.span.end;
    }
    for (const c of dangling) {
      if (startComment(c)) continue;
      beginLine();
      if (prevEnd !== undefined && this.blankBetween(prevEnd, c.span.start)) this.w.blank();
      this.comment(c);
      prevEnd = c.span.end;
    }
  }

  /** ` { items }` — or ` {}` when there is nothing inside. */
  private block<T extends Item>(items: readonly T[], dangling: readonly A.Comment[], printItem: (item: T) => void): void {
    this.w.text(" {");
    if (items.length === 0 && dangling.length === 0) {
      this.w.text("}");
      return;
    }
    this.list(items, dangling, true, printItem);
    this.w.depth--;
    this.w.text("}");
  }

  // -------------------------------------------------------------------------------------------
  // File and declarations

  file(f: A.FileNode): void {
    const items: Item[] = [...f.imports, ...(f.family ? [f.family] : []), ...f.decls];
    this.list(items, f.danglingComments, false, (item) => this.topItem(item as A.ImportDecl | A.FamilyDecl | A.Decl));
  }

  private topItem(d: A.ImportDecl | A.FamilyDecl | A.Decl): void {
    const w = this.w;
    switch (d.kind) {
      case "Import":
        w.text(`import ${d.path.raw};`);
        return;
      case "Family":
        w.text(`family ${d.name.name} = ${d.header.raw}`);
        this.attrs(d.attrs);
        w.text(";");
        return;
      case "Const":
        w.text(`const ${d.name.name}`);
        if (d.type) {
          w.text(": ");
          this.type(d.type);
        }
        w.text(" = ");
        this.expr(d.value);
        this.attrs(d.attrs);
        w.text(";");
        return;
      case "Enum":
        w.text(`${d.flavor} ${d.name.name}`);
        if (d.base) {
          w.text(": ");
          this.type(d.base);
        }
        this.attrs(d.attrs);
        this.block(d.members, d.danglingComments, (m) => {
          w.text(m.name.name);
          if (m.value) {
            w.text(" = ");
            this.expr(m.value);
          }
          this.attrs(m.attrs);
          w.text(",");
        });
        return;
      case "Record":
        w.text(`${d.record} ${d.name.name}`);
        this.attrs(d.attrs);
        this.block(d.fields, d.danglingComments, (f) => this.field(f));
        return;
      case "TypeAlias":
        w.text(`type ${d.name.name} = `);
        this.type(d.type);
        this.attrs(d.attrs);
        w.text(";");
        return;
      case "Fd":
        w.text(`fd ${d.name.name}`);
        if (d.path) w.text(` = ${d.path.raw}`);
        this.attrs(d.attrs);
        w.text(";");
        return;
      case "Ioctl":
        w.text(`ioctl ${d.name.name} = `);
        if (d.number) {
          w.text("legacy(");
          this.expr(d.number);
          w.text(`, ${d.dir}`);
        } else {
          w.text(`${d.dir}(`);
          if (d.magic) this.expr(d.magic);
          w.text(", ");
          if (d.nr) this.expr(d.nr);
        }
        if (d.arg) {
          w.text(", ");
          this.type(d.arg);
        }
        w.text(")");
        this.attrs(d.attrs);
        this.body(d.clauses, d.danglingComments);
        return;
      case "Protocol":
        w.text(`protocol ${d.name.name} = ${d.transport}`);
        this.attrs(d.attrs);
        this.block(d.items, d.danglingComments, (it) => this.protocolItem(it));
        return;
    }
  }

  private field(f: A.Field): void {
    if (f.name) this.w.text(`${f.name.name}: `);
    this.type(f.type);
    this.attrs(f.attrs);
    this.w.text(";");
  }

  /** The `;` form without clauses, a clause block otherwise. */
  private body(clauses: readonly A.Clause[], dangling: readonly A.Comment[]): void {
    if (clauses.length === 0 && dangling.length === 0) {
      this.w.text(";");
      return;
    }
    this.block(clauses, dangling, (c) => this.clause(c));
  }

  private clause(c: A.Clause): void {
    const w = this.w;
    switch (c.kind) {
      case "On":
        w.text(`on ${c.fd.name};`);
        return;
      case "Returns":
        w.text(c.fd ? `returns ${c.what} ${c.fd.name};` : `returns ${c.what};`);
        return;
      case "Value":
        w.text("value ");
        this.type(c.type);
        this.attrs(c.attrs);
        w.text(";");
        return;
      case "Error":
        w.text(c.text ? `error ${c.errno.name} ${c.text.raw};` : `error ${c.errno.name};`);
        return;
      case "Number":
        w.text(`number[${c.targets.map((t) => t.name).join(", ")}] = `);
        this.expr(c.value);
        w.text(";");
        return;
    }
  }

  private protocolItem(it: A.ProtocolItem): void {
    const w = this.w;
    if (it.kind === "Message") {
      w.text(`message ${it.name.name} = `);
      this.type(it.request);
      if (it.reply) {
        w.text(" -> ");
        this.type(it.reply);
      }
    } else {
      w.text(`command ${it.name.name}(${it.params.map((p) => p.name).join(", ")})`);
    }
    this.attrs(it.attrs);
    this.body(it.clauses, it.danglingComments);
  }

  // -------------------------------------------------------------------------------------------
  // Attributes, types, expressions

  private attrs(attrs: readonly A.Attribute[]): void {
    for (const a of attrs) {
      this.w.text(` @${a.name.name}`);
      if (!a.parens) continue;
      this.w.text("(");
      a.args.forEach((arg, i) => {
        if (i > 0) this.w.text(", ");
        if (arg.key) this.w.text(`${arg.key.name} = `);
        if (arg.value.kind === "String") this.w.text(arg.value.raw);
        else this.expr(arg.value);
      });
      this.w.text(")");
    }
  }

  private type(t: A.TypeExpr): void {
    // T[a][b]: the outermost ArrayType holds a; print the innermost element, then a, then b.
    const lengths: (A.Expr | undefined)[] = [];
    let base: A.TypeExpr = t;
    while (base.kind === "ArrayType") {
      lengths.push(base.length);
      base = base.element;
    }
    if (base.kind === "NamedType") {
      this.w.text(base.name.name);
    } else {
      this.w.text(base.record);
      this.attrs(base.attrs);
      this.block(base.fields, base.danglingComments, (f) => this.field(f));
    }
    for (const len of lengths) {
      this.w.text("[");
      if (len) this.expr(len);
      this.w.text("]");
    }
  }

  private expr(e: A.Expr): void {
    const w = this.w;
    switch (e.kind) {
      case "Int":
      case "Char":
        w.text(e.raw);
        return;
      case "Name":
        w.text(e.name.name);
        return;
      case "Paren":
        w.text("(");
        this.expr(e.inner);
        w.text(")");
        return;
      case "Sizeof":
        w.text(`${e.op}(`);
        this.type(e.type);
        w.text(")");
        return;
      case "Unary":
        w.text(e.op);
        // `- -1` must not become `--1`… which lexes fine here, but stays readable with a space.
        if (e.operand.kind === "Unary" && e.operand.op === e.op && (e.op === "-" || e.op === "+")) w.text(" ");
        this.operand(e.operand, e.operand.kind === "Binary");
        return;
      case "Binary": {
        const p = PRECEDENCE[e.op];
        // Trees from the parser never need these parentheses; built trees might.
        this.operand(e.left, e.left.kind === "Binary" && PRECEDENCE[e.left.op] < p);
        w.text(` ${e.op} `);
        this.operand(e.right, e.right.kind === "Binary" && PRECEDENCE[e.right.op] <= p);
        return;
      }
    }
  }

  private operand(e: A.Expr, parens: boolean): void {
    if (parens) this.w.text("(");
    this.expr(e);
    if (parens) this.w.text(")");
  }
}
