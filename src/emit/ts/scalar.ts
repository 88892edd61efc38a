/**
 * How one scalar is read and written on one target: the DataView method, the literal
 * `littleEndian` argument, its TS representation and its value range. long/ulong/ptr are
 * `bigint` on every target (so one TS type fits every layout) even where they are 4 bytes.
 */
import type { EnumModel, Scalar, Type } from "../../model/model.js";
import { scalarRange } from "../../model/scalars.js";
import { scalarSize } from "../../layout/layout.js";
import type { Target } from "../../targets/targets.js";

export interface ScalarAccess {
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  readonly littleEndian: boolean;
  /** The TS representation. */
  readonly big: boolean;
  /** DataView method suffix: `Uint16`, `BigInt64`, … */
  readonly method: string;
  readonly min: bigint;
  readonly max: bigint;
  /** For messages: `u16`, `ulong`, … */
  readonly typeName: string;
}

/** TS representation of a scalar, independent of the target. */
export function isBigScalar(sc: Scalar): boolean {
  return sc.size === 8 || sc.size === "long" || sc.size === "ptr";
}

export function scalarAccess(sc: Scalar, target: Target): ScalarAccess {
  const size = scalarSize(sc, target) as 1 | 2 | 4 | 8;
  const littleEndian = sc.endian === "native" ? target.endian === "little" : sc.endian === "little";
  const bits = size * 8;
  const method = size === 8 ? (sc.signed ? "BigInt64" : "BigUint64") : `${sc.signed ? "Int" : "Uint"}${bits}`;
  const { min, max } = scalarRange(sc, size);
  return { size, signed: sc.signed, littleEndian, big: isBigScalar(sc), method, min, max, typeName: sc.name };
}

/** The scalar a field's value is stored as (an enum's base for enum-typed fields). */
export function storedScalar(type: Type): Scalar | undefined {
  if (type.kind === "scalar") return type.scalar;
  if (type.kind === "enum") return type.decl.base;
  return undefined;
}

/** A bigint as a TS literal of the given representation. */
export function lit(v: bigint, big: boolean): string {
  if (big) return `${v}n`;
  return v < 0n ? `-${hexOrDec(-v)}` : hexOrDec(v);
}

function hexOrDec(v: bigint): string {
  // Masks and large limits read better in hex; small numbers in decimal.
  return v > 0xffffn && (v & (v + 1n)) === 0n ? `0x${v.toString(16)}` : v.toString();
}

/** Non-sentinel members of an enum or flags. */
export function realMembers(e: EnumModel) {
  return e.members.filter((m) => !m.sentinel);
}

/** The union of a flags type's member masks. */
export function knownMask(e: EnumModel): bigint {
  let m = 0n;
  for (const mem of realMembers(e)) m |= mem.mask ?? mem.value;
  return m;
}
