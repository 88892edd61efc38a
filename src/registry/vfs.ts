/**
 * Which ioctl numbers the VFS answers before a driver runs, per target. The definitions come
 * from data/vfs-intercepted.json; numbers are encoded here with the target's _IOC encoding and
 * the target's size of the argument type, so i386's 44-byte struct space_resv and ILP32's
 * 4-byte long give their own numbers.
 */
import { readFileSync } from "node:fs";
import { encodeIoctl } from "../targets/ioctl-encoding.js";
import { findTarget, type Target } from "../targets/targets.js";
import type { CMember, VfsCommand, VfsData, VfsDefinition } from "./vfs-data.js";

export type { VfsCommand, VfsData, VfsDefinition } from "./vfs-data.js";

const FILE = new URL("../../data/vfs-intercepted.json", import.meta.url);
let cached: VfsData | undefined;

export function vfsData(): VfsData {
  cached ??= JSON.parse(readFileSync(FILE, "utf8")) as VfsData;
  return cached;
}

function sizeAlign(kind: CMember["kind"], t: Target): [size: number, align: number] {
  switch (kind) {
    case "u8": return [1, 1];
    case "u16": return [2, t.align.i16];
    case "u32": return [4, t.align.i32];
    case "u64": return [8, t.align.i64];
    case "long": return [t.sizes.long, t.align.long];
  }
}

/** C struct layout of a member list: each member at its alignment, the size rounded to the largest. */
export function ctypeSize(members: readonly CMember[], t: Target): number {
  let offset = 0;
  let align = 1;
  for (const m of members) {
    const [size, a] = sizeAlign(m.kind, t);
    offset = Math.ceil(offset / a) * a + size * (m.count ?? 1);
    align = Math.max(align, a);
  }
  return Math.ceil(offset / align) * align;
}

/** The definition that applies on `t` (an arch's own ioctls.h may redefine a command). */
export function definitionFor(cmd: VfsCommand, t: Target): VfsDefinition {
  return cmd.archOverrides.find((o) => o.targets.includes(t.name))?.definition ?? cmd.definition;
}

export function encodeDefinition(def: VfsDefinition, t: Target, data: VfsData = vfsData()): number {
  if (def.kind === "literal") return def.value;
  let size = 0;
  if (def.ctype !== null) {
    const members = data.ctypes[def.ctype];
    if (!members) throw new Error(`vfs-intercepted.json: no layout for ${def.ctype}`);
    size = ctypeSize(members, t);
  }
  return encodeIoctl(t.ioctl, def.dir, def.type, def.nr, size);
}

export interface VfsHit {
  readonly command: VfsCommand;
  readonly number: number;
}

/** Every intercepted command with its number on `t`. */
export function vfsNumbers(target: Target | string): VfsHit[] {
  const t = resolve(target);
  const data = vfsData();
  return data.commands.map((command) => ({ command, number: encodeDefinition(definitionFor(command, t), t, data) }));
}

/** The intercepted commands whose number on `target` is `n` (usually zero or one). */
export function vfsIntercepted(n: number, target: Target | string): VfsHit[] {
  return vfsNumbers(target).filter((h) => h.number === n >>> 0);
}

function resolve(target: Target | string): Target {
  if (typeof target !== "string") return target;
  const t = findTarget(target);
  if (!t) throw new Error(`unknown target ${target}`);
  return t;
}
