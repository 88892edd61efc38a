/**
 * The benchmarked structs declared with restructure (declarative encode/decode, the library many
 * binary-format projects use), x86-64 layout. restructure has no 64-bit integers and its String
 * keeps the NUL padding, so two small custom types supply u64 (as bigint) and char[N] (up to the
 * first NUL, NUL-padded on encode): the values then match the generated codecs' exactly.
 */
import * as r from "restructure";
import type { UioMsiIrqSet } from "../../generated/ts/uio_msi/index.js";
import type { UvirtioExpect, UvirtioSetup } from "../../generated/ts/uvirtio/index.js";
import type { KvmRegs } from "../../generated/ts/kvm/index.js";
import type { FnWithArg } from "./handwritten.js";

/** u64, little-endian, as bigint. */
const uint64le: r.Type<bigint> = {
  decode(s) {
    const v = s.view.getBigUint64(s.pos, true);
    s.pos += 8;
    return v;
  },
  encode(s, v) {
    s.view.setBigUint64(s.pos, v, true);
    s.pos += 8;
  },
  size: () => 8,
};

/** char[N]: read up to the first NUL; write NUL-padded (the encode buffer starts zeroed). */
function charArray(n: number): r.Type<string> {
  const utf8 = new TextEncoder();
  const text = new TextDecoder();
  return {
    decode(s) {
      const start = s.pos;
      let end = start;
      while (end < start + n && s.buffer[end] !== 0) end++;
      s.pos += n;
      return text.decode(s.buffer.subarray(start, end));
    },
    encode(s, v) {
      const { written } = utf8.encodeInto(v, s.buffer.subarray(s.pos, s.pos + n));
      if (written < v.length) throw new RangeError(`string longer than ${n} bytes`);
      s.pos += n;
    },
    size: () => n,
  };
}

export const uioMsiIrqSet = new r.Struct<UioMsiIrqSet>({ vec: r.uint32le, fd: r.int32le });

export const uvirtioSetup = new r.Struct<UvirtioSetup>({
  features: uint64le,
  config_addr: uint64le,
  config_len: r.uint16le,
  flags: r.uint16le,
  id: r.uint32le,
});

const REGS = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"];
export const kvmRegs = new r.Struct<KvmRegs>(Object.fromEntries(REGS.map((n) => [n, uint64le])));

const ghFnDesc = new r.Struct({ type: r.uint32le, arg_size: r.uint32le, arg: uint64le });
const ghFnIoeventfdArg = new r.Struct({
  datamatch: uint64le,
  addr: uint64le,
  len: r.uint32le,
  fd: r.int32le,
  flags: r.uint32le,
  padding: r.uint32le,
});
export const fnWithArg = new r.Struct<FnWithArg>({ desc: ghFnDesc, arg: ghFnIoeventfdArg });

const rule = new r.Struct({ off: r.uint16le, len: r.uint16le });
const block = new r.Struct({
  len: r.uint32le,
  flags: r.uint16le,
  unused: r.uint16le,
  data: uint64le,
  rules: new r.Array(rule, 8),
});
const expect = new r.Struct({ vq_name: charArray(64), blocks: new r.Array(block, 8) });
export const uvirtioExpect = new r.Struct<UvirtioExpect>({ expects: new r.Array(expect, 8) });
