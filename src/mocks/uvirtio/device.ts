/**
 * One uvirtio device — the kernel's `struct uvirtio_device`, created by each open() of
 * /dev/uvirtio — and, once UV_DEV_CREATE registered it, the virtio device the guest driver sees
 * (its virtio_config_ops: get_features, finalize_features, get, get/set_status, reset, find_vqs,
 * del_vqs) with uvirtio's notify answering requests from the expect table.
 *
 * The ioctls that fill it live in ../uvirtio.ts; this file is the state and the guest side.
 * WARN_ONs of the driver are counted in `warnings` (a kernel would log a backtrace and go on).
 */
import type { Codec } from "../../../generated/ts/runtime/codec.js";
import type { UvirtioExpect, UvirtioSetup } from "../../../generated/ts/uvirtio/index.js";
import { UVIRTIO_DEV_FLAG_STICK } from "../../../generated/ts/uvirtio/index.js";
import type { ExpectBlob } from "./expect-data.js";
import { type MatchResult, processChain, UvirtioOops } from "./matcher.js";
import { SplitVirtqueue, type VqCallback } from "./virtqueue.js";

export type UvirtioState = "NEW" | "CREATED";

const utf8 = new TextEncoder();

/** kzalloc'd setup: what `setup` holds before the first UV_DEV_CREATE. */
const ZERO_SETUP: UvirtioSetup = Object.freeze({ features: 0n, config_addr: 0n, config_len: 0, flags: 0, id: 0 });

export class UvirtioDev {
  state: UvirtioState = "NEW";
  /** The last uvirtio_setup UV_DEV_CREATE copied in (even one it then rejected, as the kernel keeps it). */
  setup: UvirtioSetup = ZERO_SETUP;
  /** Whether setup.config_addr points at the kernel's config copy (after a successful create) rather than user memory. */
  configIsKernel = false;
  /** The config space bytes copied at create; null before. */
  config: Uint8Array | null = null;
  /** The expect table as the kernel holds it (data fields rewritten to blob offsets); null = the kzalloc'd zero table. */
  table: UvirtioExpect | null = null;
  /** expect_data; null before any UV_DEV_EXPECT and after a failed one (the kernel frees it). */
  blob: ExpectBlob | null = null;
  /** Blobs a later UV_DEV_EXPECT replaced without freeing them (v3 never kfrees the old one). */
  leakedBlobs = 0;
  /** virtio_status as set_status stored it. */
  status = 0;
  /** How many WARN_ONs fired (get() beyond config_len, set_status(0)). */
  warnings = 0;
  /** Index on the virtio bus while registered (`virtio<index>`), else -1. */
  index = -1;
  /** Requests answered from the table, and requests used without an answer. */
  answered = 0;
  unanswered = 0;
  readonly #vqs: SplitVirtqueue[] = [];

  get registered(): boolean {
    return this.index >= 0;
  }

  get sticky(): boolean {
    return (this.setup.flags & (1 << UVIRTIO_DEV_FLAG_STICK)) !== 0;
  }

  get name(): string {
    return `virtio${this.index}`;
  }

  // -------------------------------------------------------------------------------------------
  // virtio_config_ops, for the guest driver

  /** vdev.id: the device id from setup, vendor 0. */
  get id(): { readonly device: number; readonly vendor: number } {
    return { device: this.setup.id, vendor: 0 };
  }

  getFeatures(): bigint {
    return this.setup.features;
  }

  /** Accepts everything. */
  finalizeFeatures(): number {
    return 0;
  }

  /** get(): `buf.length` config bytes at `offset`; beyond config_len it WARNs and leaves buf alone. */
  get(offset: number, buf: Uint8Array): void {
    if (this.config === null || offset + buf.length > this.setup.config_len) {
      this.warnings++;
      return;
    }
    buf.set(this.config.subarray(offset, offset + buf.length));
  }

  /** The config space as `codec`'s type (virtio_cread of the whole struct). */
  readConfig<T>(codec: Codec<T, unknown>): T {
    const buf = new Uint8Array(codec.SIZE);
    this.get(0, buf);
    return codec.decode(buf);
  }

  getStatus(): number {
    return this.status;
  }

  /** set_status: 0 WARNs and is ignored (reset is how a driver clears status). */
  setStatus(status: number): void {
    if (status === 0) {
      this.warnings++;
      return;
    }
    this.status = status & 0xff;
  }

  /** reset does nothing in uvirtio. */
  reset(): void {}

  /** find_vqs: one 256-entry split virtqueue per name, answered by uvirtio's notify. */
  findVqs(names: readonly string[], callbacks: readonly (VqCallback | undefined)[] = []): SplitVirtqueue[] {
    const vqs = names.map((name, i) => new SplitVirtqueue(i, name, (vq) => this.#notify(vq), callbacks[i]));
    this.#vqs.push(...vqs);
    return vqs;
  }

  delVqs(): void {
    for (const vq of this.#vqs) vq.delete();
    this.#vqs.length = 0;
  }

  get vqs(): readonly SplitVirtqueue[] {
    return this.#vqs;
  }

  // -------------------------------------------------------------------------------------------
  // uvirtio_notify

  /**
   * Every avail entry from used.idx to avail.idx is matched against the table and marked used
   * (used.ring[slot].id = head; used.len is NOT set), then used.idx = avail.idx and the driver's
   * callback runs.
   *
   * The driver counts with an `int` that does not wrap at 2^16: when avail.idx has wrapped past
   * 65535 and used.idx has not, the kernel loops forever. The mock throws UvirtioOops instead.
   */
  #notify(vq: SplitVirtqueue): boolean {
    let usedIdx = vq.used.idx;
    const availIdx = vq.avail.idx;
    if (usedIdx > availIdx) {
      throw new UvirtioOops(`uvirtio: notify on "${vq.name}" would loop forever (used.idx ${usedIdx} > avail.idx ${availIdx}; the driver's index does not wrap)`);
    }
    const name = utf8.encode(vq.name);
    while (usedIdx !== availIdx) {
      const slot = usedIdx & (vq.num - 1);
      const head = vq.avail.ring[slot]!;
      const r: MatchResult = processChain(this.table ?? EMPTY_TABLE, this.blob, name, vq.desc, head);
      if (r.expect >= 0) this.answered++;
      else this.unanswered++;
      vq.used.ring[slot]!.id = head;
      usedIdx++;
    }
    vq.used.idx = vq.avail.idx;
    vq.interrupt();
    return true;
  }

  /** @internal For release(): the driver's remove path deletes its virtqueues. */
  removed(): void {
    this.delVqs();
  }
}

/** The zero table: its first vq_name is empty, so it answers nothing. */
const EMPTY_TABLE: UvirtioExpect = { expects: [{ vq_name: "", blocks: [] }] };
