/**
 * Valid encode inputs for every record, built from the model (not from the emitter): fast-check
 * arbitraries for property tests, and deterministic boundary values (0, max, -1 for signed,
 * max-length strings) for round trips.
 */
import fc from "fast-check";
import type { EnumModel, FieldModel, RecordModel, Scalar, Type } from "../../src/model/model.js";
import { scalarRange } from "../../src/model/scalars.js";
import { scalarSize } from "../../src/layout/layout.js";
import type { Target } from "../../src/targets/targets.js";

const isBig = (sc: Scalar): boolean => sc.size === 8 || sc.size === "long" || sc.size === "ptr";

function scalarOf(type: Type): Scalar | undefined {
  return type.kind === "scalar" ? type.scalar : type.kind === "enum" ? type.decl.base : undefined;
}

function valuesOf(type: Type, f?: FieldModel): EnumModel | undefined {
  return type.kind === "enum" ? type.decl : f?.values;
}

function isPlainBytes(t: Type & { kind: "array" }, f?: FieldModel): boolean {
  const plain = f === undefined || (f.range === undefined && f.values === undefined);
  return plain && t.element.kind === "scalar" && t.element.scalar.size === 1 && !t.element.scalar.signed && !t.element.scalar.isChar;
}

/** The valid integer range of a scalar field on a target: type ∩ @range. */
export function intRange(sc: Scalar, target: Target, f?: FieldModel): { min: bigint; max: bigint } {
  const r = scalarRange(sc, scalarSize(sc, target));
  const min = f?.range?.min !== undefined && f.range.min > r.min ? f.range.min : r.min;
  const max = f?.range?.max !== undefined && f.range.max < r.max ? f.range.max : r.max;
  return { min, max };
}

const members = (e: EnumModel) => e.members.filter((m) => !m.sentinel);
const conv = (sc: Scalar) => (v: bigint): number | bigint => (isBig(sc) ? v : Number(v));

/** Fit a string into `n` UTF-8 bytes without NUL (dropping whole code points at the end). */
export function fitUtf8(s: string, n: number): string {
  const enc = new TextEncoder();
  let out = "";
  let bytes = 0;
  for (const ch of s.replace(/\0/g, "")) {
    bytes += enc.encode(ch).length;
    if (bytes > n) break;
    out += ch;
  }
  return out;
}

/**
 * u8[N]: fast-check builds arrays element by element, which is slow for the 128 KiB buffers of
 * some protocols; long ones are filled from a random seed (or all 0x00 / all 0xff) instead.
 */
function bytes(n: number): fc.Arbitrary<Uint8Array> {
  if (n <= 64) return fc.uint8Array({ minLength: n, maxLength: n });
  return fc.tuple(fc.integer(), fc.constantFrom("random", "zero", "ones")).map(([seed, kind]) => {
    const out = new Uint8Array(n);
    if (kind === "ones") return out.fill(0xff);
    if (kind === "zero") return out;
    let x = seed | 1;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  });
}

export function arbitraryRecord(rec: RecordModel, target: Target): fc.Arbitrary<Record<string, unknown>> {
  const value = (t: Type, f?: FieldModel): fc.Arbitrary<unknown> => {
    const sc = scalarOf(t);
    if (sc) {
      const c = conv(sc);
      const en = valuesOf(t, f);
      const { min, max } = intRange(sc, target, f);
      if (en?.flavor === "enum") return fc.constantFrom(...members(en).map((m) => c(m.value)));
      if (en?.flavor === "flags") {
        const masks = members(en).map((m) => m.mask ?? m.value);
        return fc.subarray(masks).map((ms) => c(ms.reduce((a, b) => a | b, 0n)));
      }
      return fc.bigInt({ min, max }).map(c);
    }
    if (t.kind === "array") {
      if (t.length === null) return fc.constant(undefined);
      if (t.element.kind === "scalar" && t.element.scalar.isChar) {
        const n = t.length;
        return fc.oneof(
          fc.string({ unit: "grapheme", maxLength: n }).map((s) => fitUtf8(s, n)),
          fc.string({ unit: "grapheme-ascii", minLength: n, maxLength: n }).map((s) => fitUtf8(s, n)),
        );
      }
      if (isPlainBytes(t, f)) return bytes(t.length);
      return fc.array(value(t.element, f), { minLength: t.length, maxLength: t.length });
    }
    if (t.kind === "record") return record(t.decl);
    throw new Error("unreachable");
  };
  /** Objects holding a record's own properties (anonymous members merged in). */
  const parts = (r: RecordModel): fc.Arbitrary<Record<string, unknown>> => {
    if (r.record === "union") return fc.oneof(...r.fields.map((f) => member(f)));
    const ms = r.fields.map((f) => member(f));
    return fc.tuple(...ms).map((objs) => Object.assign({}, ...objs) as Record<string, unknown>);
  };
  const member = (f: FieldModel): fc.Arbitrary<Record<string, unknown>> => {
    if (f.name === undefined) return parts((f.type as Type & { kind: "record" }).decl);
    const name = f.name;
    if (f.type.kind === "array" && f.type.length === null) return fc.constant({});
    // Padding and reserved: omitted (encoders write zero) or given as zero.
    if (f.role !== "data") return fc.constantFrom({}, { [name]: zeroValue(f.type, target, f) });
    return value(f.type, f).map((v) => ({ [name]: v }));
  };
  const record = (r: RecordModel) => parts(r);
  return record(rec);
}

