/**
 * `--format rst`: the rows to add to Documentation/userspace-api/ioctl/ioctl-number.rst for the
 * ranges the specs use but the registry does not give their families — one row per family and
 * type, in the table's columns. As in the kernel's table, a row whose range overlaps another
 * row (or another spec family's new row) says `conflict!` in its Comments cell.
 */
import type { ConflictReport } from "./report.js";
import { seqCell } from "./labels.js";

/** Column starts of the table (from its `====  =====  ====…` border): Code, Seq#, Include File, Comments. */
const SEQ_COL = 6;
const INCLUDE_COL = 13;
const COMMENT_COL = 71;

export interface RstRow {
  readonly type: number;
  readonly nrFirst: number;
  readonly nrLast: number;
  readonly include: string;
  readonly conflict: boolean;
}

export function rstRows(report: ConflictReport): RstRow[] {
  const rows = report.families.flatMap((f) =>
    f.ranges.flatMap((r) => (r.claim ? [{
      type: r.type, nrFirst: r.claim.nrFirst, nrLast: r.claim.nrLast, include: f.header,
      conflict: r.overlaps.length > 0 || r.overlapsFamilies.length > 0,
    }] : [])));
  return rows.sort((a, b) => a.type - b.type || a.nrFirst - b.nrFirst || a.include.localeCompare(b.include));
}

/** The Code cell: `'G'` for a printable type byte, else `0xAE` (upper-case hex, as the table writes it). */
export function rstCode(type: number): string {
  return type >= 0x21 && type <= 0x7e ? `'${String.fromCharCode(type)}'` : `0x${type.toString(16).toUpperCase().padStart(2, "0")}`;
}

export function rstLine(r: RstRow): string {
  const line = rstCode(r.type).padEnd(SEQ_COL) + seqCell(r.nrFirst, r.nrLast).padEnd(INCLUDE_COL - SEQ_COL) +
    (r.conflict ? r.include.padEnd(COMMENT_COL - INCLUDE_COL - 1) + " conflict!" : r.include);
  return line.trimEnd();
}

export function formatRst(report: ConflictReport): string {
  return rstRows(report).map(rstLine).join("\n");
}
