/**
 * `encode` results of the generated codecs come from the runtime's slab (rt.Slab, like Node's
 * Buffer pool): each result is a fresh, zero-padded, 8-aligned slice that no later encode
 * touches, and large results get their own buffer. Checked on the committed package (the same
 * code `npx abigen specs/` writes), against the bytes `encodeInto` writes into a buffer of its own.
 */
import { describe, expect, it } from "vitest";
import { UioMsiIrqSet } from "../../generated/ts/uio_msi/index.js";
import { UvirtioBlock, UvirtioSetup } from "../../generated/ts/uvirtio/index.js";
import { KvmRegs } from "../../generated/ts/kvm/index.js";
import { Slab, SLAB_MAX, slab } from "../../generated/ts/runtime/codec.js";
import { compileWithHost } from "../../src/compiler.js";
import { TARGETS } from "../../src/targets/targets.js";
import { generateTs, importFamily, type AnyCodec } from "./ts-harness.js";

const setup = { features: 1n << 40n, config_addr: 0x1000n, config_len: 16, flags: 1, id: 16 };
const block = { len: 8, flags: 1, data: 0x2000n, rules: Array.from({ length: 8 }, (_, i) => ({ off: i, len: i + 1 })) };

/** The bytes encodeInto writes into a buffer of its own (the reference). */
function alone(codec: { SIZE: number; encodeInto(v: DataView, o: number, x: never): void }, value: unknown): Uint8Array {
  const b = new Uint8Array(codec.SIZE);
  codec.encodeInto(new DataView(b.buffer), 0, value as never);
  return b;
}

describe("encode results are slab slices", () => {
  it("small results share a buffer, start 8-aligned, do not overlap and hold exactly the encoded bytes", () => {
    const results = [UioMsiIrqSet.encode({ vec: 3, fd: 7 }), UvirtioSetup.encode(setup), UvirtioBlock.encode(block), UioMsiIrqSet.encode({ vec: 1, fd: -1 })];
    const spans = results.map((r) => [r.byteOffset, r.byteOffset + r.byteLength] as const);
    for (const r of results) expect(r.byteOffset % 8).toBe(0);
    // Consecutive results come from one slab (unless it filled up in between), in order, apart.
    for (let i = 1; i < results.length; i++) {
      if (results[i]!.buffer === results[i - 1]!.buffer) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    }
    expect(results.some((r, i) => i > 0 && r.buffer === results[i - 1]!.buffer)).toBe(true);
    expect(Buffer.from(results[1]!)).toEqual(Buffer.from(alone(UvirtioSetup, setup)));
    expect(Buffer.from(results[2]!)).toEqual(Buffer.from(alone(UvirtioBlock, block)));
    expect(UioMsiIrqSet.decode(results[0]!)).toEqual({ vec: 3, fd: 7 });
  });

  it("a result stays valid after the slab is used up many times over (slices are never reused)", () => {
    const first = UvirtioSetup.encode(setup);
    const copy = first.slice();
    for (let i = 0; i < 5000; i++) KvmRegs.encode(Object.fromEntries(Object.keys(KvmRegs.decode(new Uint8Array(KvmRegs.SIZE))).map((k) => [k, BigInt(i)])) as never);
    expect(first).toEqual(copy);
  });

  it("a failed encode leaves its slice unused by later results", () => {
    const before = slab.take(0);
    expect(() => UvirtioSetup.encode({ ...setup, config_len: 0 })).toThrow(/config_len/);
    const next = UioMsiIrqSet.encode({ vec: 1, fd: 1 });
    if (next.buffer === slab.view.buffer) expect(next.byteOffset).toBeGreaterThanOrEqual(before + UvirtioSetup.SIZE);
  });

  it("padding of a slice is zero (a fresh slab, never written before)", () => {
    const s = new Slab();
    const at = s.take(24);
    expect(at).toBe(0);
    expect(s.take(3)).toBe(24);
    expect(s.take(8)).toBe(32); // 8-aligned after the 3-byte slice
    expect(new Uint8Array(s.view.buffer).every((b) => b === 0)).toBe(true);
    const old = s.view;
    expect(s.take(8192 - 39)).toBe(0); // 40 + 8153 > 8192: a new slab, the old one is left alone
    expect(s.view).not.toBe(old);
  });

  it(`results of ${SLAB_MAX} bytes and more get a buffer of their own`, async () => {
    // No shipped struct is that large: generate one (and a small one beside it).
    const text = `family big = "big.h";\nstruct big_one { name: char[${SLAB_MAX}]; }\nstruct small_one { x: u32; }\n`;
    const r = compileWithHost(["/big.abi"], { read: (p) => (p === "/big.abi" ? text : undefined), display: (p) => p }, TARGETS);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const gen = await generateTs(r.program!, r.targets);
    const mod = await importFamily(gen, "big");
    const big = (mod.BigOne as AnyCodec).encode({ name: "hello" });
    expect([big.byteOffset, big.byteLength, big.buffer.byteLength]).toEqual([0, SLAB_MAX, SLAB_MAX]);
    const small = (mod.SmallOne as AnyCodec).encode({ x: 1 });
    expect(small.buffer.byteLength).toBeGreaterThan(small.byteLength);
  });
});
