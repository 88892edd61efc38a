/**
 * The baseline: DataView codecs written by hand for the benchmarked structs, x86-64 layout
 * (little-endian), the way a careful engineer would write them for one struct and one machine —
 * offsets as constants, one bounds check, no validation beyond what the kernel would reject
 * anyway. This is "the JS limit": the generated codecs do more (range, enum and flags checks,
 * padding checks, error paths, per-target variants), so generated ≥ 0.9× this is a strict target.
 *
 * Allocation: each encoder writes at an offset of a DataView; `encodeX` takes its result from a
 * slab of its own, exactly the strategy the generated codecs use (rt.Slab: zero-filled 8-byte
 * aligned slices of an 8 KiB ArrayBuffer, each handed out once; 4 KiB and up get their own), so
 * the generated-vs-hand-written ratio compares the writing code, not two allocation strategies.
 * `encodeXFresh` is the same code with a fresh ArrayBuffer per encode, the naive baseline (a
 * separate row in the benchmark). `encodeXWords` stores the 64-bit fields through a
 * BigUint64Array over the slab instead of DataView.setBigUint64 — what the generated encoders do
 * in the slab (rt.Words64: Node 20 inlines those stores, not the DataView BigInt setters), so
 * that row shows the cost of the generated validation with the same stores (no target).
 *
 * Values have exactly the shape the generated decoders return (padding fields included, char[N]
 * up to the first NUL), so test/bench/codecs.test.ts can compare them with toEqual.
 */
import type { UioMsiIrqSet } from "../../generated/ts/uio_msi/index.js";
import type { UvirtioBlock, UvirtioExpect, UvirtioSetup } from "../../generated/ts/uvirtio/index.js";
import type { KvmRegs } from "../../generated/ts/kvm/index.js";
import type { GhFnDesc, GhFnIoeventfdArg } from "../../generated/ts/gunyah/index.js";

const LE = true;

