/**
 * In-process device models behind the Fd interface.
 *
 * A MockDevice is the model's file_operations: subclasses override ioctl/read/write/mmap/release.
 * Handlers see what a kernel handler sees — the request and the raw `unsigned long` argument
 * (a buffer argument arrives as a user address) — and reach user memory only through
 * `this.memory.copyFromUser/copyToUser`. They return a non-negative number or
 * `throw errno("EINVAL")`; the MockFd turns that into the same IoctlError a real fd throws.
 * Unimplemented operations fail like the kernel's defaults (ioctl → ENOTTY, read/write → EINVAL,
 * mmap → ENODEV).
 *
 * A MockProcess is the simulated process: one user address space and one table of fds handed out
 * by handlers (KVM_CREATE_VM returns a number; the caller adopts it with `fd.adopt(n, kind)`).
 * Mock fd objects report fd = -1 so they can never be passed to a real syscall by mistake.
 */
import type { Fd, IoctlArg, MappedRegion, MmapOptions, UserBuffer } from "./fd.js";
import { NO_ARG } from "./fd.js";
import { Errno, errno, IoctlError, SyscallError } from "./errors.js";
import { errnoNumber } from "./errno.js";
import { UserMemory } from "./user-memory.js";

export { UserMemory } from "./user-memory.js";

/** Mock fd numbers start far above real ones so a mix-up is obvious in logs. */
const FIRST_MOCK_FD = 1 << 20;

export class MockProcess {
  readonly memory = new UserMemory();
  readonly #table = new Map<number, MockFd>();
  #nextFd = FIRST_MOCK_FD;

  /** Installs an fd a handler created and returns its number (the ioctl's return value). */
  install(fd: MockFd): number {
    const n = this.#nextFd++;
    this.#table.set(n, fd);
    return n;
  }

  /** Takes an installed fd out of the table; EBADF for an unknown or already adopted number. */
  take(n: number, kind: string): MockFd {
    const fd = this.#table.get(n);
    if (fd === undefined) throw new SyscallError({ errno: errnoNumber("EBADF"), syscall: "adopt", fdKind: kind, detail: `(mock fd ${n})` });
    this.#table.delete(n);
    return fd;
  }

  /** Installed but never adopted fds: a leak check for tests. */
  get pendingFds(): number {
    return this.#table.size;
  }
}

export abstract class MockDevice {
  readonly name: string;
  readonly process: MockProcess;
  #open = 0;

  constructor(name: string, process: MockProcess = new MockProcess()) {
    this.name = name;
    this.process = process;
  }

  get memory(): UserMemory {
    return this.process.memory;
  }

  /** Open files of this device that are not closed yet. */
  get openCount(): number {
    return this.#open;
  }

  open(): MockFd {
    this.#open++;
    return new MockFd(this);
  }

  /** `arg` is the ioctl's third argument as the kernel's unsigned long. */
  ioctl(_file: MockFd, _request: number, _arg: bigint): number {
    throw errno("ENOTTY");
  }

  read(_file: MockFd, _buf: Uint8Array): number {
    throw errno("EINVAL");
  }

  write(_file: MockFd, _data: Uint8Array): number {
    throw errno("EINVAL");
  }

  /** Returns the device memory to map (its bytes are shared, not copied). */
  mmap(_file: MockFd, _length: number, _offset: bigint): Uint8Array {
    throw errno("ENODEV");
  }

  /** Called once when a file of this device is closed. */
  release(_file: MockFd): void {}

  /** @internal MockFd's close hook. */
  fileClosed(file: MockFd): void {
    this.#open--;
    this.release(file);
  }
}

export class MockFd implements Fd {
  readonly kind: string;
  readonly fd = -1;
  readonly device: MockDevice;
  #closed = false;

  constructor(device: MockDevice) {
    this.device = device;
    this.kind = `mock:${device.name}`;
  }

  get closed(): boolean {
    return this.#closed;
  }

  ioctl(request: number, arg: IoctlArg = NO_ARG, name?: string): number {
    const fail = (errno: number) => new IoctlError({ errno, request, ...(name === undefined ? {} : { ioctl: name }), fdKind: this.kind });
    if (this.#closed) throw fail(errnoNumber("EBADF"));
    const memory = this.device.memory;
    let word = 0n;
    let mapped: bigint | undefined;
    if (arg.kind === "value") word = BigInt.asUintN(64, BigInt(arg.value));
    else if (arg.kind === "buffer") word = mapped = memory.map(arg.bytes);
    try {
      return checkResult(this.device.ioctl(this, request, word), this.kind);
    } catch (e) {
      throw e instanceof Errno ? fail(e.errno) : e;
    } finally {
      if (mapped !== undefined) memory.unmap(mapped);
    }
  }

  read(buf: Uint8Array): number {
    return this.#call("read", () => this.device.read(this, buf));
  }

  write(buf: Uint8Array): number {
    return this.#call("write", () => this.device.write(this, buf));
  }

  withUserBuffers<T>(bufs: readonly UserBuffer[], fn: (addrs: bigint[]) => T): T {
    return this.device.memory.withUserBuffers(bufs, fn);
  }

  adopt(fdNumber: number, kind: string): MockFd {
    return this.device.process.take(fdNumber, kind);
  }

  /** The device's memory, also mapped into the simulated address space (so its addresses can be handed to ioctls). */
  mmap(length: number, offset: number | bigint = 0, _options: MmapOptions = {}): MappedRegion {
    const bytes = this.#call("mmap", () => this.device.mmap(this, length, BigInt(offset)));
    return new MockMapping(this.device.memory, bytes, this.kind);
  }

  close(): void {
    if (this.#closed) throw new SyscallError({ errno: errnoNumber("EBADF"), syscall: "close", fdKind: this.kind, detail: "(closed)" });
    this.#closed = true;
    this.device.fileClosed(this);
  }

  [Symbol.dispose](): void {
    if (!this.#closed) this.close();
  }

  #call<T>(syscall: string, op: () => T): T {
    if (this.#closed) throw new SyscallError({ errno: errnoNumber("EBADF"), syscall, fdKind: this.kind, detail: "(closed)" });
    try {
      return op();
    } catch (e) {
      throw e instanceof Errno ? new SyscallError({ errno: e.errno, syscall, fdKind: this.kind }) : e;
    }
  }
}

/** A handler returning a negative or fractional number is a bug in the model, not an errno. */
function checkResult(r: number, kind: string): number {
  if (!Number.isInteger(r) || r < 0) throw new Error(`abigen: ${kind} ioctl handler returned ${r}; throw errno(...) to fail`);
  return r;
}

class MockMapping implements MappedRegion {
  readonly bytes: Uint8Array;
  readonly address: bigint;
  readonly #memory: UserMemory;
  readonly #kind: string;
  #mapped = true;

  constructor(memory: UserMemory, bytes: Uint8Array, kind: string) {
    this.#memory = memory;
    this.#kind = kind;
    this.bytes = bytes;
    this.address = memory.map(bytes);
  }

  get length(): number {
    return this.bytes.length;
  }

  get mapped(): boolean {
    return this.#mapped;
  }

  unmap(): void {
    if (!this.#mapped) throw new SyscallError({ errno: errnoNumber("EINVAL"), syscall: "munmap", fdKind: this.#kind, detail: "(already unmapped)" });
    this.#mapped = false;
    this.#memory.unmap(this.address);
  }

  [Symbol.dispose](): void {
    if (this.#mapped) this.unmap();
  }
}
