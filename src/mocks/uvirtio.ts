/**
 * A mock of /dev/uvirtio (drivers/virtio/uvirtio.c v3, Lepton Wu 2020; specs/uvirtio.abi): user
 * space describes a virtio device and a table of expected requests with canned replies; the
 * "kernel" registers the device and answers its guest driver from the table.
 *
 * Behaviour, as in the driver (seed-abis.md §3.3):
 * - Each open() gets its own device (UvirtioDev) in state NEW.
 * - Both ioctls need NEW; in CREATED every ioctl is EINVAL, and so is an unknown command (not
 *   ENOTTY). Ioctls take the device mutex with mutex_lock_interruptible: `signal()` makes the next
 *   ioctl find a signal pending (EINTR) — the only way a single-threaded mock gets there.
 * - A failed copy_from_user returns the POSITIVE count of bytes not copied (no EFAULT). The
 *   MockFd passes it through as the ioctl's result; the generated stubs turn a positive result
 *   of these `returns zero` ioctls into an IoctlResultError (src/runtime/stub.ts).
 * - UV_DEV_EXPECT copies the whole table (a partial copy leaves the partial table, zero-padded),
 *   then the rules' data into a fresh blob (./uvirtio/expect-data.ts). UV_DEV_CREATE checks
 *   config_len (1..1024), config_addr (non-zero) and flags (only STICK) — EINVAL — copies the
 *   config and registers the virtio device on `bus`; the state moves to CREATED.
 * - release(): a created STICK device stays registered (and answering) after close; a created
 *   device without STICK is unregistered. A setup left pointing at user memory by a failed
 *   create is kfree'd by the driver — a kernel bug the mock records in `kernelBugs`.
 *
 * The guest side of a registered device (find_vqs, a split virtqueue to post requests on, the
 * config space) is UvirtioDev's (./uvirtio/device.ts).
 */
import { errno } from "../../generated/ts/runtime/errors.js";
import type { Fd } from "../../generated/ts/runtime/fd.js";
import { MockDevice, type MockFd, type MockProcess } from "../../generated/ts/runtime/mock-fd.js";
import {
  UV_DEV_CREATE, UV_DEV_EXPECT, UVIRTIO_DEV_FLAG_MAX, UVIRTIO_MAX_CONFIG_LEN, UvirtioExpect, UvirtioSetup,
} from "../../generated/ts/uvirtio/index.js";
import { VirtioBus } from "./uvirtio/bus.js";
import { UvirtioDev } from "./uvirtio/device.js";
import { loadExpectData } from "./uvirtio/expect-data.js";
import { copyFromUserPartial } from "./uvirtio/user-copy.js";

export { UvirtioDev, type UvirtioState } from "./uvirtio/device.js";
export { UvirtioOops } from "./uvirtio/matcher.js";
export { SplitVirtqueue, UVIRTIO_VRING_NUM, type ChainBuffer } from "./uvirtio/virtqueue.js";
export { EXPECT_DATA_INITIAL, UVIRTIO_MAX_EXPECT_DATA } from "./uvirtio/expect-data.js";

/** Something the real driver does that a kernel would not survive cleanly. */
export interface KernelBug {
  readonly kind: "kfree-user-pointer";
  readonly detail: string;
}

/** Flags UV_DEV_CREATE accepts: bits below UVIRTIO_DEV_FLAG_MAX. */
const KNOWN_FLAGS = (1 << UVIRTIO_DEV_FLAG_MAX) - 1;

export class UvirtioMock extends MockDevice {
  /** The registered virtio devices (STICK ones outlive their fd). */
  readonly bus = new VirtioBus<UvirtioDev>();
  readonly kernelBugs: KernelBug[] = [];
  readonly #files = new Map<MockFd, UvirtioDev>();
  #signal = false;

  constructor(process?: MockProcess) {
    super("uvirtio", process);
  }

  override open(): MockFd {
    const fd = super.open();
    this.#files.set(fd, new UvirtioDev());
    return fd;
  }

  /** The device behind an open fd of this mock (a stub's `.fd`). */
  deviceOf(fd: Fd): UvirtioDev {
    const d = this.#files.get(fd as MockFd);
    if (d === undefined) throw new Error("uvirtio: not an open fd of this mock");
    return d;
  }

  /** A signal is pending: the next ioctl's mutex_lock_interruptible fails with EINTR. */
  signal(): void {
    this.#signal = true;
  }

  override ioctl(file: MockFd, request: number, arg: bigint): number {
    const dev = this.deviceOf(file);
    if (this.#signal) {
      this.#signal = false;
      throw errno("EINTR");
    }
    if (dev.state !== "NEW") throw errno("EINVAL", "uvirtio: the device is already created");
    if (request === UV_DEV_CREATE.number) return this.#create(dev, arg);
    if (request === UV_DEV_EXPECT.number) return this.#expect(dev, arg);
    throw errno("EINVAL", `uvirtio: unknown command 0x${(request >>> 0).toString(16)}`);
  }

  /** set_expect. */
  #expect(dev: UvirtioDev, arg: bigint): number {
    const { bytes, notCopied } = copyFromUserPartial(this.memory, arg, UvirtioExpect.SIZE);
    dev.table = UvirtioExpect.decode(bytes); // the kernel copied into udev->expect: kept even when short
    if (notCopied !== 0) return notCopied;
    if (dev.blob !== null) dev.leakedBlobs++;
    dev.blob = null;
    const r = loadExpectData(this.memory, dev.table); // ENOMEM throws; the blob is freed (dev.blob stays null)
    if (typeof r === "number") return r;
    dev.blob = r;
    return 0;
  }

  /** create_device. */
  #create(dev: UvirtioDev, arg: bigint): number {
    const { bytes, notCopied } = copyFromUserPartial(this.memory, arg, UvirtioSetup.SIZE);
    dev.setup = UvirtioSetup.decode(bytes); // copied into udev->setup: kept even when rejected
    dev.configIsKernel = false;
    if (notCopied !== 0) return notCopied;
    const s = dev.setup;
    if (s.config_len === 0 || s.config_addr === 0n) throw errno("EINVAL", "uvirtio: config_len or config_addr is 0");
    if (s.config_len > UVIRTIO_MAX_CONFIG_LEN) throw errno("EINVAL", `uvirtio: config_len ${s.config_len} > ${UVIRTIO_MAX_CONFIG_LEN}`);
    if ((s.flags & ~KNOWN_FLAGS) !== 0) throw errno("EINVAL", `uvirtio: unknown flags 0x${s.flags.toString(16)}`);
    const config = copyFromUserPartial(this.memory, s.config_addr, s.config_len);
    if (config.notCopied !== 0) {
      dev.setup = { ...s, config_addr: 0n };
      return config.notCopied;
    }
    dev.config = config.bytes;
    dev.configIsKernel = true;
    this.bus.register(dev);
    dev.state = "CREATED";
    return 0;
  }

  /** uvirtio_release. */
  override release(file: MockFd): void {
    const dev = this.deviceOf(file);
    this.#files.delete(file);
    if (dev.state === "CREATED") {
      if (dev.sticky) return; // kept whole: registered, answering, its memory never freed
      dev.removed();
      this.bus.unregister(dev);
    }
    if (!dev.configIsKernel && dev.setup.config_addr !== 0n) {
      this.kernelBugs.push({ kind: "kfree-user-pointer", detail: `kfree(0x${dev.setup.config_addr.toString(16)}): setup.config_addr is still the user pointer of a rejected UV_DEV_CREATE` });
    }
    dev.config = null;
    dev.blob = null;
  }
}