function view(bytes: Uint8Array, size: number): DataView {
  if (bytes.byteLength < size) throw new RangeError(`need ${size} bytes, got ${bytes.byteLength}`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const SLAB = 8192;
let slabView = new DataView(new ArrayBuffer(SLAB));
/** The slab as 64-bit words (x86-64: little-endian); slices start 8-aligned. */
let slabWords = new BigUint64Array(slabView.buffer);
let slabNext = 0;

/** Reserves `size` fresh zero bytes (size < SLAB / 2) of `slabView`; returns their offset. See the header. */
function take(size: number): number {
  let at = slabNext;
  if (at + size > SLAB) {
    slabView = new DataView(new ArrayBuffer(SLAB));
    slabWords = new BigUint64Array(slabView.buffer);
    at = 0;
  }
  slabNext = (at + size + 7) & ~7;
  return at;
}

// struct uio_msi_irq_set { u32 vec; int fd; } — 8 bytes

export function decodeUioMsiIrqSet(bytes: Uint8Array): UioMsiIrqSet {
  const v = view(bytes, 8);
  return { vec: v.getUint32(0, LE), fd: v.getInt32(4, LE) };
}

function writeUioMsiIrqSet(v: DataView, o: number, x: UioMsiIrqSet): void {
  v.setUint32(o, x.vec, LE);
  v.setInt32(o + 4, x.fd, LE);
}

export function encodeUioMsiIrqSet(x: UioMsiIrqSet): Uint8Array {
  const o = take(8);
  const v = slabView;
  writeUioMsiIrqSet(v, o, x);
  return new Uint8Array(v.buffer, o, 8);
}

export function encodeUioMsiIrqSetFresh(x: UioMsiIrqSet): Uint8Array {
  const out = new Uint8Array(8);
  writeUioMsiIrqSet(new DataView(out.buffer), 0, x);
  return out;
}

// struct uvirtio_setup { u64 features; u64 config_addr; u16 config_len; u16 flags; u32 id; } — 24 bytes

export function decodeUvirtioSetup(bytes: Uint8Array): UvirtioSetup {
  const v = view(bytes, 24);
  return {
    features: v.getBigUint64(0, LE),
    config_addr: v.getBigUint64(8, LE),
    config_len: v.getUint16(16, LE),
    flags: v.getUint16(18, LE),
    id: v.getUint32(20, LE),
  };
}

function writeUvirtioSetup(v: DataView, o: number, x: UvirtioSetup): void {
  v.setBigUint64(o, x.features, LE);
  v.setBigUint64(o + 8, x.config_addr, LE);
  v.setUint16(o + 16, x.config_len, LE);
  v.setUint16(o + 18, x.flags, LE);
  v.setUint32(o + 20, x.id, LE);
}

export function encodeUvirtioSetup(x: UvirtioSetup): Uint8Array {
  const o = take(24);
  const v = slabView;
  writeUvirtioSetup(v, o, x);
  return new Uint8Array(v.buffer, o, 24);
}

export function encodeUvirtioSetupWords(x: UvirtioSetup): Uint8Array {
  const o = take(24);
  const v = slabView;
  const w = slabWords;
  const i = o >>> 3;
  w[i] = x.features;
  w[i + 1] = x.config_addr;
  v.setUint16(o + 16, x.config_len, LE);
  v.setUint16(o + 18, x.flags, LE);
  v.setUint32(o + 20, x.id, LE);
  return new Uint8Array(v.buffer, o, 24);
}

export function encodeUvirtioSetupFresh(x: UvirtioSetup): Uint8Array {
  const out = new Uint8Array(24);
  writeUvirtioSetup(new DataView(out.buffer), 0, x);
  return out;
}

// struct kvm_regs { u64 rax … r15, rip, rflags; } — 144 bytes

export function decodeKvmRegs(bytes: Uint8Array): KvmRegs {
  const v = view(bytes, 144);
  return {
    rax: v.getBigUint64(0, LE),
    rbx: v.getBigUint64(8, LE),
    rcx: v.getBigUint64(16, LE),
    rdx: v.getBigUint64(24, LE),
    rsi: v.getBigUint64(32, LE),
    rdi: v.getBigUint64(40, LE),
    rsp: v.getBigUint64(48, LE),
    rbp: v.getBigUint64(56, LE),
    r8: v.getBigUint64(64, LE),
    r9: v.getBigUint64(72, LE),
    r10: v.getBigUint64(80, LE),
    r11: v.getBigUint64(88, LE),
    r12: v.getBigUint64(96, LE),
    r13: v.getBigUint64(104, LE),
    r14: v.getBigUint64(112, LE),
    r15: v.getBigUint64(120, LE),
    rip: v.getBigUint64(128, LE),
    rflags: v.getBigUint64(136, LE),
  };
}

function writeKvmRegs(v: DataView, o: number, x: KvmRegs): void {
  v.setBigUint64(o, x.rax, LE);
  v.setBigUint64(o + 8, x.rbx, LE);
  v.setBigUint64(o + 16, x.rcx, LE);
  v.setBigUint64(o + 24, x.rdx, LE);
  v.setBigUint64(o + 32, x.rsi, LE);
  v.setBigUint64(o + 40, x.rdi, LE);
  v.setBigUint64(o + 48, x.rsp, LE);
  v.setBigUint64(o + 56, x.rbp, LE);
  v.setBigUint64(o + 64, x.r8, LE);
  v.setBigUint64(o + 72, x.r9, LE);
  v.setBigUint64(o + 80, x.r10, LE);
  v.setBigUint64(o + 88, x.r11, LE);
  v.setBigUint64(o + 96, x.r12, LE);
  v.setBigUint64(o + 104, x.r13, LE);
  v.setBigUint64(o + 112, x.r14, LE);
  v.setBigUint64(o + 120, x.r15, LE);
  v.setBigUint64(o + 128, x.rip, LE);
  v.setBigUint64(o + 136, x.rflags, LE);
}

export function encodeKvmRegs(x: KvmRegs): Uint8Array {
  const o = take(144);
  const v = slabView;
  writeKvmRegs(v, o, x);
  return new Uint8Array(v.buffer, o, 144);
}

export function encodeKvmRegsWords(x: KvmRegs): Uint8Array {
  const o = take(144);
  const w = slabWords;
  const i = o >>> 3;
  w[i] = x.rax;
  w[i + 1] = x.rbx;
  w[i + 2] = x.rcx;
  w[i + 3] = x.rdx;
  w[i + 4] = x.rsi;
  w[i + 5] = x.rdi;
  w[i + 6] = x.rsp;
  w[i + 7] = x.rbp;
  w[i + 8] = x.r8;
  w[i + 9] = x.r9;
  w[i + 10] = x.r10;
  w[i + 11] = x.r11;
  w[i + 12] = x.r12;
  w[i + 13] = x.r13;
  w[i + 14] = x.r14;
  w[i + 15] = x.r15;
  w[i + 16] = x.rip;
  w[i + 17] = x.rflags;
  return new Uint8Array(w.buffer, o, 144);
}

export function encodeKvmRegsFresh(x: KvmRegs): Uint8Array {
  const out = new Uint8Array(144);
  writeKvmRegs(new DataView(out.buffer), 0, x);
  return out;
}

// gh_fn_desc (16 bytes) followed by the gh_fn_ioeventfd_arg it describes (32 bytes): 48 bytes,
// the argument at offset 16, as a caller lays both out in one buffer for GH_VM_ADD_FUNCTION.

export interface FnWithArg {
  desc: GhFnDesc;
  arg: GhFnIoeventfdArg;
}

export function decodeFnWithArg(bytes: Uint8Array): FnWithArg {
  const v = view(bytes, 48);
  return {
    desc: { type: v.getUint32(0, LE), arg_size: v.getUint32(4, LE), arg: v.getBigUint64(8, LE) },
    arg: {
      datamatch: v.getBigUint64(16, LE),
      addr: v.getBigUint64(24, LE),
      len: v.getUint32(32, LE),
      fd: v.getInt32(36, LE),
      flags: v.getUint32(40, LE),
      padding: v.getUint32(44, LE),
    },
  };
}

function writeFnWithArg(v: DataView, o: number, x: FnWithArg): void {
  v.setUint32(o, x.desc.type, LE);
  v.setUint32(o + 4, x.desc.arg_size, LE);
  v.setBigUint64(o + 8, x.desc.arg, LE);
  v.setBigUint64(o + 16, x.arg.datamatch, LE);
  v.setBigUint64(o + 24, x.arg.addr, LE);
  v.setUint32(o + 32, x.arg.len, LE);
  v.setInt32(o + 36, x.arg.fd, LE);
  v.setUint32(o + 40, x.arg.flags, LE);
  v.setUint32(o + 44, 0, LE);
}

export function encodeFnWithArg(x: FnWithArg): Uint8Array {
  const o = take(48);
  const v = slabView;
  writeFnWithArg(v, o, x);
  return new Uint8Array(v.buffer, o, 48);
}

export function encodeFnWithArgWords(x: FnWithArg): Uint8Array {
  const o = take(48);
  const v = slabView;
  const w = slabWords;
  const i = o >>> 3;
  v.setUint32(o, x.desc.type, LE);
  v.setUint32(o + 4, x.desc.arg_size, LE);
  w[i + 1] = x.desc.arg;
  w[i + 2] = x.arg.datamatch;
  w[i + 3] = x.arg.addr;
  v.setUint32(o + 32, x.arg.len, LE);
  v.setInt32(o + 36, x.arg.fd, LE);
  v.setUint32(o + 40, x.arg.flags, LE);
  v.setUint32(o + 44, 0, LE);
  return new Uint8Array(v.buffer, o, 48);
}

export function encodeFnWithArgFresh(x: FnWithArg): Uint8Array {
  const out = new Uint8Array(48);
  writeFnWithArg(new DataView(out.buffer), 0, x);
  return out;
}

// struct uvirtio_expect { struct { char vq_name[64]; struct uvirtio_block blocks[8]; } expects[8]; }
// — 3584 bytes; uvirtio_block is { u32 len; u16 flags; u16 unused; u64 data; struct { u16 off, len; } rules[8]; } (48 bytes)

const EXPECT = 448;
const BLOCK = 48;

/** char[N] up to the first NUL; the vq names are ASCII, so no TextDecoder on the fast path. */
function readName(bytes: Uint8Array, at: number, size: number): string {
  let end = at;
  const stop = at + size;
  let ascii = true;
  while (end < stop && bytes[end] !== 0) {
    if (bytes[end]! >= 0x80) ascii = false;
    end++;
  }
  if (!ascii) return new TextDecoder().decode(bytes.subarray(at, end));
  return String.fromCharCode.apply(null, bytes.subarray(at, end) as unknown as number[]);
}

const utf8 = new TextEncoder();

function writeName(v: DataView, at: number, size: number, s: string): void {
  const { written } = utf8.encodeInto(s, new Uint8Array(v.buffer, v.byteOffset + at, size));
  if (written < s.length) throw new RangeError(`vq_name longer than ${size} bytes`);
}

function decodeBlock(v: DataView, o: number): UvirtioBlock {
  const rules = new Array(8);
  for (let i = 0; i < 8; i++) rules[i] = { off: v.getUint16(o + 16 + i * 4, LE), len: v.getUint16(o + 18 + i * 4, LE) };
  return {
    len: v.getUint32(o, LE),
    flags: v.getUint16(o + 4, LE),
    unused: v.getUint16(o + 6, LE),
    data: v.getBigUint64(o + 8, LE),
    rules,
  };
}

export function decodeUvirtioExpect(bytes: Uint8Array): UvirtioExpect {
  const v = view(bytes, 3584);
  const expects = new Array(8);
  for (let e = 0; e < 8; e++) {
    const o = e * EXPECT;
    const blocks = new Array(8);
    for (let b = 0; b < 8; b++) blocks[b] = decodeBlock(v, o + 64 + b * BLOCK);
    expects[e] = { vq_name: readName(bytes, o, 64), blocks };
  }
  return { expects };
}

function writeUvirtioExpect(v: DataView, at: number, x: UvirtioExpect, w?: BigUint64Array): void {
  for (let e = 0; e < 8; e++) {
    const o = at + e * EXPECT;
    const ex = x.expects[e]!;
    writeName(v, o, 64, ex.vq_name);
    for (let b = 0; b < 8; b++) {
      const blk = ex.blocks[b]!;
      const bo = o + 64 + b * BLOCK;
      v.setUint32(bo, blk.len, LE);
      v.setUint16(bo + 4, blk.flags, LE);
      if (w !== undefined) w[(bo + 8) >>> 3] = blk.data;
      else v.setBigUint64(bo + 8, blk.data, LE);
      for (let r = 0; r < 8; r++) {
        const rule = blk.rules[r]!;
        v.setUint16(bo + 16 + r * 4, rule.off, LE);
        v.setUint16(bo + 18 + r * 4, rule.len, LE);
      }
    }
  }
}

export function encodeUvirtioExpect(x: UvirtioExpect): Uint8Array {
  const o = take(3584);
  const v = slabView;
  writeUvirtioExpect(v, o, x);
  return new Uint8Array(v.buffer, o, 3584);
}

export function encodeUvirtioExpectWords(x: UvirtioExpect): Uint8Array {
  const o = take(3584);
  const v = slabView;
  writeUvirtioExpect(v, o, x, slabWords);
  return new Uint8Array(v.buffer, o, 3584);
}

export function encodeUvirtioExpectFresh(x: UvirtioExpect): Uint8Array {
  const out = new Uint8Array(3584);
  writeUvirtioExpect(new DataView(out.buffer), 0, x);
  return out;
}
