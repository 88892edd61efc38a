/**
 * The generated codecs on every record of the shipped specs and every target variant: round
 * trips at boundary values, encodeInto on a dirty buffer, decoders fuzzed with random bytes,
 * and errors that name the failing field.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { RecordModel, Type } from "../../src/model/model.js";
import { findTarget, TARGETS } from "../../src/targets/targets.js";
import { boundaryRecord, maxArms, type Boundary } from "./ts-arbitraries.js";
import { walkValue } from "./ts-c-walk.js";
import { exportName, generateTs, importFamily, namedRecords, shippedProgram, type AnyCodec, type GeneratedTs } from "./ts-harness.js";

interface Subject {
  readonly rec: RecordModel;
  readonly codec: AnyCodec;
}

let gen: GeneratedTs;
let subjects: Subject[] = [];
const modules = new Map<string, Record<string, unknown>>();

function hasUnion(rec: RecordModel): boolean {
  const inType = (t: Type): boolean => (t.kind === "array" ? inType(t.element) : t.kind === "record" ? hasUnion(t.decl) : false);
  return rec.record === "union" || rec.fields.some((f) => inType(f.type));
}

const codecOf = (family: string, name: string): AnyCodec => modules.get(family)![name] as AnyCodec;

beforeAll(async () => {
  const { program, targets } = shippedProgram();
  gen = await generateTs(program, targets);
  for (const { family, rec } of namedRecords(program)) {
    if (!modules.has(family)) modules.set(family, await importFamily(gen, family));
    subjects.push({ rec, codec: codecOf(family, exportName(rec)) });
  }
});

describe("round trips at boundary values, on every target's codec", () => {
  it("decode(encode(v)) = v for 0, max, min (-1 and below), full-length strings, every union arm", () => {
    let checked = 0;
    for (const { rec, codec } of subjects) {
      // Each distinct codec once (targets sharing a layout share the object).
      const distinct = new Set(TARGETS.map((t) => codec.forTarget(t.name)));
      for (const c of distinct) {
        const t = findTarget(c.targets[0]!)!;
        for (let arm = 0; arm < maxArms(rec); arm++) {
          for (const which of ["zero", "max", "min"] as Boundary[]) {
            const v = boundaryRecord(rec, t, which, arm);
            const bytes = c.encode(v);
            expect(bytes.length).toBe(c.SIZE);
            const back = c.decode(bytes);
            if (hasUnion(rec)) {
              const w = walkValue(rec, v);
              expect(walkValue(rec, back, w.arms).leaves, `${rec.name} ${which} arm ${arm} on ${t.name}`).toEqual(w.leaves);
            } else {
              expect(back, `${rec.name} ${which} on ${t.name}`).toEqual(v);
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("encodeInto a dirty buffer at an offset writes exactly encode's bytes", () => {
    for (const { rec, codec } of subjects) {
      const v = boundaryRecord(rec, findTarget("x86_64")!, "max");
      const expected = codec.encode(v);
      const buf = new Uint8Array(codec.SIZE + 11).fill(0xa5);
      codec.encodeInto(new DataView(buf.buffer), 5, v);
      expect(buf.subarray(5, 5 + codec.SIZE), rec.name).toEqual(expected);
      expect(buf[4]).toBe(0xa5);
      expect(buf[5 + codec.SIZE]).toBe(0xa5);
      // And decode reads at an offset, from a DataView as well as a Uint8Array.
      expect(codec.decode(new DataView(buf.buffer), 5)).toEqual(codec.decode(expected));
    }
  });

  it("targets with one layout share a codec; forTarget rejects unknown targets", () => {
    const setup = codecOf("uvirtio", "UvirtioSetup");
    expect(setup.forTarget("x86_64")).toBe(setup.forTarget("aarch64"));
    expect(setup.forTarget("x86_64")).not.toBe(setup.forTarget("s390x"));
    expect(setup.forTarget("i386").ALIGN).toBe(4);
    expect(setup.forTarget("x86_64").ALIGN).toBe(8);
    expect(() => setup.forTarget("vax")).toThrow(/no codec for target vax/);
    // Big-endian targets write big-endian bytes.
    const v = { features: 1n, config_addr: 2n, config_len: 3, flags: 0, id: 4 };
    expect([...setup.forTarget("s390x").encode(v).subarray(0, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect([...setup.forTarget("x86_64").encode(v).subarray(0, 8)]).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe("decoders fuzzed with random bytes", () => {
  it("end in a value or a DecodeError, never another error", () => {
    for (const { rec, codec } of subjects) {
      for (const t of ["x86_64", "i386", "s390x", "m68k"]) {
        const c = codec.forTarget(t);
        const arb = fc.record({
          length: fc.integer({ min: 0, max: c.SIZE + 16 }),
          offset: fc.integer({ min: 0, max: 16 }),
          seed: fc.integer(),
          fill: fc.constantFrom("random", "zero", "ones", "sparse"),
        });
        fc.assert(
          fc.property(arb, ({ length, offset, seed, fill }) => {
            const bytes = new Uint8Array(length);
            let x = seed | 1;
            for (let i = 0; i < length; i++) {
              x ^= x << 13;
              x ^= x >>> 17;
              x ^= x << 5;
              bytes[i] = fill === "zero" ? 0 : fill === "ones" ? 0xff : fill === "sparse" ? (x & 0xff) < 8 ? x & 0xff : 0 : x & 0xff;
            }
            try {
              c.decode(bytes, offset);
              return offset + c.SIZE <= length;
            } catch (e) {
              return (e as Error).name === "DecodeError" && typeof (e as { path?: unknown }).path === "string";
            }
          }),
          { numRuns: 40 },
        );
      }
    }
  });
});

describe("errors name the field", () => {
  const expectErr = (fn: () => unknown, name: string, path: string, reason: RegExp): void => {
    try {
      fn();
    } catch (e) {
      const err = e as Error & { path: string; reason: string };
      expect(err.name).toBe(name);
      expect(err.path).toBe(path);
      expect(err.reason).toMatch(reason);
      if (path !== "") expect(err.message.startsWith(`${path}: `)).toBe(true);
      return;
    }
    throw new Error("expected an error");
  };
  const expectValue = (): Record<string, unknown> => boundaryRecord(subjects.find((s) => s.rec.name === "uvirtio_expect")!.rec, findTarget("x86_64")!, "zero");

  it("a nested array path: expects[3].blocks[1].rules[0].len", () => {
    const v = expectValue() as { expects: { blocks: { rules: { len: number }[] }[] }[] };
    v.expects[3]!.blocks[1]!.rules[0]!.len = 70000;
    expectErr(() => codecOf("uvirtio", "UvirtioExpect").encode(v), "EncodeError", "expects[3].blocks[1].rules[0].len", /u16 in 0\.\.65535, got 70000/);
  });

  it("strings, arrays, bytes, objects", () => {
    const ue = codecOf("uvirtio", "UvirtioExpect");
    const v = expectValue() as { expects: Record<string, unknown>[] };
    v.expects[7]!.vq_name = "x".repeat(65);
    expectErr(() => ue.encode(v), "EncodeError", "expects[7].vq_name", /longer than 64 bytes/);
    v.expects[7]!.vq_name = "a\0b";
    expectErr(() => ue.encode(v), "EncodeError", "expects[7].vq_name", /NUL/);
    v.expects[7]!.vq_name = "";
    (v.expects[2]!.blocks as unknown[]).pop();
    expectErr(() => ue.encode(v), "EncodeError", "expects[2].blocks", /exactly 8 elements/);
    (v.expects[2]!.blocks as unknown[]).push(null);
    expectErr(() => ue.encode(v), "EncodeError", "expects[2].blocks[7]", /expected an object/);
    const exit = codecOf("gunyah", "GhVmExitInfo");
    expectErr(() => exit.encode({ type: 0, reason_size: 0, reason: new Uint8Array(7) }), "EncodeError", "reason", /exactly 8 bytes/);
  });

  it("@range, @flags unknown bits, @enum values, integer types, bigint", () => {
    const setup = codecOf("uvirtio", "UvirtioSetup");
    const ok = { features: 0n, config_addr: 1n, config_len: 16, flags: 1, id: 16 };
    expect(() => setup.encode(ok)).not.toThrow();
    expectErr(() => setup.encode({ ...ok, config_len: 0 }), "EncodeError", "config_len", /u16 in 1\.\.1024, got 0/);
    expectErr(() => setup.encode({ ...ok, config_len: 1025 }), "EncodeError", "config_len", /1\.\.1024/);
    expectErr(() => setup.encode({ ...ok, flags: 3 }), "EncodeError", "flags", /unknown bits 0x2 for flags uvirtio_dev_flags/);
    expectErr(() => setup.encode({ ...ok, id: 1.5 }), "EncodeError", "id", /u32/);
    expectErr(() => setup.encode({ ...ok, features: 1 }), "EncodeError", "features", /bigint/);
    expectErr(() => setup.encode({ ...ok, features: -1n }), "EncodeError", "features", /u64/);
    const desc = codecOf("gunyah", "GhFnDesc");
    expectErr(() => desc.encode({ type: 4, arg_size: 0, arg: 0n }), "EncodeError", "type", /not a value of enum gh_fn_type/);
  });

  it("padding: omitted or zero on encode, non-zero rejected both ways", () => {
    const irq = codecOf("gunyah", "GhFnIrqfdArg");
    const base = { fd: 3, label: 1, flags: 1 };
    expect(irq.encode(base)).toEqual(irq.encode({ ...base, padding: 0 }));
    expectErr(() => irq.encode({ ...base, padding: 1 }), "EncodeError", "padding", /must be zero/);
    const bytes = irq.encode(base);
    bytes[12] = 1;
    expectErr(() => irq.decode(bytes), "DecodeError", "padding", /not zero/);
    expectErr(() => irq.decode(bytes.subarray(0, 15)), "DecodeError", "", /needs 16 bytes/);
    const run = codecOf("gunyah", "GhVcpuRun");
    const rb = new Uint8Array(run.SIZE);
    rb[3] = 9;
    expectErr(() => run.decode(rb), "DecodeError", "padding", /not zero/);
  });

  it("unions: exactly one arm on encode (path of the union), every arm on decode", () => {
    const run = codecOf("gunyah", "GhVcpuRun");
    const v = boundaryRecord(subjects.find((s) => s.rec.name === "gh_vcpu_run")!.rec, findTarget("x86_64")!, "max", 0);
    const decoded = run.decode(run.encode(v)) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(expect.arrayContaining(["mmio", "status"]));
    expectErr(() => run.encode(decoded), "EncodeError", "", /give exactly one of mmio, status; got mmio, status/);
    expectErr(() => run.encode({ ...v, mmio: undefined }), "EncodeError", "", /got none/);
    const bad = { ...v, mmio: { ...(v.mmio as object), len: -1 } };
    expectErr(() => run.encode(bad), "EncodeError", "mmio.len", /u32/);
  });

  it("error classes have type guards and are exported by the runtime", async () => {
    const rt = (await import(new URL(`file://${gen.dir}/ts/runtime/codec.ts`).href)) as Record<string, (e: unknown) => boolean>;
    const setup = codecOf("uvirtio", "UvirtioSetup");
    let caught: unknown;
    try {
      setup.encode({});
    } catch (e) {
      caught = e;
    }
    expect(rt.isEncodeError!(caught)).toBe(true);
    expect(rt.isDecodeError!(caught)).toBe(false);
  });
});
