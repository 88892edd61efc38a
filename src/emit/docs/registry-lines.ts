/**
 * The family's line(s) for Documentation/userspace-api/ioctl/ioctl-number.rst, in the
 * registry's column layout (`'V'   01-02  linux/uvirtio.h`): one per magic type, spanning the
 * lowest to the highest nr the family uses. A line whose range overlaps rows of other headers
 * gets `conflict!` in its Comments column, as the kernel marks known overlaps; the rows it
 * overlaps are listed so a reader can judge. Rows of the family's own header are not conflicts
 * (the family is already registered there). Legacy ioctls are left out: their numbers predate
 * the registry.
 */
import type { FamilyModel } from "../../model/model.js";
import { declsOf } from "../../model/model.js";
import { registry, type RegistryRow } from "../../registry/registry.js";

export interface RegistryLine {
  readonly type: number;
  readonly nrFirst: number;
  readonly nrLast: number;
  /** The line as it would be added to ioctl-number.rst. */
  readonly line: string;
  readonly conflict: boolean;
  /** Rows of other headers whose range overlaps this one. */
  readonly overlapping: readonly RegistryRow[];
  /** Rows of the family's own header that already cover part of the range. */
  readonly own: readonly RegistryRow[];
  /** Every nr the family uses with this type is inside a row of its own header. */
  readonly registered: boolean;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}

/** The registry's spelling of a code: `'V'` when printable, otherwise `0xAE`. */
export function codeText(type: number): string {
  const printable = type > 0x20 && type < 0x7f && type !== 0x27 && type !== 0x5c;
  return printable ? `'${String.fromCharCode(type)}'` : `0x${hex2(type)}`;
}

export function seqText(nrFirst: number, nrLast: number): string {
  return nrFirst === nrLast ? hex2(nrFirst) : `${hex2(nrFirst)}-${hex2(nrLast)}`;
}

/** A registry row as the .rst writes it (one line, continuation cells joined). */
export function rowText(r: RegistryRow): string {
  return `${r.code.padEnd(6)}${r.seq.padEnd(7)}${r.include} ${r.comment}`.replace(/\s+$/, "");
}

export function registryLines(f: FamilyModel): RegistryLine[] {
  const ranges = new Map<number, { first: number; last: number }>();
  const nrs = new Map<number, number[]>();
  for (const io of declsOf(f, "ioctl")) {
    if (io.legacy) continue;
    nrs.set(io.magic, [...(nrs.get(io.magic) ?? []), io.nr]);
    const r = ranges.get(io.magic);
    ranges.set(io.magic, r ? { first: Math.min(r.first, io.nr), last: Math.max(r.last, io.nr) } : { first: io.nr, last: io.nr });
  }
  const reg = registry();
  return [...ranges]
    .sort(([a], [b]) => a - b)
    .map(([type, { first, last }]) => {
      const rows = reg.rowsOverlapping(type, first, last);
      const own = rows.filter((r) => r.headers.includes(f.header));
      const overlapping = rows.filter((r) => !r.headers.includes(f.header));
      const conflict = overlapping.length > 0;
      // Columns as in the registry's table: Code (6), Seq# (7), Include File (58), Comments.
      const cells = [codeText(type).padEnd(6), seqText(first, last).padEnd(7), f.header.padEnd(57) + " "];
      const line = (conflict ? [...cells, "conflict!"] : cells).join("").replace(/\s+$/, "");
      const registered = own.length > 0 && (nrs.get(type) ?? []).every((nr) => own.some((r) => nr >= r.nrFirst && nr <= r.nrLast));
      return { type, nrFirst: first, nrLast: last, line, conflict, overlapping, own, registered };
    });
}
