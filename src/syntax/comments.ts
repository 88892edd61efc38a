/**
 * Attaching comments to syntax nodes.
 *
 * The AST builder walks the CST in source order and hands out comments with a cursor:
 * everything before an item's first token is its `leading` (the last run of `///` lines right
 * before it becomes its `doc`), comments inside an item that no nested list claims are added to
 * its `leading` too (so nothing is lost and the order is kept), a comment starting on the line
 * where an item ends is its `trailing`, and what is left before a list's closing `}` (or the
 * end of the file) is `danglingComments`.
 */
import type { Comment, Doc } from "./ast.js";

export class CommentCursor {
  private next = 0;

  constructor(
    private readonly text: string,
    private readonly comments: readonly Comment[],
  ) {}

  /** All not yet claimed comments that start before `offset`. */
  takeBefore(offset: number): Comment[] {
    const out: Comment[] = [];
    while (this.next < this.comments.length && this.comments[this.next]!.span.start < offset) {
      out.push(this.comments[this.next++]!);
    }
    return out;
  }

  /**
   * The comment after an item that starts on the item's last line, before the next token
   * (`limit`): `x: u32; // why`.
   */
  takeTrailing(end: number, limit: number): Comment | undefined {
    const c = this.comments[this.next];
    if (!c || c.span.start >= limit || c.span.start < end) return undefined;
    if (hasNewline(this.text, end, c.span.start)) return undefined;
    this.next++;
    return c;
  }

  /** Whatever is left (end of file). */
  rest(): Comment[] {
    return this.takeBefore(Infinity);
  }
}

function hasNewline(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) return true;
  return false;
}

/** `///` but not `////` (a row of slashes is decoration, not documentation). */
export function isDocComment(c: Comment): boolean {
  return !c.block && c.text.startsWith("///") && !c.text.startsWith("////");
}

/** Only whitespace between `from` and `to`, with exactly one line break. */
function nextLine(text: string, from: number, to: number): boolean {
  let newlines = 0;
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) newlines++;
    else if (ch !== 32 && ch !== 9 && ch !== 13) return false;
  }
  return newlines === 1;
}

/** Is the comment the first thing on its line? */
function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const ch = text.charCodeAt(i);
    if (ch === 10) return true;
    if (ch !== 32 && ch !== 9 && ch !== 13) return false;
  }
  return true;
}

/**
 * Splits the comments before an item into ordinary leading comments and the doc comment: the
 * trailing run of `///` lines, each on its own line, the last one directly above the item.
 */
export function splitDoc(text: string, before: Comment[], itemStart: number): { leading: Comment[]; doc?: Doc } {
  let i = before.length;
  let next = itemStart;
  while (i > 0) {
    const c = before[i - 1]!;
    if (!isDocComment(c) || !startsLine(text, c.span.start) || !nextLine(text, c.span.end, next)) break;
    next = c.span.start;
    i--;
  }
  if (i === before.length) return { leading: before };
  const lines = before.slice(i);
  const docText = lines.map((c) => c.text.slice(3).replace(/^ /, "").replace(/\s+$/, "")).join("\n");
  const doc: Doc = { text: docText, span: { start: lines[0]!.span.start, end: lines[lines.length - 1]!.span.end } };
  return { leading: before.slice(0, i), doc };
}
