/**
 * Kernel file descriptors behind the Fd interface, through libc (koffi; ioctl through the native
 * addon when it is built, see native-ioctl.ts).
 *
 * Ownership: a RealFd owns its number. This process's live RealFd numbers are tracked so a number
 * cannot be adopted twice (two owners would close it twice — the second close could hit an
 * unrelated file that reused the number). Every fd is opened O_CLOEXEC, so child processes never
 * inherit it. A RealFd that is garbage-collected while open is closed by a finalizer, with a
 * process warning, since that is a leak in the caller.
 */
import type { Fd, IoctlArg, MmapOptions, UserBuffer } from "./fd.js";
import { NO_ARG } from "./fd.js";
import { IoctlError, SyscallError } from "./errors.js";
import { errnoNumber } from "./errno.js";
import {
  EFD_CLOEXEC, EFD_NONBLOCK, EFD_SEMAPHORE, F_DUPFD_CLOEXEC, type Libc, libc, MAP_ANONYMOUS, MAP_FAILED, MAP_PRIVATE, MAP_SHARED, MFD_CLOEXEC,
  O_CLOEXEC, O_NOCTTY, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, POLLIN, PROT_READ, PROT_WRITE,
} from "./libc.js";
import { NativeMapping } from "./native-mapping.js";
import { withNativeBuffers } from "./native-buffers.js";

const owned = new Set<number>();
const EBADF = errnoNumber("EBADF");
/** libc() once it has been bound (it is on the first RealFd: openFd, pipe, … all call it). */
let bound: Libc | undefined;

function ioctlError(errno: number, request: number, name: string | undefined, fdKind: string, fd: number): IoctlError {
  return new IoctlError({ errno, request, ...(name === undefined ? {} : { ioctl: name }), fdKind, fd });
}
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const leaked = new FinalizationRegistry<{ fd: number; kind: string }>(({ fd, kind }) => {
  owned.delete(fd);
  libc().close(fd);
  process.emitWarning(`abigen: ${kind} fd ${fd} was garbage-collected while open; closed it`, "ResourceLeakWarning");
});

export class RealFd implements Fd {
  readonly kind: string;
  #fd: number;

  private constructor(fd: number, kind: string) {
    bound ??= libc();
    this.#fd = fd;
    this.kind = kind;
    owned.add(fd);
    leaked.register(this, { fd, kind }, this);
  }

  /** Takes ownership of an fd number this process got from the kernel (e.g. an ioctl result). */
  static adopt(fd: number, kind: string): RealFd {
    if (!Number.isInteger(fd) || fd < 0) throw new RangeError(`abigen: cannot adopt fd ${fd} (${kind})`);
    if (owned.has(fd)) throw new Error(`abigen: fd ${fd} (${kind}) is already owned by another RealFd`);
    return new RealFd(fd, kind);
  }

  /**
   * Whether `x` is a RealFd. A brand check rather than `instanceof`, which V8 does not inline
   * here (it looks up Symbol.hasInstance generically): this is on every stub call's path.
   */
  static is(x: Fd): x is RealFd {
    return #fd in x;
  }

  /** The fd number; -1 once closed, so a stale copy cannot reach a reused number. */
  get fd(): number {
    return this.#fd;
  }

  get closed(): boolean {
    return this.#fd < 0;
  }

  ioctl(request: number, arg: IoctlArg = NO_ARG, name?: string): number {
    // The hot path of every stub call: kept small so V8 inlines it, and the ioctl itself is a
    // direct (fast) call of the addon's function. Result or -errno: libc.ts reads errno at once.
    const fd = this.#fd;
    const c = bound ?? libc();
    let r: number;
    if (fd < 0) r = -EBADF;
    else if (arg.kind === "buffer") r = c.ioctlBuffer(fd, request, arg.bytes);
    else if (arg.kind === "value") r = c.ioctlValue(fd, request, arg.value);
    else r = c.ioctlNone(fd, request);
    if (r < 0) throw ioctlError(-r, request, name, this.kind, fd);
    return r;
  }

