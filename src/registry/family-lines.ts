/**
 * A spec family's place in Documentation/userspace-api/ioctl/ioctl-number.rst, computed once for
 * every output that speaks of it (the C header's comment, the docs, `abigen conflicts`, the
 * registry rules ABI100/ABI101).
 *
 * Per family and magic type: its ioctls, the registry rows that are its own allocation (rows
 * naming the family's header), and the range it would have to register for the ioctls no own
 * row covers — its "claim". The claim is one contiguous [min nr, max nr] of the uncovered ioctls,
 * as ioctl-number.rst allocates one row per range (a family using 0x00 and 0x20 claims 0x00-0x20
 * and everything in between). A type fully inside the family's own rows claims nothing: kvm's
 * 0xAE numbers are linux/kvm.h's already.
 *
 * A claim that overlaps rows of other headers, or another spec family's claim, is written with
 * `conflict!` in its Comments cell, as the kernel marks known overlaps.
 */
import { declsOf, type FamilyModel, type IoctlModel, type Program } from "../model/model.js";
import type { Registry, RegistryRow } from "./registry.js";
import { rowIsOwn } from "./own-header.js";

// ---------------------------------------------------------------------------------------------
// Cells and lines of the table

/** Column starts of the table (from its `====  =====  ====…` border): Code, Seq#, Include File, Comments. */
const SEQ_COL = 6;
const INCLUDE_COL = 13;
const COMMENT_COL = 71;

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}

/** The Code cell: `'V'` for a plain printable type byte, else `0xAE` (upper-case hex, as the table writes it). */
export function codeCell(type: number): string {
  // No quote or backslash inside quotes: `'''` is neither C nor how the registry writes it.
  const printable = type > 0x20 && type < 0x7f && type !== 0x27 && type !== 0x5c;
  return printable ? `'${String.fromCharCode(type)}'` : `0x${hex2(type)}`;
}

/** The Seq# cell: `00-07`, `C0`, or `all`. */
export function seqCell(nrFirst: number, nrLast: number): string {
  if (nrFirst === 0 && nrLast === 255) return "all";
  return nrFirst === nrLast ? hex2(nrFirst) : `${hex2(nrFirst)}-${hex2(nrLast)}`;
}

/** A line of the table in its columns; the Comments cell only when there is a comment. */
export function tableLine(code: string, seq: string, include: string, comment = ""): string {
  const head = code.padEnd(SEQ_COL) + seq.padEnd(INCLUDE_COL - SEQ_COL);
  const line = comment === "" ? head + include : head + include.padEnd(COMMENT_COL - INCLUDE_COL - 1) + " " + comment;
  return line.trimEnd();
}

/** The line to add to the table for a claim. */
export function claimLine(type: number, nrFirst: number, nrLast: number, include: string, conflict: boolean): string {
  return tableLine(codeCell(type), seqCell(nrFirst, nrLast), include, conflict ? "conflict!" : "");
}

/** An existing registry row quoted on one line (cells as the file writes them, continuation cells joined). */
export function rowText(r: RegistryRow): string {
  return `${tableLine(r.code, r.seq, r.include)} ${r.comment}`.trimEnd();
}

// ---------------------------------------------------------------------------------------------
// Ranges

export interface TypeRange {
  readonly family: FamilyModel;
  readonly type: number;
  /** The family's ioctls of this type, in source order. */
  readonly ioctls: readonly IoctlModel[];
  /** Registry rows for the family's own header that hold at least one of these ioctls. */
  readonly ownRows: readonly RegistryRow[];
  /** The ioctls outside every own row, in source order. */
  readonly uncovered: readonly IoctlModel[];
  /** [min, max] nr of the uncovered ioctls: what a new registry row would have to cover. */
  readonly claim?: { readonly nrFirst: number; readonly nrLast: number };
}

