/**
 * The integer checks of generated encoders (emitted as `(x >>> 0) === x`, `(x | 0) === x`,
 * `(x & 0xffff) === x` for speed) against the plain definition: a number field accepts exactly
 * the numbers for which `Number.isInteger(x) && lo <= x <= hi`; everything else is an EncodeError
 * naming the field (never a TypeError, never a call of the value's valueOf). And the bounds check
 * of encodeInto/decode (a probe read standing in for the byteLength compare) against its definition.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compileWithHost } from "../../src/compiler.js";
import { TARGETS } from "../../src/targets/targets.js";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Slab } from "../../src/runtime/codec.js";
import { generateTs, importFamily, type AnyCodec } from "./ts-harness.js";

const SPEC = `family ints = "ints.h";
struct all_ints {
  e: u32;
  f: s32;
  g: int;
  h: u32 @range(1, 1000);
  i: s32 @range(-5, 70000);
  c: u16;
  d: s16;
  j: u16 @range(0, 255);
  l: s16 @range(0, 32767);
  a: u8;
  b: s8;
  k: u8 @range(3, 7);
  m: u8 @range(0, 0);
}
`;

/** field → [lo, hi] as the spec says. */
const RANGES: Record<string, [number, number]> = {
  a: [0, 255], b: [-128, 127], c: [0, 65535], d: [-32768, 32767], e: [0, 0xffffffff], f: [-0x80000000, 0x7fffffff],
  g: [-0x80000000, 0x7fffffff], h: [1, 1000], i: [-5, 70000], j: [0, 255], k: [3, 7], l: [0, 32767], m: [0, 0],
};

const VALID: Record<string, number> = { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0, h: 1, i: 0, j: 0, k: 3, l: 0, m: 0 };

let codec: AnyCodec;

beforeAll(async () => {
  const r = compileWithHost(["/ints.abi"], { read: (p) => (p === "/ints.abi" ? SPEC : undefined), display: (p) => p }, TARGETS);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  codec = (await importFamily(await generateTs(r.program!, r.targets), "ints")).AllInts as AnyCodec;
});

function candidates(lo: number, hi: number): unknown[] {
  const around = (x: number) => [x - 1, x - 0.5, x, x + 0.5, x + 1];
  return [
    ...around(lo), ...around(hi), -0, 0, 1, -1, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 32 + 3, -(2 ** 32),
    2 ** 53, -(2 ** 53), 1e-9, 255, 256, 65535, 65536, 32767, 32768, -32769,
    "5", 5n, true, null, undefined, {}, [3],
  ];
}

