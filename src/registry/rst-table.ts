/**
 * Parser for the kernel's ioctl-number registry
 * (Documentation/userspace-api/ioctl/ioctl-number.rst): the reStructuredText "simple table" of
 * `Code  Seq#  Include File  Comments`.
 *
 * The column grid comes from the table's `====` border lines. Code and Seq# are read with a
 * regex (so a range written with spaces, `80 - 8F`, still parses); Include File and Comments
 * are read by column. A line whose Code column is blank continues the row above it (the
 * Include File and Comments cells wrap onto such lines; one row even puts `and` in the Seq#
 * column). Every line of the table is classified, so a test can prove none was dropped.
 */

export interface RegistryRow {
  /** The type byte (`'G'` → 0x47, `0xAE` → 0xae). */
  readonly type: number;
  readonly nrFirst: number;
  readonly nrLast: number;
  /** The Include File cell, continuation lines joined by a space, rST backquotes removed. */
  readonly include: string;
  /** The Comments cell, continuation lines joined by a space. */
  readonly comment: string;
  /** The row is marked `conflict!` (a known, accepted overlap with another row). */
  readonly conflict: boolean;
  /** 1-based line of the row in the .rst. */
  readonly line: number;
  /** The Code and Seq# cells as written. */
  readonly code: string;
  readonly seq: string;
  /** Header or source paths named in the Include File cell. */
  readonly headers: readonly string[];
}

export type LineKind = "border" | "header" | "row" | "continuation";

export interface ParsedTable {
  readonly rows: RegistryRow[];
  /** Every non-blank line from the table's first border to its last, by 1-based line number. */
  readonly lines: ReadonlyMap<number, LineKind>;
  readonly firstLine: number;
  readonly lastLine: number;
}

export class RstTableError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

const BORDER = /^=+(?: +=+)+\s*$/;
const CODE_SEQ = /^('.'|0x[0-9A-Fa-f]{1,2})\s+(all|[0-9A-Fa-f]{1,2}(?:\s*-\s*[0-9A-Fa-f]{1,2})?)(?=\s|$)/;

interface Columns {
  readonly include: number;
  readonly comment: number;
}

function columnsOf(border: string): Columns {
  const starts = [...border.matchAll(/=+/g)].map((m) => m.index);
  if (starts.length !== 4) throw new Error(`expected a 4-column border, got ${starts.length} columns`);
  return { include: starts[2]!, comment: starts[3]! };
}

export function parseCode(code: string): number {
  if (code.startsWith("'")) return code.charCodeAt(1);
  return parseInt(code.slice(2), 16);
}

export function parseSeq(seq: string): { nrFirst: number; nrLast: number } {
  if (seq === "all") return { nrFirst: 0, nrLast: 0xff };
  const [a, b] = seq.split("-").map((s) => parseInt(s.trim(), 16));
  return { nrFirst: a!, nrLast: b ?? a! };
}

/** Paths named in an Include File cell: `linux/a.h, linux/b.h`, `x.h and y.c`, `` `linux/iio/*.h` ``. */
export function headersIn(include: string): string[] {
  return include
    .split(/[,\s]+/)
    .filter((w) => w !== "and" && /[/.]/.test(w) && /\.[hc]$|\/$/.test(w));
}

interface Draft {
  type: number; nrFirst: number; nrLast: number; line: number; code: string; seq: string;
  include: string[]; comment: string[];
}

/** A `conflict!` mark that overflowed into the Include File column belongs to the comment. */
function splitIncludeCell(cell: string): { include: string; spill: string } {
  const i = cell.search(/\s+conflict!/);
  return i < 0 ? { include: cell, spill: "" } : { include: cell.slice(0, i).trim(), spill: cell.slice(i).trim() };
}

function finish(d: Draft): RegistryRow {
  const include = d.include.filter(Boolean).join(" ").replace(/`/g, "");
  const comment = d.comment.filter(Boolean).join(" ");
  return {
    type: d.type, nrFirst: d.nrFirst, nrLast: d.nrLast, include, comment,
    conflict: comment.includes("conflict!"), line: d.line, code: d.code, seq: d.seq,
    headers: headersIn(include),
  };
}

/** Parse the registry table out of the whole .rst text. */
export function parseRegistryRst(text: string): ParsedTable {
  const src = text.split(/\r?\n/);
  // The registry is the table whose header line starts with "Code".
  const start = src.findIndex((l, i) => BORDER.test(l) && /^Code\s/.test(src[i + 1] ?? ""));
  if (start < 0) throw new Error("no `Code  Seq#  Include File  Comments` table found");
  const cols = columnsOf(src[start]!);
  const lines = new Map<number, LineKind>();
  const rows: RegistryRow[] = [];
  let borders = 0;
  let draft: Draft | undefined;
  let i = start;
  for (; i < src.length; i++) {
    const text = src[i]!;
    const lineNo = i + 1;
    if (text.trim() === "") {
      if (borders === 3) break;
      continue;
    }
    if (BORDER.test(text)) {
      lines.set(lineNo, "border");
      borders++;
      if (borders === 3) break;
      continue;
    }
    if (borders === 1) {
      lines.set(lineNo, "header");
      continue;
    }
    const codeCol = text.slice(0, 6);
    if (codeCol.trim() === "") {
      if (!draft) throw new RstTableError(lineNo, "continuation line before any row");
      // The Seq# column of a continuation holds a joining word at most (`and`).
      const inc = splitIncludeCell(text.slice(6, cols.comment).trim().replace(/\s+/g, " "));
      draft.include.push(inc.include);
      draft.comment.push(inc.spill, text.slice(cols.comment).trim());
      lines.set(lineNo, "continuation");
      continue;
    }
    const m = CODE_SEQ.exec(text);
    if (!m) throw new RstTableError(lineNo, `cannot read Code and Seq# from ${JSON.stringify(text)}`);
    if (draft) rows.push(finish(draft));
    const restFrom = Math.max(m[0].length, cols.include);
    const inc = splitIncludeCell(text.slice(restFrom, cols.comment).trim());
    const seq = m[2]!;
    draft = {
      type: parseCode(m[1]!), ...parseSeq(seq), line: lineNo, code: m[1]!, seq,
      include: [inc.include], comment: [inc.spill, text.slice(cols.comment).trim()],
    };
    lines.set(lineNo, "row");
  }
  if (borders !== 3) throw new Error("registry table is not closed by a border line");
  if (draft) rows.push(finish(draft));
  return { rows, lines, firstLine: start + 1, lastLine: i + 1 };
}
