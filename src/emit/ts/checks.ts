/**
 * The value checks of a field, shared by encoder generation: the integer range (field type ∩
 * `@range`), `@flags` unknown bits, `@enum` membership.
 */
import type { EnumModel, FieldModel, Type } from "../../model/model.js";
import type { Body } from "./codegen.js";
import type { FamilyContext } from "./context.js";
import { knownMask, lit, realMembers, type ScalarAccess } from "./scalar.js";

export interface FieldChecks {
  readonly range?: { readonly min?: bigint; readonly max?: bigint };
  readonly values?: EnumModel;
}

export function checksOf(f: FieldModel | undefined): FieldChecks {
  if (!f) return {};
  return { ...(f.range ? { range: f.range } : {}), ...(f.values ? { values: f.values } : {}) };
}

/** The enum or flags a scalar's value must belong to: its own type's, or the field's `@enum`/`@flags`. */
export function valuesOf(type: Type, checks: FieldChecks): EnumModel | undefined {
  return type.kind === "enum" ? type.decl : checks.values;
}

export function effectiveRange(a: ScalarAccess, checks: FieldChecks): { lo: bigint; hi: bigint } {
  let lo = a.min;
  let hi = a.max;
  if (checks.range?.min !== undefined && checks.range.min > lo) lo = checks.range.min;
  if (checks.range?.max !== undefined && checks.range.max < hi) hi = checks.range.max;
  return { lo, hi };
}

/**
 * The condition "`val` is an integer of the scalar's representation in [lo, hi]". A bigint
 * spanning its whole N-bit storage is tested by wrapping it to N bits (`BigInt.asUintN`), which
 * V8 does without comparing against 64-bit literals: measurably cheaper than `>= lo && <= hi`.
 */
function inRange(a: ScalarAccess, val: string, lo: bigint, hi: bigint): string {
  const bits = a.size * 8;
  if (a.big && lo === a.min && hi === a.max && hi - lo === (1n << BigInt(bits)) - 1n) {
    return `typeof ${val} === "bigint" && BigInt.${a.signed ? "asIntN" : "asUintN"}(${bits}, ${val}) === ${val}`;
  }
  if (a.big) return `typeof ${val} === "bigint" && ${val} >= ${lit(lo, true)} && ${val} <= ${lit(hi, true)}`;
  // A number scalar is at most 32 bits, so its range lies within u32 or s32. For a number,
  // `(x >>> 0) === x` holds exactly for the integers of [0, 2^32), `(x | 0) === x` for those of
  // [-2^31, 2^31) and, when hi is 2^k - 1 (u8, u16, `@range(0, 255)`), `(x & hi) === x` for
  // those of [0, hi] (each also for -0, as Number.isInteger with `>= lo` was): the same test as
  // Number.isInteger plus two compares, cheaper and in fewer bytecodes (which keeps encoders
  // inside V8's inlining budget). The typeof guard keeps the operator from calling a valueOf or
  // throwing on a bigint. test/emit/ts-int-checks.test.ts holds them to the plain definition.
  const unsigned = lo >= 0n && hi <= 0xffffffffn;
  const mask = unsigned && hi < 0x80000000n && (hi & (hi + 1n)) === 0n;
  const [wlo, whi] = mask ? [0n, hi] : unsigned ? [0n, 0xffffffffn] : [-0x80000000n, 0x7fffffffn];
  const word = mask ? `(${val} & ${lit(hi, false)}) === ${val}` : unsigned ? `(${val} >>> 0) === ${val}` : `(${val} | 0) === ${val}`;
  const conds = [`typeof ${val} === "number"`, word];
  if (lo > wlo) conds.push(`${val} >= ${lit(lo, false)}`);
  if (hi < whi) conds.push(`${val} <= ${lit(hi, false)}`);
  return conds.join(" && ");
}

/** Lines that throw an EncodeError unless `val` (a local) is valid for the scalar. */
export function scalarChecks(ctx: FamilyContext, b: Body, a: ScalarAccess, type: Type, checks: FieldChecks, val: string, path: string): string[] {
  const L = (x: bigint): string => lit(x, a.big);
  const { lo, hi } = effectiveRange(a, checks);
  const out = [
    `if (!(${inRange(a, val, lo, hi)})) ${b.fail(`rt.rangeError(${path}, ${val}, ${JSON.stringify(a.typeName)}, ${L(lo)}, ${L(hi)})`)}`,
  ];
  const en = valuesOf(type, checks);
  if (!en) return out;
  const label = JSON.stringify(en.name);
  if (en.flavor === "flags") {
    const known = knownMask(en) & ((1n << BigInt(a.size * 8)) - 1n);
    const zero = a.big ? "0n" : "0";
    out.push(`if ((${val} & ~${L(known)}) !== ${zero}) ${b.fail(`rt.flagsError(${path}, ${val}, ${label}, ${L(known)})`)}`);
    return out;
  }
  const values = [...new Set(realMembers(en).map((m) => m.value))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  let cond: string;
  if (values.length === 0) cond = "false";
  else if (values[values.length - 1]! - values[0]! === BigInt(values.length - 1)) {
    cond = `${val} >= ${L(values[0]!)} && ${val} <= ${L(values[values.length - 1]!)}`;
  } else if (values.length <= 4) {
    cond = values.map((x) => `${val} === ${L(x)}`).join(" || ");
  } else {
    cond = `${ctx.enumSet(en, a.big)}.has(${val})`;
  }
  out.push(`if (!(${cond})) ${b.fail(`rt.enumError(${path}, ${val}, ${label})`)}`);
  return out;
}
