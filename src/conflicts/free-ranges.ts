/**
 * Where a family could move: registry gaps wide enough for its claim, not used by another spec
 * family, nor (when a scan is at hand) by any installed header.
 */
import type { Registry, FreeSlot } from "../registry/registry.js";
import type { ScanResult } from "../scan/scan.js";
import type { TypeRange } from "../registry/family-lines.js";
import { hexByte, typeLabel } from "./labels.js";

export interface Occupancy {
  /** Slots used by spec families, by `type << 8 | nr`, with the family using it. */
  readonly spec: ReadonlyMap<number, string>;
  /** Slots used by installed-header ioctls (empty without a scan). */
  readonly installed: ReadonlySet<number>;
  /** Type codes any installed header uses. */
  readonly installedTypes: ReadonlySet<number>;
}

export function occupancy(ranges: readonly TypeRange[], scan?: ScanResult): Occupancy {
  const spec = new Map<number, string>();
  for (const r of ranges) {
    for (const io of r.ioctls) spec.set((r.type << 8) | io.nr, r.family.name);
    if (r.claim) for (let n = r.claim.nrFirst; n <= r.claim.nrLast; n++) spec.set((r.type << 8) | n, r.family.name);
  }
  const installed = new Set((scan?.entries ?? []).map((e) => (e.type << 8) | e.nr));
  return { spec, installed, installedTypes: new Set((scan?.entries ?? []).map((e) => e.type)) };
}

function free(slot: { type: number; nrFirst: number; nrLast: number }, family: string, occ: Occupancy): boolean {
  for (let n = slot.nrFirst; n <= slot.nrLast; n++) {
    const key = (slot.type << 8) | n;
    const user = occ.spec.get(key);
    if ((user !== undefined && user !== family) || occ.installed.has(key)) return false;
  }
  return true;
}

/**
 * Up to `count` free slots as wide as the claim: in the same type first (keeping the magic),
 * then in type codes nothing uses at all.
 */
export function suggestFree(range: TypeRange, reg: Registry, occ: Occupancy, count = 3): FreeSlot[] {
  const c = range.claim;
  if (!c) return [];
  const width = c.nrLast - c.nrFirst + 1;
  const family = range.family.name;
  const same = reg.freeRanges({ type: range.type, width }).filter((s) => free(s, family, occ));
  const usedTypes = new Set([...occ.spec.keys()].map((k) => k >> 8));
  const other = reg
    .freeRanges({ width, exclude: (t) => t === range.type || usedTypes.has(t) || occ.installedTypes.has(t) })
    .filter((s) => s.typeUnused && free(s, family, occ));
  return [...same.slice(0, 1), ...other].slice(0, count);
}

/** `type 'G' nrs 0x08-0x0f`, `type 0x05 nr 0x00 (a type no one uses)`. */
export function slotLabel(s: FreeSlot): string {
  const nr = s.nrFirst === s.nrLast ? `nr ${hexByte(s.nrFirst)}` : `nrs ${hexByte(s.nrFirst)}-${hexByte(s.nrLast)}`;
  return `type ${typeLabel(s.type)} ${nr}${s.typeUnused ? " (a type no one uses)" : ""}`;
}
