/**
 * The codec benchmark compares like with like: the hand-written, restructure and binary-parser
 * codecs it runs decode the same bytes to the same values as the generated codec, and encode the
 * same values to the same bytes — on the benchmark's own inputs and on random values.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { codecCases } from "../../bench/codecs.js";
import { KvmRegs } from "../../generated/ts/kvm/index.js";
import { UvirtioSetup } from "../../generated/ts/uvirtio/index.js";
import { UioMsiIrqSet } from "../../generated/ts/uio_msi/index.js";
import * as hand from "../../bench/codecs/handwritten.js";
import * as rs from "../../bench/codecs/restructure.js";
import * as bp from "../../bench/codecs/binary-parser.js";

/** restructure adds non-enumerable bookkeeping; compare plain data. */
const plain = (v: unknown): unknown => structuredClone(v);

describe.each(codecCases().map((k) => [k.name, k] as const))("%s", (_, k) => {
  it("the generated decoder reads back the benchmark value (the fixture round-trips)", () => {
    expect(plain(k.decode.generated!(k.bytes))).toEqual(k.value);
  });

  it.each(Object.keys(k.decode).filter((n) => n !== "generated"))("%s decodes the same bytes to the same value", (name) => {
    expect(plain(k.decode[name]!(k.bytes))).toEqual(plain(k.decode.generated!(k.bytes)));
  });

  it.each(Object.keys(k.encode).filter((n) => n !== "generated"))("%s encodes the same value to the same bytes", (name) => {
    const enc = k.encode[name] as (v: unknown) => Uint8Array;
    expect(Buffer.from(enc(k.value))).toEqual(Buffer.from(k.bytes));
  });

  it("the bytes have the struct's size", () => {
    expect(k.bytes.length).toBe(k.size);
  });
});

describe("on random values too", () => {
  const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
  const u32 = fc.nat({ max: 0xffffffff });

  it("uio_msi_irq_set", () => {
    fc.assert(
      fc.property(fc.record({ vec: u32, fd: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }), (v) => {
        const bytes = UioMsiIrqSet.encode(v);
        expect(hand.decodeUioMsiIrqSet(bytes)).toEqual(v);
        expect(plain(rs.uioMsiIrqSet.fromBuffer(bytes))).toEqual(v);
        expect(bp.uioMsiIrqSet.parse(bytes)).toEqual(v);
        expect(Buffer.from(hand.encodeUioMsiIrqSet(v))).toEqual(Buffer.from(bytes));
        expect(Buffer.from(rs.uioMsiIrqSet.toBuffer(v))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 100 },
    );
  });

  it("uvirtio_setup", () => {
    const setup = fc.record({ features: u64, config_addr: u64, config_len: fc.integer({ min: 1, max: 1024 }), flags: fc.integer({ min: 0, max: 1 }), id: u32 });
    fc.assert(
      fc.property(setup, (v) => {
        const bytes = UvirtioSetup.encode(v);
        expect(hand.decodeUvirtioSetup(bytes)).toEqual(v);
        expect(plain(rs.uvirtioSetup.fromBuffer(bytes))).toEqual(v);
        expect(bp.uvirtioSetup.parse(bytes)).toEqual(v);
        expect(Buffer.from(hand.encodeUvirtioSetup(v))).toEqual(Buffer.from(bytes));
        expect(Buffer.from(rs.uvirtioSetup.toBuffer(v))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 100 },
    );
  });

  it("kvm_regs", () => {
    const names = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"] as const;
    const regs = fc.record(Object.fromEntries(names.map((n) => [n, u64])) as Record<(typeof names)[number], fc.Arbitrary<bigint>>);
    fc.assert(
      fc.property(regs, (v) => {
        const bytes = KvmRegs.encode(v);
        expect(hand.decodeKvmRegs(bytes)).toEqual(v);
        expect(plain(rs.kvmRegs.fromBuffer(bytes))).toEqual(v);
        expect(bp.kvmRegs.parse(bytes)).toEqual(v);
        expect(Buffer.from(hand.encodeKvmRegs(v))).toEqual(Buffer.from(bytes));
        expect(Buffer.from(rs.kvmRegs.toBuffer(v))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 100 },
    );
  });
});
