/** The builtin scalar types of the language and their C spellings. */
import type { Scalar, ScalarName } from "./model.js";

function s(name: ScalarName, size: Scalar["size"], signed: boolean, cType: string, extra: Partial<Scalar> = {}): Scalar {
  return { name, size, signed, endian: "native", archDependent: false, isChar: false, cType, ...extra };
}

export const SCALARS: ReadonlyMap<string, Scalar> = new Map(
  [
    s("u8", 1, false, "__u8"),
    s("u16", 2, false, "__u16"),
    s("u32", 4, false, "__u32"),
    s("u64", 8, false, "__u64"),
    s("s8", 1, true, "__s8"),
    s("s16", 2, true, "__s16"),
    s("s32", 4, true, "__s32"),
    s("s64", 8, true, "__s64"),
    s("le16", 2, false, "__le16", { endian: "little" }),
    s("le32", 4, false, "__le32", { endian: "little" }),
    s("le64", 8, false, "__le64", { endian: "little" }),
    s("be16", 2, false, "__be16", { endian: "big" }),
    s("be32", 4, false, "__be32", { endian: "big" }),
    s("be64", 8, false, "__be64", { endian: "big" }),
    s("aligned_u64", 8, false, "__aligned_u64", { forcedAlign: 8 }),
    s("aligned_s64", 8, true, "__aligned_s64", { forcedAlign: 8 }),
    s("aligned_le64", 8, false, "__aligned_le64", { endian: "little", forcedAlign: 8 }),
    s("aligned_be64", 8, false, "__aligned_be64", { endian: "big", forcedAlign: 8 }),
    s("char", 1, true, "char", { isChar: true }),
    s("int", 4, true, "int", { archDependent: true }),
    s("uint", 4, false, "unsigned int", { archDependent: true }),
    s("long", "long", true, "long", { archDependent: true }),
    s("ulong", "long", false, "unsigned long", { archDependent: true }),
    s("ptr", "ptr", false, "void *", { archDependent: true }),
  ].map((x) => [x.name, x]),
);

/** Smallest and largest value of a scalar of `bytes` bytes. */
export function scalarRange(sc: Scalar, bytes: number): { min: bigint; max: bigint } {
  const bits = BigInt(bytes * 8);
  return sc.signed
    ? { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n }
    : { min: 0n, max: (1n << bits) - 1n };
}
