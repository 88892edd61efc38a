/**
 * The inputs of the codec benchmark (and of test/bench/codecs.test.ts): one realistic value per
 * benchmarked struct. The bytes every decoder reads are the generated codec's encoding of it.
 */
import type { UioMsiIrqSet } from "../../generated/ts/uio_msi/index.js";
import type { UvirtioBlock, UvirtioExpect, UvirtioSetup } from "../../generated/ts/uvirtio/index.js";
import type { KvmRegs } from "../../generated/ts/kvm/index.js";
import type { FnWithArg } from "./handwritten.js";

export const uioMsiIrqSet: UioMsiIrqSet = { vec: 3, fd: 17 };

export const uvirtioSetup: UvirtioSetup = {
  features: (1n << 32n) | 0x3n,
  config_addr: 0x7f3a_1c00_0000n,
  config_len: 24,
  flags: 1,
  id: 16,
};

export const kvmRegs: KvmRegs = {
  rax: 0x2n, rbx: 0x1000n, rcx: 0xffff_ffff_ffff_fff0n, rdx: 0x3f8n, rsi: 0x100fn, rdi: 0n,
  rsp: 0x8000n, rbp: 0x8000n, r8: 8n, r9: 9n, r10: 10n, r11: 11n, r12: 12n, r13: 13n, r14: 14n,
  r15: 15n, rip: 0x1000n, rflags: 0x2n,
};

export const fnWithArg: FnWithArg = {
  desc: { type: 3, arg_size: 32, arg: 0x7ffd_1234_5000n },
  arg: { datamatch: 0xdeadn, addr: 0x1000_0000n, len: 4, fd: 9, flags: 1, padding: 0 },
};

function block(i: number, used: boolean): UvirtioBlock {
  const rules = Array.from({ length: 8 }, (_, r) => (used && r < 2 ? { off: r * 8, len: 8 } : { off: 0, len: 0 }));
  return { len: used ? 24 + i : 0, flags: used ? (i % 2 === 0 ? 1 : 2) : 0, unused: 0, data: used ? 0x5000n + BigInt(i) * 64n : 0n, rules };
}

/** A full table: 6 expects named like virtio-gpu's queues, 3 blocks each, the rest zero. */
export const uvirtioExpect: UvirtioExpect = {
  expects: Array.from({ length: 8 }, (_, e) => ({
    vq_name: e < 6 ? (e % 2 === 0 ? "control" : "cursor") : "",
    blocks: Array.from({ length: 8 }, (_, b) => block(e * 8 + b, e < 6 && b < 3)),
  })),
};
