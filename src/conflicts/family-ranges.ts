/**
 * What each spec family occupies in the (type, nr) space, per magic type: its ioctls, the
 * registry rows that are its own allocation (rows naming the family's header), and the
 * range it would have to register for the ioctls no own row covers (its "claim").
 *
 * The claim is one contiguous [min nr, max nr] of the uncovered ioctls — that is how
 * ioctl-number.rst allocates (one row per range), so a family using 0x00 and 0x20 claims
 * 0x00-0x20 and everything in between.
 */
import { declsOf, type FamilyModel, type IoctlModel, type Program } from "../model/model.js";
import type { Registry, RegistryRow } from "../registry/registry.js";
import { rowIsOwn } from "./labels.js";

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
      const own = (reg.rows.filter((r) => r.type === type && rowIsOwn(r, family.header)));
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
