/** Comparing inclusive value ranges (`@range`, by-value ioctl arguments); null bounds are open. */
import type { LockedRange } from "./lock-model.js";

export type RangeChange = "same" | "narrowed" | "widened";

function bound(v: string | null | undefined): bigint | null {
  return v === null || v === undefined ? null : BigInt(v);
}

/** Narrowed if some value the old range accepted is now rejected (even if others were added). */
export function compareRanges(a: LockedRange | null | undefined, b: LockedRange | null | undefined): RangeChange {
  const [amin, amax, bmin, bmax] = [bound(a?.min), bound(a?.max), bound(b?.min), bound(b?.max)];
  const lost = (bmin !== null && (amin === null || bmin > amin)) || (bmax !== null && (amax === null || bmax < amax));
  if (lost) return "narrowed";
  const gained = (amin !== null && (bmin === null || bmin < amin)) || (amax !== null && (bmax === null || bmax > amax));
  return gained ? "widened" : "same";
}

export function showRange(r: LockedRange | null | undefined): string {
  if (!r) return "any value";
  return `[${r.min ?? "…"}, ${r.max ?? "…"}]`;
}
