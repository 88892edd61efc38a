/**
 * Builders for UV_DEV_EXPECT's argument: the C code zero-initialises `struct uvirtio_expect` and
 * fills a few entries; the codec wants every one of the 8 expects × 8 blocks × 8 rules, so these
 * pad what is given with empty ones (empty vq_name, len 0) that end the kernel's walks.
 */
import type { UserPointer } from "../../../generated/ts/runtime/stub.js";
import { UVIRTIO_MAX_BLOCKS, UVIRTIO_MAX_EXPECTS, UVIRTIO_MAX_RULES } from "../../../generated/ts/uvirtio/index.js";
import type { UvirtioBlockArg, UvirtioExpect_ExpectsArg, UvirtioExpectArg } from "../../../generated/ts/uvirtio/stubs.js";

export interface Rule {
  readonly off: number;
  readonly len: number;
}

export interface BlockSpec {
  /** Must equal the descriptor's len. */
  readonly len: number;
  /** Must equal the descriptor's flags (VRING_DESC_F_*). */
  readonly flags: number;
  /** At most 8; each rule's bytes are the next `len` bytes of `data`. */
  readonly rules: readonly Rule[];
  /** The rules' bytes, concatenated (lent for the call), or a raw user address. */
  readonly data: UserPointer;
}

export interface ExpectSpec {
  readonly vq_name: string;
  /** At most 8. */
  readonly blocks: readonly BlockSpec[];
}

const NO_RULE: Rule = { off: 0, len: 0 };

export function block(spec: BlockSpec): UvirtioBlockArg {
  if (spec.rules.length > UVIRTIO_MAX_RULES) throw new RangeError(`at most ${UVIRTIO_MAX_RULES} rules per block`);
  return { len: spec.len, flags: spec.flags, data: spec.data, rules: pad(spec.rules, UVIRTIO_MAX_RULES, () => NO_RULE) };
}

export function emptyBlock(): UvirtioBlockArg {
  return block({ len: 0, flags: 0, rules: [], data: 0n });
}

export function expectTable(expects: readonly ExpectSpec[]): UvirtioExpectArg {
  if (expects.length > UVIRTIO_MAX_EXPECTS) throw new RangeError(`at most ${UVIRTIO_MAX_EXPECTS} expects`);
  const all: UvirtioExpect_ExpectsArg[] = expects.map((e) => {
    if (e.blocks.length > UVIRTIO_MAX_BLOCKS) throw new RangeError(`at most ${UVIRTIO_MAX_BLOCKS} blocks per expect`);
    return { vq_name: e.vq_name, blocks: pad(e.blocks.map(block), UVIRTIO_MAX_BLOCKS, emptyBlock) };
  });
  return { expects: pad(all, UVIRTIO_MAX_EXPECTS, () => ({ vq_name: "", blocks: pad([], UVIRTIO_MAX_BLOCKS, emptyBlock) })) };
}

function pad<T>(xs: readonly T[], n: number, fill: () => T): T[] {
  const out = xs.slice();
  while (out.length < n) out.push(fill());
  return out;
}