describe("number range checks of generated encoders", () => {
  it("accept exactly the integers of the field's range, and reject the rest with an EncodeError", () => {
    let checked = 0;
    for (const [field, [lo, hi]] of Object.entries(RANGES)) {
      for (const x of candidates(lo, hi)) {
        const expected = typeof x === "number" && Number.isInteger(x) && x >= lo && x <= hi;
        let err: unknown;
        let bytes: Uint8Array | undefined;
        try {
          bytes = codec.encode({ ...VALID, [field]: x });
        } catch (e) {
          err = e;
        }
        if (expected) {
          expect(err, `${field} = ${String(x)}`).toBeUndefined();
          expect(Object.is((codec.decode(bytes!) as Record<string, number>)[field], x === 0 ? 0 : x)).toBe(true);
        } else {
          expect((err as Error | undefined)?.name, `${field} = ${String(x)}`).toBe("EncodeError");
          expect((err as { path: string }).path).toBe(field);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(400);
  });

  it("never call a value's valueOf (the checks must not convert objects)", () => {
    let calls = 0;
    const sneaky = { valueOf: () => (calls++, 1) };
    for (const field of Object.keys(RANGES)) {
      expect(() => codec.encode({ ...VALID, [field]: sneaky })).toThrow(expect.objectContaining({ name: "EncodeError", path: field }));
    }
    expect(calls).toBe(0);
  });
});

describe("bounds check of encodeInto and decode", () => {
  it("accept exactly the integer offsets with offset + SIZE <= byteLength", () => {
    const size = codec.SIZE;
    for (const len of [size - 1, size, size + 3]) {
      for (const bytes of [new Uint8Array(len), new Uint8Array(len + 5).subarray(2, 2 + len)]) {
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (const offset of [-1, -0, 0, 0.5, 1, 2, 3, 4, NaN, Infinity, len - size, len - size + 1, "0" as unknown as number]) {
          const fits = typeof offset === "number" && Number.isInteger(offset) && offset >= 0 && offset + size <= len;
          const encode = () => codec.encodeInto(view, offset, VALID);
          const decode = () => codec.decode(bytes, offset);
          if (fits) {
            expect(encode).not.toThrow();
            expect(decode()).toEqual({ ...VALID });
          } else {
            const before = Uint8Array.from(new Uint8Array(bytes.buffer));
            expect(encode, `encodeInto at ${offset} of ${len}`).toThrow(expect.objectContaining({ name: "EncodeError", message: expect.stringMatching(/^need \d+ bytes at offset/) }));
            expect(new Uint8Array(bytes.buffer)).toEqual(before); // nothing written
            expect(decode, `decode at ${offset} of ${len}`).toThrow(expect.objectContaining({ name: "DecodeError" }));
          }
        }
      }
    }
  });
});

describe("64-bit fields through the slab's words (rt.Words64)", () => {
  // Packed, 68 bytes: the 64-bit fields sit at 1, 12, 20 (be64: always the DataView), 28 (in
  // `inner`), 36, 44, 52, 60; encodeInto at the eight shifts of an 8-aligned slab offset puts
  // each of them 8-aligned (the words) at one shift and unaligned (the DataView) at the others.
  const WORDS = `family words = "words.h";
struct inner { w: u64; }
struct mixed @packed {
  a: u8;
  b: u64;
  c: u8[3];
  s: s64;
  e: be64;
  inner: inner;
  arr: s64[3];
  l: le64;
}
`;
  let mixed: AnyCodec;
  let slab: Slab;
  beforeAll(async () => {
    const r = compileWithHost(["/words.abi"], { read: (p) => (p === "/words.abi" ? WORDS : undefined), display: (p) => p }, TARGETS);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const gen = await generateTs(r.program!, r.targets);
    mixed = (await importFamily(gen, "words")).Mixed as AnyCodec;
    // The slab of the package's own runtime copy (the one its codecs use).
    slab = ((await import(pathToFileURL(join(gen.dir, "ts", "runtime", "codec.ts")).href)) as { slab: Slab }).slab;
    expect(slab.words).toBeInstanceOf(BigUint64Array); // the words path is what this block tests (x86-64 host)
  });

  /** The bytes, written here with DataView calls at the offsets GCC gives a packed struct. */
  function reference(x: { a: number; b: bigint; c: Uint8Array; s: bigint; e: bigint; inner: { w: bigint }; arr: bigint[]; l: bigint }): Uint8Array {
    const out = new Uint8Array(68);
    const v = new DataView(out.buffer);
    v.setUint8(0, x.a);
    v.setBigUint64(1, x.b, true);
    out.set(x.c, 9);
    v.setBigInt64(12, x.s, true);
    v.setBigUint64(20, x.e, false);
    v.setBigUint64(28, x.inner.w, true);
    x.arr.forEach((y, i) => v.setBigInt64(36 + 8 * i, y, true));
    v.setBigUint64(60, x.l, true);
    return out;
  }

  it("encode, and encodeInto the slab at any offset, write the same bytes as DataView stores", () => {
    expect(mixed.SIZE).toBe(68);
    const values = [
      { a: 1, b: 0xffff_ffff_ffff_ffffn, c: new Uint8Array([1, 2, 3]), s: -1n, e: 0x0102_0304_0506_0708n, inner: { w: 0x8000_0000_0000_0000n }, arr: [-(2n ** 63n), 2n ** 63n - 1n, -2n], l: 5n },
      { a: 0, b: 0n, c: new Uint8Array(3), s: 0n, e: 0n, inner: { w: 0n }, arr: [0n, 0n, 0n], l: 0n },
    ];
    for (const x of values) {
      const want = Buffer.from(reference(x));
      expect(Buffer.from(mixed.encode(x))).toEqual(want);
      // Into the slab itself (the words path of encodeInto) at offsets of every alignment.
      for (let shift = 0; shift < 8; shift++) {
        const o = slab.take(68 + 8) + shift;
        mixed.encodeInto(slab.view, o, x);
        expect(Buffer.from(new Uint8Array(slab.view.buffer, o, 68))).toEqual(want);
      }
    }
  });

  it("values out of range are still EncodeErrors on the words path", () => {
    const ok = { a: 1, b: 1n, c: new Uint8Array(3), s: 1n, e: 1n, inner: { w: 1n }, arr: [1n, 1n, 1n], l: 1n };
    for (const [field, bad] of [["s", 2n ** 63n], ["l", -1n], ["l", 2n ** 64n], ["s", 1]] as const) {
      expect(() => mixed.encode({ ...ok, [field]: bad })).toThrow(expect.objectContaining({ name: "EncodeError", path: field }));
    }
    expect(() => mixed.encode({ ...ok, inner: { w: -1n } })).toThrow(expect.objectContaining({ name: "EncodeError", path: "inner.w" }));
    expect(() => mixed.encode({ ...ok, arr: [1n, 2n ** 63n, 1n] })).toThrow(expect.objectContaining({ name: "EncodeError", path: "arr[1]" }));
  });
});

describe("encodeInto with the caller's words (the stubs' scratch buffers)", () => {
  it("writes the same bytes as DataView stores, at aligned and unaligned offsets, and nothing outside", async () => {
    const { KvmUserspaceMemoryRegion } = await import("../../generated/ts/kvm/index.js");
    const { wordsOf } = await import("../../generated/ts/runtime/codec.js");
    const codec = KvmUserspaceMemoryRegion.forTarget("x86_64");
    const value = { slot: 3, flags: 1, guest_phys_addr: 0x1_0000_0000n, memory_size: 0xfedc_ba98_7654_3210n, userspace_addr: 0x7f00_1234_5000n };
    for (const at of [0, 8, 4, 12]) {
      const plain = new DataView(new ArrayBuffer(64));
      codec.encodeInto(plain, at, value);
      const buffer = new ArrayBuffer(64);
      new Uint8Array(buffer).fill(0xaa);
      const view = new DataView(buffer);
      codec.encodeInto(view, at, value, wordsOf(buffer));
      const got = new Uint8Array(buffer);
      expect([...got.subarray(at, at + 32)]).toEqual([...new Uint8Array(plain.buffer, at, 32)]);
      expect(got.subarray(0, at).every((b) => b === 0xaa) && got.subarray(at + 32).every((b) => b === 0xaa)).toBe(true);
    }
  });
});
