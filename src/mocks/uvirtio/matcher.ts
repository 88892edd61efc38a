/**
 * Answering a guest request from the UV_DEV_EXPECT table (process_vq / find_match in
 * drivers/virtio/uvirtio.c v3), for one descriptor chain:
 *
 * - expects are walked until the first empty vq_name; those whose vq_name differs from the
 *   virtqueue's name (strncmp over 64 bytes) are skipped;
 * - blocks are matched in order against the chain from its head: desc.len and desc.flags must
 *   equal the block's, or this expect stops (the next one is tried);
 * - a device-readable descriptor: each rule's bytes at `off` are compared with the blob; a
 *   mismatch (or a rule past desc.len) stops this expect;
 * - a device-writable descriptor with rules: the blob bytes are copied into the buffer at each
 *   rule's `off` — the match is complete and no further expect is tried;
 * - otherwise the chain is followed through VRING_DESC_F_NEXT.
 *
 * The blob is read where the table says, as the kernel does, without checking it is there: a
 * table whose blob was freed (a failed UV_DEV_EXPECT) or whose `data` is still a user pointer (a
 * partly copied table) makes the kernel dereference a bad pointer. The mock throws UvirtioOops
 * there instead.
 */
import type { UvirtioBlock, UvirtioExpect } from "../../../generated/ts/uvirtio/index.js";
import { UVIRTIO_MAX_BLOCKS, UVIRTIO_MAX_EXPECTS, UVIRTIO_MAX_RULES, UVIRTIO_MAX_VQ_NAME } from "../../../generated/ts/uvirtio/index.js";
import { VRING_DESC_F_NEXT, VRING_DESC_F_WRITE } from "../../../generated/ts/virtio_ring/index.js";
import type { ExpectBlob } from "./expect-data.js";
import type { VringDesc } from "./virtqueue.js";

/** Where the kernel would oops (a bad pointer dereference in the notify path). */
export class UvirtioOops extends Error {
  override readonly name = "UvirtioOops";
}

/** What matching one chain did, for tests: which expect answered (or none). */
export interface MatchResult {
  /** Index of the expect whose write block answered, or -1. */
  readonly expect: number;
}

const utf8 = new TextEncoder();

/** strncmp(name, vq_name, 64) == 0, with vq_name as the codec decoded it (up to its first NUL). */
function sameName(vqName: Uint8Array, tableName: string): boolean {
  const t = utf8.encode(tableName);
  const n = vqName.length > UVIRTIO_MAX_VQ_NAME ? vqName.subarray(0, UVIRTIO_MAX_VQ_NAME) : vqName;
  if (t.length !== n.length) return false;
  for (let i = 0; i < t.length; i++) if (t[i] !== n[i]) return false;
  return true;
}

/** find_match: -1 mismatch, 0 go on, VRING_DESC_F_WRITE (> 0) answered. */
function findMatch(write: number, desc: VringDesc, block: UvirtioBlock, blob: ExpectBlob | null): number {
  let off = 0;
  let i = 0;
  for (; i < UVIRTIO_MAX_RULES; i++) {
    const rule = block.rules[i]!;
    if (rule.len === 0) break;
    if (rule.off + rule.len > desc.len) return -1;
    const from = Number(block.data) + off;
    if (blob === null || block.data > BigInt(blob.capacity) || from + rule.len > blob.capacity) {
      throw new UvirtioOops(`uvirtio: expect data at ${blob === null ? "NULL" : "blob"} + 0x${block.data.toString(16)} is not kernel memory (the last UV_DEV_EXPECT failed or was partly copied)`);
    }
    const data = blob.bytes.subarray(from, from + rule.len);
    if (write !== 0) {
      desc.buffer.set(data, rule.off);
    } else {
      for (let k = 0; k < rule.len; k++) if (desc.buffer[rule.off + k] !== data[k]) return -1;
    }
    off += rule.len;
  }
  return i !== 0 ? write : 0;
}

/** process_vq for the chain starting at `head` of a virtqueue named `vqName` (its UTF-8 bytes). */
export function processChain(table: UvirtioExpect, blob: ExpectBlob | null, vqName: Uint8Array, desc: readonly VringDesc[], head: number): MatchResult {
  let matched = 0;
  for (let i = 0; i < UVIRTIO_MAX_EXPECTS; i++) {
    const e = table.expects[i]!;
    if (e.vq_name === "") break;
    if (!sameName(vqName, e.vq_name)) continue;
    let idx = head;
    for (let j = 0; j < UVIRTIO_MAX_BLOCKS && e.blocks[j]!.len !== 0; j++) {
      const b = e.blocks[j]!;
      const d = desc[idx % desc.length]!;
      if (b.len !== d.len || b.flags !== d.flags) break;
      matched = findMatch(d.flags & VRING_DESC_F_WRITE, d, b, blob);
      if (matched !== 0) break;
      if ((d.flags & VRING_DESC_F_NEXT) === 0) break;
      idx = d.next;
    }
    if (matched > 0) return { expect: i };
  }
  return { expect: -1 };
}
