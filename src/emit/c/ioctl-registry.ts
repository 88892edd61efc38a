/**
 * The family's rows for Documentation/userspace-api/ioctl/ioctl-number.rst: one per magic type,
 * with the range of numbers used, in the registry's own column layout
 * (`'V'   01-02  linux/uvirtio.h`). Legacy ioctls are left out: their numbers predate the
 * registry and are not the family's to claim.
 */
import type { FamilyModel } from "../../model/model.js";
import { declsOf } from "../../model/model.js";

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}

/** The registry's spelling of a magic: `'V'` when printable, else `0xAE`. */
export function magicCode(magic: number): string {
  const printable = magic > 0x20 && magic < 0x7f && magic !== 0x27 && magic !== 0x5c;
  return printable ? `'${String.fromCharCode(magic)}'` : `0x${hex2(magic)}`;
}

export function registryLines(f: FamilyModel): string[] {
  const ranges = new Map<number, { lo: number; hi: number }>();
  for (const io of declsOf(f, "ioctl")) {
    if (io.legacy) continue;
    const r = ranges.get(io.magic);
    if (!r) ranges.set(io.magic, { lo: io.nr, hi: io.nr });
    else ranges.set(io.magic, { lo: Math.min(r.lo, io.nr), hi: Math.max(r.hi, io.nr) });
  }
  return [...ranges]
    .sort(([a], [b]) => a - b)
    .map(([magic, { lo, hi }]) => {
      const seq = lo === hi ? hex2(lo) : `${hex2(lo)}-${hex2(hi)}`;
      return `${magicCode(magic).padEnd(6)}${seq.padEnd(7)}${f.header}`;
    });
}