/** Per family (program order), per magic type (first use order). */
export function familyRanges(program: Program, reg: Registry): TypeRange[] {
  const out: TypeRange[] = [];
  for (const family of program.families) {
    const byType = new Map<number, IoctlModel[]>();
    // Out-of-range magic or nr is ABI050/ABI051's business; such an ioctl has no slot.
    const ioctls = declsOf(family, "ioctl").filter((io) => isByte(io.magic) && isByte(io.nr));
    for (const io of ioctls) byType.set(io.magic, [...(byType.get(io.magic) ?? []), io]);
    for (const [type, ioctls] of byType) {
      const own = reg.rows.filter((r) => r.type === type && rowIsOwn(r, family.header));
      const inOwn = (io: IoctlModel) => own.some((r) => io.nr >= r.nrFirst && io.nr <= r.nrLast);
      const ownRows = own.filter((r) => ioctls.some((io) => io.nr >= r.nrFirst && io.nr <= r.nrLast));
      const uncovered = ioctls.filter((io) => !inOwn(io));
      const nrs = uncovered.map((io) => io.nr);
      const claim = nrs.length === 0 ? undefined : { nrFirst: Math.min(...nrs), nrLast: Math.max(...nrs) };
      out.push({ family, type, ioctls, ownRows, uncovered, claim });
    }
  }
  return out;
}

function isByte(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 255;
}

/** Registry rows of other headers that a claim overlaps, in file order. */
export function overlappedRows(range: TypeRange, reg: Registry): RegistryRow[] {
  const c = range.claim;
  if (!c) return [];
  return reg.rowsOverlapping(range.type, c.nrFirst, c.nrLast).filter((r) => !rowIsOwn(r, range.family.header));
}

/** Pairs of claims (of different families, same type) that overlap; `later` comes after `earlier` in program order. */
export function overlappingClaims(ranges: readonly TypeRange[]): { earlier: TypeRange; later: TypeRange }[] {
  const out: { earlier: TypeRange; later: TypeRange }[] = [];
  for (const [j, later] of ranges.entries()) {
    for (const earlier of ranges.slice(0, j)) {
      if (earlier.family === later.family || earlier.type !== later.type) continue;
      const a = earlier.claim;
      const b = later.claim;
      if (a && b && a.nrFirst <= b.nrLast && b.nrFirst <= a.nrLast) out.push({ earlier, later });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lines

export interface FamilyLine {
  readonly range: TypeRange;
  /** Registry rows of other headers the claim overlaps, in file order. */
  readonly overlaps: readonly RegistryRow[];
  /** Other spec families whose claims of the same type overlap this one, in program order. */
  readonly overlapsFamilies: readonly string[];
  /** The claim overlaps something: its line says `conflict!`. */
  readonly conflict: boolean;
  /** The line to add to ioctl-number.rst; none when the family's own rows cover the type. */
  readonly line?: string;
}

/** Every family's lines, in familyRanges order. */
export function familyLines(program: Program, reg: Registry): FamilyLine[] {
  const ranges = familyRanges(program, reg);
  const pairs = overlappingClaims(ranges);
  return ranges.map((range) => {
    const overlaps = overlappedRows(range, reg);
    // Pairs come by later range, so the earlier families come first: program order.
    const overlapsFamilies = pairs.flatMap((p) =>
      p.earlier === range ? [p.later.family.name] : p.later === range ? [p.earlier.family.name] : []);
    const conflict = overlaps.length > 0 || overlapsFamilies.length > 0;
    const c = range.claim;
    const line = c ? claimLine(range.type, c.nrFirst, c.nrLast, range.family.header, conflict) : undefined;
    return { range, overlaps, overlapsFamilies, conflict, ...(line === undefined ? {} : { line }) };
  });
}

/** One family's lines, by type (the order the table lists them in). */
export function linesOf(lines: readonly FamilyLine[], family: FamilyModel): FamilyLine[] {
  return lines.filter((l) => l.range.family === family).sort((a, b) => a.range.type - b.range.type);
}
