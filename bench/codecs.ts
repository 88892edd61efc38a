/**
 * Group 1 — codecs: decode and encode ops/s of the generated codec vs a hand-written DataView
 * codec (the JS limit) vs restructure vs binary-parser (decode only), same inputs, one process,
 * interleaved. Encode results of the generated and the hand-written codec come from a slab (see
 * bench/codecs/handwritten.ts); `handwritten-fresh` is the hand-written encoder with a fresh
 * ArrayBuffer per call, `handwritten-words` the hand-written one storing 64-bit fields through a
 * BigUint64Array over its slab as the generated encoders do there (rt.Words64), both shown for
 * reference (no target). Targets: generated ≥ 0.9× hand-written, ≥ 3× restructure, ≥ 1× binary-parser.
 */
import { UioMsiIrqSet } from "../generated/ts/uio_msi/index.js";
import { UvirtioExpect, UvirtioSetup } from "../generated/ts/uvirtio/index.js";
import { KvmRegs } from "../generated/ts/kvm/index.js";
import { GhFnDesc, GhFnIoeventfdArg } from "../generated/ts/gunyah/index.js";
import { slab } from "../generated/ts/runtime/codec.js";
import { compare, ratio, type Contender, type Measured } from "./harness.js";
import * as hand from "./codecs/handwritten.js";
import * as rs from "./codecs/restructure.js";
import * as bp from "./codecs/binary-parser.js";
import * as fx from "./codecs/fixtures.js";

/** One benchmarked struct: its value, its bytes and every contender's decode and encode. */
export interface CodecCase {
  readonly name: string;
  readonly size: number;
  readonly value: unknown;
  readonly bytes: Uint8Array;
  readonly decode: Record<string, (b: Uint8Array) => unknown>;
  readonly encode: Record<string, (v: never) => Uint8Array>;
}

/**
 * The gh_fn_desc + argument pair through the generated codecs: two records in one 48-byte buffer,
 * taken from the runtime's slab as `encode` does (the hand-written pair uses the same strategy).
 * encodeInto the slab's own view stores 64-bit fields through its words, as `encode` does.
 */
function generatedFnEncode(x: hand.FnWithArg): Uint8Array {
  const o = slab.take(48);
  const v = slab.view;
  GhFnDesc.encodeInto(v, o, x.desc);
  GhFnIoeventfdArg.encodeInto(v, o + 16, x.arg);
  return new Uint8Array(v.buffer, o, 48);
}

function generatedFnDecode(b: Uint8Array): hand.FnWithArg {
  // One DataView for both records, as a caller decoding a pair would do (decode takes either).
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { desc: GhFnDesc.decode(v, 0), arg: GhFnIoeventfdArg.decode(v, 16) };
}

