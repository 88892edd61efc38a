/**
 * Real user memory for pointers stored inside ioctl structs (a u64 field holding an address).
 *
 * The buffers are copied into native memory rather than handing out the Uint8Arrays' own
 * backing-store addresses (koffi.address): native memory cannot be moved, detached or resized by
 * JS while the kernel uses it. Copy-out happens in a `finally`, as the kernel may have written
 * part of a buffer before failing.
 *
 * The native memory is a scratch arena allocated once and used as a stack (nested calls nest):
 * a koffi.alloc + koffi.view + free per call measured ≈5.6 µs per withUserBuffers+ioctl, the arena
 * ≈0.7-1.3 µs (the bare ioctl: ≈0.3-0.5 µs; noisy shared machine). It is only valid
 * for the synchronous call — memory the kernel keeps using after the ioctl returns (guest RAM,
 * rings) must come from an mmap'd region (anonymousMemory / memfd + mmap), never from here.
 */
import koffi from "koffi";
import { type UserBuffer, userBufferParts } from "./fd.js";

/** Each buffer starts 16-byte aligned, enough for any scalar the kernel reads from it. */
const ALIGN = 16;
const ARENA_SIZE = 256 * 1024;

interface Arena {
  readonly base: bigint;
  readonly bytes: Uint8Array;
  top: number;
}

let arena: Arena | undefined;

function getArena(): Arena {
  if (arena === undefined) {
    const block: unknown = koffi.alloc("uint8_t", ARENA_SIZE); // process lifetime: never freed
    arena = { base: koffi.address(block), bytes: new Uint8Array(koffi.view(block, ARENA_SIZE)), top: 0 };
  }
  return arena;
}

export function withNativeBuffers<T>(bufs: readonly UserBuffer[], fn: (addrs: bigint[]) => T): T {
  if (bufs.length === 0) return fn([]);
  const parts = bufs.map(userBufferParts);
  const offsets: number[] = [];
  let total = 0;
  for (const p of parts) {
    offsets.push(total);
    // Empty buffers still get a distinct, valid address (never NULL).
    total += Math.ceil(Math.max(p.bytes.length, 1) / ALIGN) * ALIGN;
  }
  const a = getArena();
  if (a.top + total <= ARENA_SIZE) {
    const saved = a.top;
    a.top += total;
    try {
      return lend(parts, offsets, a.base + BigInt(saved), a.bytes.subarray(saved, saved + total), fn);
    } finally {
      a.top = saved;
    }
  }
  // Too big for what is left of the arena: a block of its own.
  const block: unknown = koffi.alloc("uint8_t", total);
  try {
    return lend(parts, offsets, koffi.address(block), new Uint8Array(koffi.view(block, total)), fn);
  } finally {
    koffi.free(block);
  }
}

function lend<T>(
  parts: ReturnType<typeof userBufferParts>[],
  offsets: number[],
  base: bigint,
  native: Uint8Array,
  fn: (addrs: bigint[]) => T,
): T {
  parts.forEach((p, i) => {
    const at = offsets[i]!;
    if (p.copyIn) native.set(p.bytes, at);
    else native.fill(0, at, at + p.bytes.length);
  });
  try {
    return fn(offsets.map((o) => base + BigInt(o)));
  } finally {
    parts.forEach((p, i) => {
      const at = offsets[i]!;
      if (p.copyOut) p.bytes.set(native.subarray(at, at + p.bytes.length));
    });
  }
}
