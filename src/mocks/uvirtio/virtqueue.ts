/**
 * A split virtqueue (virtio 1.0 §2.6) as uvirtio's find_vqs creates it — 256 entries — seen from
 * both ends: the guest driver side (`add` a descriptor chain, `kick`, `getBuf`) that tests and
 * the example play, and the rings the device side (uvirtio's notify) reads and writes.
 *
 * The rings are JS objects, not guest-memory bytes: uvirtio reads them through the kernel's own
 * `struct vring` pointers (no ABI is crossed), and a descriptor's `addr` is modelled as the guest
 * buffer itself. Ring indices are free-running u16 counters, as in the spec.
 */
import { VRING_DESC_F_NEXT, VRING_DESC_F_WRITE } from "../../../generated/ts/virtio_ring/index.js";

/** Entries per virtqueue: uvirtio_find_vqs calls vring_create_virtqueue(i, 256, …). */
export const UVIRTIO_VRING_NUM = 256;

/** struct vring_desc; `buffer` stands for `addr`. The device uses `buffer[0, len)`. */
export interface VringDesc {
  buffer: Uint8Array;
  len: number;
  flags: number;
  next: number;
}

/** struct vring_used_elem. */
export interface VringUsedElem {
  id: number;
  len: number;
}

/** One buffer of a chain the guest driver posts. */
export interface ChainBuffer {
  readonly bytes: Uint8Array;
  /** Device-writable (VRING_DESC_F_WRITE): a response buffer. Default false. */
  readonly write?: boolean;
  /** desc.len; default (and at most) bytes.length. */
  readonly len?: number;
  /** desc.flags verbatim instead of NEXT (all but the last) | WRITE: for malformed chains in tests. */
  readonly flags?: number;
}

/** The device's notify hook (vq->notify); false means the device is broken. */
export type VqNotify = (vq: SplitVirtqueue) => boolean;
/** The driver's callback (vq->callback), run by the device after it used buffers. */
export type VqCallback = (vq: SplitVirtqueue) => void;

const EMPTY = new Uint8Array(0);

export class SplitVirtqueue {
  readonly name: string;
  readonly index: number;
  readonly num = UVIRTIO_VRING_NUM;
  readonly desc: VringDesc[];
  readonly avail: { flags: number; idx: number; readonly ring: Uint16Array };
  readonly used: { flags: number; idx: number; readonly ring: VringUsedElem[] };
  /** How many times the device ran the callback. */
  callbacks = 0;
  readonly #notify: VqNotify;
  readonly #callback: VqCallback | undefined;
  /** Free descriptor indices, and the descriptors of each posted chain by head (the driver's bookkeeping). */
  readonly #free: number[] = [];
  readonly #chains = new Map<number, number[]>();
  #lastUsed = 0;
  #deleted = false;

  constructor(index: number, name: string, notify: VqNotify, callback?: VqCallback) {
    this.index = index;
    this.name = name;
    this.#notify = notify;
    this.#callback = callback;
    this.desc = Array.from({ length: this.num }, () => ({ buffer: EMPTY, len: 0, flags: 0, next: 0 }));
    this.avail = { flags: 0, idx: 0, ring: new Uint16Array(this.num) };
    this.used = { flags: 0, idx: 0, ring: Array.from({ length: this.num }, () => ({ id: 0, len: 0 })) };
    for (let i = this.num - 1; i >= 0; i--) this.#free.push(i);
  }

  get numFree(): number {
    return this.#free.length;
  }

  get deleted(): boolean {
    return this.#deleted;
  }

  /**
   * virtqueue_add_sgs: put `chain` in free descriptors linked by NEXT, publish its head in the
   * avail ring and advance avail.idx. Returns the head. No free descriptors is ENOSPC in the
   * kernel; here a thrown Error (a bug in the test's guest driver, not the device under test).
   */
  add(chain: readonly ChainBuffer[]): number {
    this.#alive();
    if (chain.length === 0) throw new Error(`virtqueue ${this.name}: empty chain`);
    if (chain.length > this.#free.length) throw new Error(`virtqueue ${this.name}: ${chain.length} descriptors wanted, ${this.#free.length} free`);
    const ids = chain.map(() => this.#free.pop()!);
    chain.forEach((b, i) => {
      const len = b.len ?? b.bytes.length;
      if (!Number.isInteger(len) || len < 0 || len > b.bytes.length) throw new RangeError(`virtqueue ${this.name}: desc len ${len} outside a ${b.bytes.length}-byte buffer`);
      const last = i === chain.length - 1;
      const d = this.desc[ids[i]!]!;
      d.buffer = b.bytes;
      d.len = len;
      d.flags = b.flags ?? ((last ? 0 : VRING_DESC_F_NEXT) | (b.write === true ? VRING_DESC_F_WRITE : 0));
      d.next = last ? 0 : ids[i + 1]!;
    });
    const head = ids[0]!;
    this.#chains.set(head, ids);
    this.avail.ring[this.avail.idx % this.num] = head;
    this.avail.idx = (this.avail.idx + 1) & 0xffff;
    return head;
  }

  /** virtqueue_kick: tell the device (runs its notify synchronously, as uvirtio does). */
  kick(): boolean {
    this.#alive();
    return this.#notify(this);
  }

  /**
   * virtqueue_get_buf: the next used chain, `len` as the device left it (uvirtio never sets it),
   * its descriptors freed; undefined when the device used nothing new.
   */
  getBuf(): VringUsedElem | undefined {
    if (this.#lastUsed === this.used.idx) return undefined;
    const e = this.used.ring[this.#lastUsed % this.num]!;
    this.#lastUsed = (this.#lastUsed + 1) & 0xffff;
    const ids = this.#chains.get(e.id);
    if (ids !== undefined) {
      this.#chains.delete(e.id);
      for (const i of ids) {
        this.desc[i]!.buffer = EMPTY;
        this.#free.push(i);
      }
    }
    return { id: e.id, len: e.len };
  }

  /** vring_del_virtqueue: the driver may not use it any more. */
  delete(): void {
    this.#deleted = true;
  }

  /** @internal The device side: run the driver's callback. */
  interrupt(): void {
    this.callbacks++;
    this.#callback?.(this);
  }

  #alive(): void {
    if (this.#deleted) throw new Error(`virtqueue ${this.name} was deleted (its device was removed)`);
  }
}