/** The zero value of a type as the codecs represent it. */
export function zeroValue(t: Type, target: Target, f?: FieldModel, arm = 0): unknown {
  const sc = scalarOf(t);
  if (sc) return isBig(sc) ? 0n : 0;
  if (t.kind === "array") {
    if (t.length === null) return undefined;
    if (t.element.kind === "scalar" && t.element.scalar.isChar) return "";
    if (isPlainBytes(t, f)) return new Uint8Array(t.length);
    return Array.from({ length: t.length }, () => zeroValue(t.element, target, f, arm));
  }
  if (t.kind === "record") return boundaryRecord(t.decl, target, "zero", arm);
  throw new Error("unreachable");
}

export type Boundary = "zero" | "max" | "min";

/**
 * A deterministic value at a boundary: every integer at 0 / its maximum / its minimum (-1 and
 * below for signed types; enums take their first or last member, flags none or all), strings
 * empty or at their full byte length, each union in arm `arm` (or its last arm when it has fewer).
 */
export function boundaryRecord(rec: RecordModel, target: Target, which: Boundary, arm = 0): Record<string, unknown> {
  const value = (t: Type, f?: FieldModel): unknown => {
    const sc = scalarOf(t);
    if (sc) {
      const c = conv(sc);
      const en = valuesOf(t, f);
      const { min, max } = intRange(sc, target, f);
      if (en?.flavor === "enum") {
        const ms = members(en).map((m) => m.value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return c(which === "max" ? ms[ms.length - 1]! : ms[0]!);
      }
      if (en?.flavor === "flags") return c(which === "max" ? members(en).reduce((a, m) => a | (m.mask ?? m.value), 0n) : 0n);
      if (which === "zero") return c(min > 0n ? min : max < 0n ? max : 0n);
      return c(which === "max" ? max : min);
    }
    if (t.kind === "array") {
      if (t.length === null) return undefined;
      if (t.element.kind === "scalar" && t.element.scalar.isChar) {
        if (which === "zero") return "";
        // Full length: ASCII for max, two-byte characters (and one ASCII if odd) for min.
        return which === "max" ? "x".repeat(t.length) : "é".repeat(Math.floor(t.length / 2)) + (t.length % 2 ? "z" : "");
      }
      if (isPlainBytes(t, f)) return new Uint8Array(t.length).fill(which === "max" ? 0xff : which === "min" ? 0x80 : 0);
      return Array.from({ length: t.length }, () => value(t.element, f));
    }
    if (t.kind === "record") return fields(t.decl);
    throw new Error("unreachable");
  };
  const fields = (r: RecordModel): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const chosen = r.record === "union" ? [r.fields[Math.min(arm, r.fields.length - 1)]!] : r.fields;
    for (const f of chosen) {
      if (f.name === undefined) Object.assign(out, fields((f.type as Type & { kind: "record" }).decl));
      else if (f.type.kind === "array" && f.type.length === null) continue;
      else if (f.role !== "data") out[f.name] = zeroValue(f.type, target, f, arm);
      else out[f.name] = value(f.type, f);
    }
    return out;
  };
  return fields(rec);
}

/** The most arms any union inside the record has (to cover each arm once). */
export function maxArms(rec: RecordModel): number {
  let n = rec.record === "union" ? rec.fields.length : 1;
  const visit = (t: Type): void => {
    if (t.kind === "array") visit(t.element);
    else if (t.kind === "record") n = Math.max(n, maxArms(t.decl));
  };
  for (const f of rec.fields) visit(f.type);
  return n;
}
