/**
 * A real mmap'd region seen from JS as a Uint8Array (koffi.view: no copy).
 *
 * The hazard: a Uint8Array over unmapped memory crashes the whole process on its next access,
 * and koffi's external ArrayBuffers cannot be detached on Node 20 (structuredClone transfer
 * leaves them intact). So unmap() does not munmap: it atomically replaces the device mapping with
 * a private anonymous one (MAP_FIXED), which releases the device/file pages at once while a stale
 * view only sees zeros. The placeholder's address range goes back to the OS with munmap when the
 * view's ArrayBuffer is garbage-collected — the same finalizer also unmaps a region its owner
 * forgot, since once the buffer is unreachable nothing can touch the memory.
 */
import koffi from "koffi";
import type { MappedRegion } from "./fd.js";
import { SyscallError } from "./errors.js";
import { errnoNumber } from "./errno.js";
import { libc, MAP_ANONYMOUS, MAP_FAILED, MAP_FIXED, MAP_PRIVATE, PROT_READ, PROT_WRITE } from "./libc.js";

interface Range {
  readonly address: bigint;
  readonly length: number;
}

const reclaim = new FinalizationRegistry<Range>(({ address, length }) => {
  libc().munmap(address, length);
});

export class NativeMapping implements MappedRegion {
  readonly bytes: Uint8Array;
  readonly length: number;
  readonly address: bigint;
  readonly #fdKind: string;
  #mapped = true;

  /** Takes ownership of a successful mmap result. */
  constructor(address: bigint, length: number, fdKind: string) {
    this.address = address;
    this.length = length;
    this.#fdKind = fdKind;
    const buffer = koffi.view(address, length);
    this.bytes = new Uint8Array(buffer);
    reclaim.register(buffer, { address, length }, this);
  }

  get mapped(): boolean {
    return this.#mapped;
  }

  unmap(): void {
    if (!this.#mapped) {
      throw new SyscallError({ errno: errnoNumber("EINVAL"), syscall: "munmap", fdKind: this.#fdKind, detail: "(already unmapped)" });
    }
    this.#mapped = false;
    const c = libc();
    const placeholder = c.mmap(this.address, this.length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (placeholder === MAP_FAILED) {
      // Could not guard the range: release it for real; the view must not be used again.
      const err = c.errno();
      reclaim.unregister(this);
      c.munmap(this.address, this.length);
      throw new SyscallError({ errno: err, syscall: "mmap", fdKind: this.#fdKind, detail: "(MAP_FIXED placeholder)" });
    }
  }

  [Symbol.dispose](): void {
    if (this.#mapped) this.unmap();
  }
}
