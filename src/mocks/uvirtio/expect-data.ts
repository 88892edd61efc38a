/**
 * UV_DEV_EXPECT's data path (set_expect / load_data in drivers/virtio/uvirtio.c v3): after the
 * table is copied, the bytes of every block's rules are gathered from user memory into one kernel
 * blob, and each such block's `data` is rewritten from the user pointer to the blob offset.
 *
 * The blob starts at 1 KiB and doubles (krealloc, contents kept) while the next block does not
 * fit; at 1 MiB it stops growing and the call fails with ENOMEM. A block whose rules hold no
 * bytes (rules[0].len == 0) is skipped and keeps its user pointer.
 */
import { errno } from "../../../generated/ts/runtime/errors.js";
import type { UserMemory } from "../../../generated/ts/runtime/mock-fd.js";
import type { UvirtioBlock, UvirtioExpect } from "../../../generated/ts/uvirtio/index.js";
import { UVIRTIO_MAX_BLOCKS, UVIRTIO_MAX_EXPECTS, UVIRTIO_MAX_RULES } from "../../../generated/ts/uvirtio/index.js";
import { copyFromUserPartial } from "./user-copy.js";

/** The blob's first size (set_expect's `len = 1024`). */
export const EXPECT_DATA_INITIAL = 1024;
/** UVIRTIO_MAX_EXPECT_DATA (1UL << 20): the blob never grows past this. */
export const UVIRTIO_MAX_EXPECT_DATA = 1 << 20;

/** The kernel's expect_data buffer: `bytes.length` is its allocated size, `used` the filled part. */
export class ExpectBlob {
  bytes = new Uint8Array(EXPECT_DATA_INITIAL);
  used = 0;

  get capacity(): number {
    return this.bytes.length;
  }
}

/** Bytes of a block's rules, up to the first rule with len 0. */
export function ruleBytes(b: UvirtioBlock): number {
  let total = 0;
  for (let i = 0; i < UVIRTIO_MAX_RULES; i++) {
    const len = b.rules[i]!.len;
    if (len === 0) break;
    total += len;
  }
  return total;
}

/**
 * load_data for every block of `table` (until the first empty vq_name / zero block len) into a
 * fresh blob. Returns the blob, or the positive count of bytes a copy_from_user could not copy;
 * throws ENOMEM past 1 MiB. On failure the table keeps the offsets already rewritten (the kernel
 * frees the blob but not the table).
 */
export function loadExpectData(memory: UserMemory, table: UvirtioExpect): ExpectBlob | number {
  const blob = new ExpectBlob();
  for (let i = 0; i < UVIRTIO_MAX_EXPECTS; i++) {
    const e = table.expects[i]!;
    if (e.vq_name === "") break;
    for (let j = 0; j < UVIRTIO_MAX_BLOCKS; j++) {
      const b = e.blocks[j]!;
      if (b.len === 0) break;
      const r = loadBlock(memory, b, blob);
      if (r !== 0) return r;
    }
  }
  return blob;
}

function loadBlock(memory: UserMemory, b: UvirtioBlock, blob: ExpectBlob): number {
  const total = ruleBytes(b);
  if (total === 0) return 0;
  const need = blob.used + total;
  let size = blob.capacity;
  while (need > size) {
    if (size >= UVIRTIO_MAX_EXPECT_DATA) throw errno("ENOMEM", `uvirtio: expect data needs ${need} bytes, more than ${UVIRTIO_MAX_EXPECT_DATA}`);
    size <<= 1;
  }
  if (size !== blob.capacity) {
    const grown = new Uint8Array(size); // krealloc keeps the contents
    grown.set(blob.bytes.subarray(0, blob.used));
    blob.bytes = grown;
  }
  const { bytes, notCopied } = copyFromUserPartial(memory, b.data, total);
  if (notCopied !== 0) return notCopied;
  blob.bytes.set(bytes, blob.used);
  b.data = BigInt(blob.used);
  blob.used += total;
  return 0;
}
