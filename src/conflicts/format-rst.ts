/**
 * `--format rst`: the rows to add to Documentation/userspace-api/ioctl/ioctl-number.rst for the
 * ranges the specs use but the registry does not give their families — one row per family and
 * type, in the table's columns (src/registry/family-lines.ts writes them, for the docs and the
 * C headers too). As in the kernel's table, a row whose range overlaps another row (or another
 * spec family's new row) says `conflict!` in its Comments cell.
 */
import type { ConflictReport } from "./report.js";
import { claimLine } from "../registry/family-lines.js";

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

export function rstLine(r: RstRow): string {
  return claimLine(r.type, r.nrFirst, r.nrLast, r.include, r.conflict);
}

export function formatRst(report: ConflictReport): string {
  return rstRows(report).map(rstLine).join("\n");
}
