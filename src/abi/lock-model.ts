/**
 * The ABI lock (`abi.lock`): what user space compiled against the specs depends on, per target,
 * and nothing else. It records every ioctl's number and its argument's full layout, every
 * message, mmap layout, record, enum and constant — the names, values, offsets and sizes a
 * binary or a program's source bakes in. Documentation is deliberately absent: the lock should
 * change exactly when the ABI does, so a reviewer reading the lock's diff reads the ABI's diff.
 *
 * Values that are the same on every target are stored once (`"offset": 8`); values that differ
 * are stored per target (`"offset": { "x86_64": 8, "i386": 4, … }`). Big integers (constants,
 * enum values, ranges) are decimal strings, as in the JSON model.
 */

/** The lock format version; bump when the shape changes incompatibly. */
export const LOCK_VERSION = 1;

/**
 * One number for all targets, or the usual value under `"*"` plus the targets that differ
 * (`{ "*": 8, "i386": 4, "m68k": 2, "sh4": 4 }`).
 */
export type PerTarget = number | { readonly [target: string]: number };

export interface LockedRange {
  readonly min: string | null;
  readonly max: string | null;
}

/** A member along a flattened path of a record (`mmio.phys_addr`, `rules[].len`). */
export interface LockedField {
  readonly path: string;
  /** The type as spelled in the spec (`u64`, `gh_vm_status`, `struct {…}`, `u8[8]`). */
  readonly type: string;
  /** What is stored, independent of spelling: `u32`, `s32`, `le64`, `u8[8]`, `struct`, `union[2]`. */
  readonly storage: string;
  readonly role: "data" | "padding" | "reserved";
  readonly offset: PerTarget;
  readonly size: PerTarget;
  readonly range?: LockedRange;
  /** The enum or flags whose values the field holds (`@flags`/`@enum`, or an enum-typed field). */
  readonly values?: string;
  readonly ptr?: { readonly len: string | null; readonly to: string | null };
  readonly fd?: { readonly none: string | null; readonly kind: string | null };
  readonly string?: true;
  /** A direct member of a union (an arm), named or promoted from an anonymous union. */
  readonly arm?: true;
}

/** The layout of a type: a record's flattened members, or a lone scalar/array. */
export interface LockedType {
  readonly type: string;
  readonly storage: string;
  readonly size: PerTarget;
  readonly align: PerTarget;
  readonly packed?: true;
  readonly fields: readonly LockedField[];
}

export interface LockedIoctl {
  readonly dir: "none" | "read" | "write" | "readwrite";
  readonly magic: number;
  readonly nr: number;
  readonly legacy?: true;
  readonly on: string | null;
  readonly returns: string;
  /** A by-value argument (`value ulong @range(0, 0)`). */
  readonly value?: { readonly type: string; readonly range: LockedRange | null };
  readonly errors: readonly string[];
  readonly arg: LockedType | null;
  /** The request number per target, as `0x…` hex. */
  readonly numbers: { readonly [target: string]: string };
}

export interface LockedEnumMember {
  readonly name: string;
  readonly value: string;
  readonly sentinel?: true;
}

export interface LockedEnum {
  readonly flavor: "enum" | "flags";
  readonly base: string;
  readonly bitIndex?: true;
  readonly members: readonly LockedEnumMember[];
}

export interface LockedConst {
  readonly value: string;
}

export interface LockedFd {
  readonly path: string | null;
  readonly mmap: LockedType | null;
}

export interface LockedMessage {
  readonly transport: string;
  readonly request: LockedType;
  readonly reply: LockedType | null;
  readonly errors: readonly string[];
}

export interface LockedCommand {
  readonly params: readonly string[];
  readonly errors: readonly string[];
}

export interface LockedFamily {
  readonly header: string;
  readonly constants: { readonly [name: string]: LockedConst };
  readonly enums: { readonly [name: string]: LockedEnum };
  readonly records: { readonly [name: string]: LockedType };
  readonly fds: { readonly [name: string]: LockedFd };
  readonly ioctls: { readonly [name: string]: LockedIoctl };
  /** Keyed `protocol.message`. */
  readonly messages: { readonly [name: string]: LockedMessage };
  /** Text-protocol commands, keyed `protocol.command`. */
  readonly commands: { readonly [name: string]: LockedCommand };
}

export interface AbiLock {
  readonly version: number;
  readonly generator: "abigen";
  readonly targets: readonly string[];
  readonly families: { readonly [name: string]: LockedFamily };
}

/** The value of a PerTarget on one target (undefined when the lock lacks that target). */
export function at(v: PerTarget, target: string): number | undefined {
  return typeof v === "number" ? v : (v[target] ?? v["*"]);
}

/** Store per-target values once when they agree, else the most common one plus the exceptions. */
export function compact(values: ReadonlyMap<string, number>): PerTarget {
  const counts = new Map<number, number>();
  for (const v of values.values()) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (counts.size === 1) return [...counts.keys()][0]!;
  // Most common value; ties go to the value seen first (targets are in a fixed order).
  let usual = 0;
  let best = -1;
  for (const [v, n] of counts) if (n > best) [usual, best] = [v, n];
  const out: Record<string, number> = { "*": usual };
  for (const [t, v] of values) if (v !== usual) out[t] = v;
  return out;
}
