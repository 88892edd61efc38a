/**
 * A mock uio_msi device (specs/uio_msi.abi; seed-abis.md §4): a PCI function with N MSI-X
 * vectors, each of which user space binds to a REAL eventfd with UIO_MSI_IRQ_SET. The test
 * raises a vector with `device.raise(vec)`; the mock signals the bound eventfd, so the caller
 * sees the interrupt exactly as with the kernel driver (eventfdRead / waitReadable on its fd).
 *
 * Behaviour, with the kernel code it stands for (the 2015 patch is lost — seed-abis.md §4 — so
 * where the brief says nothing the mock follows the usual eventfd-binding drivers, vfio-pci's
 * MSI-X and igb_uio):
 * - The argument is copied in (copy_from_user: EFAULT for a bad address), then `vec` is checked
 *   against the vector count first: ERANGE, whatever `fd` is.
 * - `fd == -1` unbinds the vector (a no-op when it is not bound).
 * - Any other `fd` goes through eventfd_ctx_fdget: a number that is not open (negative ones
 *   included) is EBADF, an open file that is not an eventfd is EINVAL. The number is resolved
 *   in the calling process — this process, since the mock runs in it.
 * - Binding takes a reference to the eventfd (the kernel's eventfd_ctx; here a dup of the fd),
 *   so the caller may close its own number and interrupts still arrive through any other fd of
 *   the same eventfd. Rebinding a vector or unbinding it drops the old reference.
 * - The bindings belong to the device, not to one open file; when the last file of the device
 *   closes, all vectors are unbound and every reference dropped (igb_uio's release frees its
 *   interrupts the same way). `dispose()` does the same for a device that goes away (unplug).
 * - Raising an unbound vector loses the interrupt: nothing is signalled, `lost` counts it.
 */
import { readlinkSync } from "node:fs";
import { UIO_MSI_IRQ_SET, UioMsiIrqSet } from "../../generated/ts/uio_msi/index.js";
import { errno, isSyscallError } from "../../generated/ts/runtime/errors.js";
import { MockDevice, type MockFd, MockProcess } from "../../generated/ts/runtime/mock-fd.js";
import { dupFd, eventfdSignal, type RealFd } from "../../generated/ts/runtime/real-fd.js";

export interface UioMsiOptions {
  /** MSI-X vectors the function has (its MSI-X table size, 1..2048). Default 4. */
  readonly vectors?: number;
  readonly process?: MockProcess;
}

/** How an fd number links in /proc/self/fd: what eventfd_ctx_fileget checks (f_op == &eventfd_fops). */
const EVENTFD_LINK = "anon_inode:[eventfd]";

export class UioMsiDevice extends MockDevice implements Disposable {
  readonly vectors: number;
  /** Per vector: the device's own reference to the bound eventfd, or undefined. */
  readonly #bound: (RealFd | undefined)[];
  #raised = 0;
  #delivered = 0;
  #lost = 0;

  constructor(options: UioMsiOptions = {}) {
    super("uio_msi", options.process ?? new MockProcess());
    const n = options.vectors ?? 4;
    if (!Number.isInteger(n) || n < 1 || n > 2048) throw new RangeError(`uio_msi mock: ${n} vectors (MSI-X allows 1..2048)`);
    this.vectors = n;
    this.#bound = new Array<RealFd | undefined>(n).fill(undefined);
  }

  override ioctl(_file: MockFd, request: number, arg: bigint): number {
    if (request !== UIO_MSI_IRQ_SET.number) throw errno("ENOTTY");
    const set = UioMsiIrqSet.decode(this.memory.copyFromUser(arg, UioMsiIrqSet.SIZE));
    if (set.vec >= this.vectors) throw errno("ERANGE");
    if (set.fd === -1) {
      this.#unbind(set.vec);
      return 0;
    }
    const ref = eventfdRef(set.fd);
    this.#unbind(set.vec);
    this.#bound[set.vec] = ref;
    return 0;
  }

  /**
   * The function raises MSI-X vector `vec`: the bound eventfd's counter goes up by one. An
   * unbound vector's interrupt is lost (counted). `vec` outside the table is a test bug.
   * Returns whether an eventfd was signalled.
   */
  raise(vec: number): boolean {
    if (!Number.isInteger(vec) || vec < 0 || vec >= this.vectors) {
      throw new RangeError(`uio_msi mock: raise(${vec}) outside the ${this.vectors} vectors`);
    }
    this.#raised++;
    const ref = this.#bound[vec];
    if (ref === undefined) {
      this.#lost++;
      return false;
    }
    eventfdSignal(ref.fd, 1n);
    this.#delivered++;
    return true;
  }

  /** Whether vector `vec` is bound to an eventfd. */
  isBound(vec: number): boolean {
    return this.#bound[vec] !== undefined;
  }

  /** Eventfd references the device holds (one per bound vector). */
  get references(): number {
    return this.#bound.filter((r) => r !== undefined).length;
  }

  /** Interrupts raised, delivered to an eventfd, and lost on unbound vectors. */
  get stats(): { raised: number; delivered: number; lost: number } {
    return { raised: this.#raised, delivered: this.#delivered, lost: this.#lost };
  }

  /** Unbinds every vector, dropping the device's eventfd references. */
  dispose(): void {
    for (let v = 0; v < this.vectors; v++) this.#unbind(v);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  override release(_file: MockFd): void {
    if (this.openCount === 0) this.dispose();
  }

  #unbind(vec: number): void {
    const ref = this.#bound[vec];
    this.#bound[vec] = undefined;
    ref?.close();
  }
}

/**
 * eventfd_ctx_fdget in user space: a reference (dup) to the eventfd behind `fd` in this process.
 * The dup comes first and the check is made on it, so the number cannot change underneath.
 */
function eventfdRef(fd: number): RealFd {
  let ref: RealFd;
  try {
    ref = dupFd(fd, "eventfd (uio_msi vector)");
  } catch (e) {
    if (isSyscallError(e, "EBADF")) throw errno("EBADF");
    throw e;
  }
  let link: string;
  try {
    link = readlinkSync(`/proc/self/fd/${ref.fd}`);
  } catch (e) {
    ref.close();
    throw e;
  }
  if (link !== EVENTFD_LINK) {
    ref.close();
    throw errno("EINVAL");
  }
  return ref;
}