  read(buf: Uint8Array): number {
    const fd = this.#live("read");
    const c = libc();
    const n = c.read(fd, buf, buf.length);
    if (n < 0) throw this.#error("read", c.errno());
    return n;
  }

  write(buf: Uint8Array): number {
    const fd = this.#live("write");
    const c = libc();
    const n = c.write(fd, buf, buf.length);
    if (n < 0) throw this.#error("write", c.errno());
    return n;
  }

  withUserBuffers<T>(bufs: readonly UserBuffer[], fn: (addrs: bigint[]) => T): T {
    return withNativeBuffers(bufs, fn);
  }

  adopt(fdNumber: number, kind: string): RealFd {
    return RealFd.adopt(fdNumber, kind);
  }

  mmap(length: number, offset: number | bigint = 0, options: MmapOptions = {}): NativeMapping {
    const fd = this.#live("mmap");
    const c = libc();
    const prot = PROT_READ | (options.write === false ? 0 : PROT_WRITE);
    const flags = options.shared === false ? MAP_PRIVATE : MAP_SHARED;
    const addr = c.mmap(null, length, prot, flags, fd, offset);
    if (addr === MAP_FAILED) throw this.#error("mmap", c.errno());
    return new NativeMapping(addr, length, this.kind);
  }

  /** Waits up to `timeoutMs` (0 = just look) for the fd to be readable. */
  waitReadable(timeoutMs: number): boolean {
    const fd = this.#live("poll");
    const c = libc();
    const pfd = new Uint8Array(8); // struct pollfd { int fd; short events; short revents; }
    const view = new DataView(pfd.buffer);
    view.setInt32(0, fd, HOST_LE);
    view.setInt16(4, POLLIN, HOST_LE);
    const r = c.poll(pfd, 1, timeoutMs);
    if (r < 0) throw this.#error("poll", c.errno());
    return (view.getInt16(6, HOST_LE) & POLLIN) !== 0;
  }

  close(): void {
    const fd = this.#live("close");
    // Linux releases the number even when close reports an error, so never retry: mark first.
    this.#fd = -1;
    owned.delete(fd);
    leaked.unregister(this);
    const c = libc();
    if (c.close(fd) < 0) throw new SyscallError({ errno: c.errno(), syscall: "close", fdKind: this.kind, fd });
  }

