/**
 * A simulated user address space for mock devices: byte regions mapped at fake addresses.
 * Device models reach user memory only through copyFromUser / copyToUser, which — exactly like the
 * kernel's — fail with EFAULT when any byte of the range is not mapped (NULL included) or, for
 * copyToUser, not writable. Regions are separated by an unmapped guard page, so an access running
 * off the end of one region faults instead of landing in the next.
 */
import { errno } from "./errors.js";
import { type UserBuffer, userBufferParts } from "./fd.js";

const PAGE = 4096n;
/** Fake addresses start high and page-aligned, far from NULL, like a 64-bit mmap area. */
const BASE = 0x7f00_0000_0000n;

interface Region {
  readonly address: bigint;
  readonly end: bigint;
  readonly bytes: Uint8Array;
  readonly writable: boolean;
}

export class UserMemory {
  readonly #regions = new Map<bigint, Region>();
  #next = BASE;

  /**
   * Maps `bytes` itself (no copy: device writes land in the caller's array, as the kernel writes
   * in place) at a fresh page-aligned address, and returns the address.
   */
  map(bytes: Uint8Array, options: { writable?: boolean } = {}): bigint {
    const address = this.#next;
    const pages = (BigInt(Math.max(bytes.length, 1)) + PAGE - 1n) / PAGE;
    this.#next += (pages + 1n) * PAGE; // + one guard page
    this.#regions.set(address, { address, end: address + BigInt(bytes.length), bytes, writable: options.writable ?? true });
    return address;
  }

  /** Unmaps the region that starts at `address`; EINVAL if none does. */
  unmap(address: bigint): void {
    if (!this.#regions.delete(address)) throw errno("EINVAL", `no mapping at 0x${address.toString(16)}`);
  }

  /** How many regions are mapped: a leak check for tests. */
  get regionCount(): number {
    return this.#regions.size;
  }

  /** A copy of `length` user bytes at `address`. */
  copyFromUser(address: bigint, length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const [region, at] = this.#find(address, length);
    return region.bytes.slice(at, at + length);
  }

  /** Writes `bytes` to user memory at `address`. */
  copyToUser(address: bigint, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const [region, at] = this.#find(address, bytes.length);
    if (!region.writable) throw errno("EFAULT", `read-only user memory at 0x${address.toString(16)}`);
    region.bytes.set(bytes, at);
  }

  /** The UserMemory side of Fd.withUserBuffers: copies in, maps, runs, copies out, unmaps. */
  withUserBuffers<T>(bufs: readonly UserBuffer[], fn: (addrs: bigint[]) => T): T {
    const parts = bufs.map(userBufferParts);
    const copies = parts.map((p) => (p.copyIn ? p.bytes.slice() : new Uint8Array(p.bytes.length)));
    const addrs = copies.map((b) => this.map(b));
    try {
      return fn(addrs);
    } finally {
      parts.forEach((p, i) => {
        if (p.copyOut) p.bytes.set(copies[i]!);
        this.unmap(addrs[i]!);
      });
    }
  }

  #find(address: bigint, length: number): [Region, number] {
    const end = address + BigInt(length);
    for (const r of this.#regions.values()) {
      if (address >= r.address && end <= r.end) return [r, Number(address - r.address)];
    }
    throw errno("EFAULT", `bad user address 0x${address.toString(16)} (+${length})`);
  }
}