export function codecCases(): CodecCase[] {
  const c = (
    name: string,
    value: unknown,
    bytes: Uint8Array,
    decode: CodecCase["decode"],
    encode: CodecCase["encode"],
  ): CodecCase => ({ name, size: bytes.length, value, bytes, decode, encode });
  return [
    c("uio_msi_irq_set (8 B, small)", fx.uioMsiIrqSet, UioMsiIrqSet.encode(fx.uioMsiIrqSet),
      { generated: (b) => UioMsiIrqSet.decode(b), handwritten: hand.decodeUioMsiIrqSet, restructure: (b) => rs.uioMsiIrqSet.fromBuffer(b), "binary-parser": (b) => bp.uioMsiIrqSet.parse(b) },
      { generated: (v) => UioMsiIrqSet.encode(v), handwritten: hand.encodeUioMsiIrqSet, "handwritten-fresh": hand.encodeUioMsiIrqSetFresh, restructure: (v) => rs.uioMsiIrqSet.toBuffer(v) }),
    c("uvirtio_setup (24 B, medium)", fx.uvirtioSetup, UvirtioSetup.encode(fx.uvirtioSetup),
      { generated: (b) => UvirtioSetup.decode(b), handwritten: hand.decodeUvirtioSetup, restructure: (b) => rs.uvirtioSetup.fromBuffer(b), "binary-parser": (b) => bp.uvirtioSetup.parse(b) },
      { generated: (v) => UvirtioSetup.encode(v), handwritten: hand.encodeUvirtioSetup, "handwritten-fresh": hand.encodeUvirtioSetupFresh, "handwritten-words": hand.encodeUvirtioSetupWords, restructure: (v) => rs.uvirtioSetup.toBuffer(v) }),
    c("kvm_regs (144 B, medium)", fx.kvmRegs, KvmRegs.encode(fx.kvmRegs),
      { generated: (b) => KvmRegs.decode(b), handwritten: hand.decodeKvmRegs, restructure: (b) => rs.kvmRegs.fromBuffer(b), "binary-parser": (b) => bp.kvmRegs.parse(b) },
      { generated: (v) => KvmRegs.encode(v), handwritten: hand.encodeKvmRegs, "handwritten-fresh": hand.encodeKvmRegsFresh, "handwritten-words": hand.encodeKvmRegsWords, restructure: (v) => rs.kvmRegs.toBuffer(v) }),
    c("gh_fn_desc + gh_fn_ioeventfd_arg (16+32 B, nested)", fx.fnWithArg, generatedFnEncode(fx.fnWithArg),
      { generated: generatedFnDecode, handwritten: hand.decodeFnWithArg, restructure: (b) => rs.fnWithArg.fromBuffer(b), "binary-parser": (b) => bp.fnWithArg.parse(b) },
      { generated: generatedFnEncode, handwritten: hand.encodeFnWithArg, "handwritten-fresh": hand.encodeFnWithArgFresh, "handwritten-words": hand.encodeFnWithArgWords, restructure: (v) => rs.fnWithArg.toBuffer(v) }),
    c("uvirtio_expect (3584 B, large)", fx.uvirtioExpect, UvirtioExpect.encode(fx.uvirtioExpect),
      { generated: (b) => UvirtioExpect.decode(b), handwritten: hand.decodeUvirtioExpect, restructure: (b) => rs.uvirtioExpect.fromBuffer(b), "binary-parser": (b) => bp.uvirtioExpect.parse(b) },
      { generated: (v) => UvirtioExpect.encode(v), handwritten: hand.encodeUvirtioExpect, "handwritten-fresh": hand.encodeUvirtioExpectFresh, "handwritten-words": hand.encodeUvirtioExpectWords, restructure: (v) => rs.uvirtioExpect.toBuffer(v) }),
  ];
}

export interface CodecRow {
  readonly struct: string;
  readonly size: number;
  readonly op: "decode" | "encode";
  readonly results: Measured[];
  /** generated ops/s divided by each other contender's. */
  readonly ratios: Record<string, number>;
}

export const CODEC_TARGETS: Record<string, number> = { handwritten: 0.9, restructure: 3, "binary-parser": 1 };

export function runCodecs(log: (s: string) => void): CodecRow[] {
  const rows: CodecRow[] = [];
  for (const k of codecCases()) {
    for (const op of ["decode", "encode"] as const) {
      const fns = op === "decode" ? k.decode : k.encode;
      const contenders: Contender[] = Object.entries(fns).map(([name, fn]) =>
        op === "decode"
          ? { name, op: () => (fn as (b: Uint8Array) => unknown)(k.bytes) }
          : { name, op: () => (fn as (v: unknown) => Uint8Array)(k.value) },
      );
      const results = compare(contenders);
      const gen = results.find((r) => r.name === "generated")!;
      const ratios = Object.fromEntries(results.filter((r) => r !== gen).map((r) => [r.name, ratio(gen.opsPerSec, r.opsPerSec)]));
      rows.push({ struct: k.name, size: k.size, op, results, ratios });
      log(`  ${k.name} ${op}: ${results.map((r) => `${r.name} ${Math.round(r.opsPerSec).toLocaleString("en")}/s`).join(", ")}`);
    }
  }
  return rows;
}
