/**
 * vfsClashes (src/conflicts/vfs-clashes.ts) of every spec ioctl, computed once per build and
 * shared by ABI102 and ABI103. Only ioctls that can meet a VFS command are handed to it: a clash,
 * equal number or shared slot, needs the same (type, nr), the low 16 bits of the number, on
 * some target; the shared number table (ioctl-number-table.ts) answers that without decoding.
 * The result is what vfsClashes(allIoctls(program), targets) returns: it treats each ioctl on
 * its own, in order, so leaving out ioctls that meet nothing changes nothing else.
 */
import type { Program } from "../model/model.js";
import type { Target } from "../targets/targets.js";
import { vfsClashes, type VfsClash } from "../conflicts/vfs-clashes.js";
import { vfsNumbers } from "../registry/vfs.js";
import { ioctlNumberTable } from "./ioctl-number-table.js";

const cache = new WeakMap<Program, WeakMap<readonly Target[], VfsClash[]>>();

export function specVfsClashes(program: Program, targets: readonly Target[]): readonly VfsClash[] {
  let perProgram = cache.get(program);
  if (!perProgram) cache.set(program, (perProgram = new WeakMap()));
  let clashes = perProgram.get(targets);
  if (!clashes) {
    const slots = new Set<number>();
    for (const t of targets) for (const h of vfsNumbers(t)) slots.add(h.number & 0xffff);
    const { ioctls, numbers } = ioctlNumberTable(program, targets);
    const candidates = ioctls.filter((_, i) => numbers[i]!.some((n) => slots.has(n & 0xffff)));
    clashes = vfsClashes(candidates, targets);
    perProgram.set(targets, clashes);
  }
  return clashes;
}