  [Symbol.dispose](): void {
    if (this.#fd >= 0) this.close();
  }

  #live(syscall: string): number {
    if (this.#fd < 0) throw new SyscallError({ errno: errnoNumber("EBADF"), syscall, fdKind: this.kind, detail: "(closed)" });
    return this.#fd;
  }

  #error(syscall: string, errno: number): SyscallError {
    return new SyscallError({ errno, syscall, fdKind: this.kind, fd: this.#fd });
  }
}

export interface OpenOptions {
  /** "rw" by default. */
  readonly access?: "r" | "w" | "rw";
  readonly nonblock?: boolean;
  /** Defaults to the path. */
  readonly kind?: string;
}

/**
 * open(2) with O_CLOEXEC always, and O_NOCTTY always: opening a tty (/dev/ptmx) must never make it
 * this process's controlling terminal by accident; on anything else O_NOCTTY has no effect.
 */
export function openFd(path: string, options: OpenOptions = {}): RealFd {
  const access = options.access === "r" ? O_RDONLY : options.access === "w" ? O_WRONLY : O_RDWR;
  const flags = access | O_CLOEXEC | O_NOCTTY | (options.nonblock ? O_NONBLOCK : 0);
  const c = libc();
  const fd = c.open(path, flags, 0);
  if (fd < 0) throw new SyscallError({ errno: c.errno(), syscall: "open", fdKind: "", detail: path });
  return RealFd.adopt(fd, options.kind ?? path);
}

/** pipe2(O_CLOEXEC): [read end, write end]. */
export function pipe(options: { nonblock?: boolean } = {}): [RealFd, RealFd] {
  const c = libc();
  const fds = new Int32Array(2);
  if (c.pipe2(fds, O_CLOEXEC | (options.nonblock ? O_NONBLOCK : 0)) < 0) {
    throw new SyscallError({ errno: c.errno(), syscall: "pipe2", fdKind: "" });
  }
  return [RealFd.adopt(fds[0]!, "pipe:r"), RealFd.adopt(fds[1]!, "pipe:w")];
}

/** eventfd(EFD_CLOEXEC): a kernel u64 counter, the usual irq/doorbell signal for devices. */
export function eventfd(initval = 0, options: { nonblock?: boolean; semaphore?: boolean } = {}): RealFd {
  const c = libc();
  const flags = EFD_CLOEXEC | (options.nonblock ? EFD_NONBLOCK : 0) | (options.semaphore ? EFD_SEMAPHORE : 0);
  const fd = c.eventfd(initval, flags);
  if (fd < 0) throw new SyscallError({ errno: c.errno(), syscall: "eventfd", fdKind: "" });
  return RealFd.adopt(fd, "eventfd");
}

/** memfd_create(MFD_CLOEXEC) sized to `size` bytes: anonymous shared memory that can be mmap'd. */
export function memfd(name: string, size: number | bigint = 0): RealFd {
  const c = libc();
  const fd = c.memfdCreate(name, MFD_CLOEXEC);
  if (fd < 0) throw new SyscallError({ errno: c.errno(), syscall: "memfd_create", fdKind: "", detail: name });
  const file = RealFd.adopt(fd, `memfd:${name}`);
  if (c.ftruncate(fd, size) < 0) {
    const err = new SyscallError({ errno: c.errno(), syscall: "ftruncate", fdKind: file.kind, fd });
    file.close();
    throw err;
  }
  return file;
}

/**
 * Shared anonymous memory (mmap MAP_SHARED|MAP_ANONYMOUS): for memory the kernel keeps using after
 * the ioctl that registered it returns (KVM guest RAM, DMA/ring areas); pass `region.address`.
 */
export function anonymousMemory(length: number): NativeMapping {
  const c = libc();
  const addr = c.mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (addr === MAP_FAILED) throw new SyscallError({ errno: c.errno(), syscall: "mmap", fdKind: "anonymous" });
  return new NativeMapping(addr, length, "anonymous");
}

/**
 * Adds `value` to an eventfd's counter given its number — what a device model does to raise an
 * interrupt on an eventfd that user space registered with it (the fd is not ours to own).
 */
export function eventfdSignal(fd: number, value: bigint = 1n): void {
  const c = libc();
  const word = new Uint8Array(new BigUint64Array([value]).buffer); // host byte order, as eventfd wants
  if (c.write(fd, word, 8) !== 8) throw new SyscallError({ errno: c.errno(), syscall: "write", fdKind: "eventfd", fd });
}

/**
 * A new fd (close-on-exec) for the open file behind `fd`, which need not be ours: what a device
 * model does to keep a reference to a file user space registered with it (the kernel's fget /
 * eventfd_ctx_fdget), so the caller may close its own number. EBADF (SyscallError "dup") when
 * `fd` is not open.
 */
export function dupFd(fd: number, kind = "dup"): RealFd {
  const c = libc();
  // Not a C int (or negative): no file, as fdget says — without handing koffi a value it would wrap.
  const valid = Number.isInteger(fd) && fd >= 0 && fd <= 0x7fffffff;
  const n = valid ? c.fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
  if (n < 0) throw new SyscallError({ errno: valid ? c.errno() : errnoNumber("EBADF"), syscall: "dup", fdKind: kind, fd });
  return RealFd.adopt(n, kind);
}

/** Reads (and resets, or decrements in semaphore mode) an eventfd's counter. */
export function eventfdRead(fd: Fd): bigint {
  const word = new Uint8Array(8);
  fd.read(word);
  return new BigUint64Array(word.buffer)[0]!;
}
