/**
 * The fd interface the runtime's typed ioctl stubs drive. Two implementations: RealFd (a kernel
 * file descriptor, through libc) and MockFd (an in-process device model). A stub written against
 * `Fd` runs unchanged on either.
 *
 * Failures throw SyscallError / IoctlError (src/runtime/errors.ts); nothing returns -1.
 */

/** The third ioctl argument: none (0), an integer passed by value, or a buffer passed by pointer. */
export type IoctlArg =
  | { readonly kind: "none" }
  | { readonly kind: "value"; readonly value: number | bigint }
  /** The kernel reads and writes `bytes` in place (for _IOR/_IOWR the result lands in it). */
  | { readonly kind: "buffer"; readonly bytes: Uint8Array };

export const NO_ARG: IoctlArg = Object.freeze({ kind: "none" });
export const valueArg = (value: number | bigint): IoctlArg => ({ kind: "value", value });
export const bufferArg = (bytes: Uint8Array): IoctlArg => ({ kind: "buffer", bytes });

/**
 * A byte buffer lent to the kernel through a pointer stored inside an ioctl struct (a u64 field
 * holding a user address). `access` is from the kernel's side: "read" = copied in only, "write" =
 * copied out only, "readwrite" = both. A bare Uint8Array means "readwrite".
 */
export type UserBuffer = Uint8Array | { readonly bytes: Uint8Array; readonly access: "read" | "write" | "readwrite" };

/** A mapping of an fd's memory into this process. */
export interface MappedRegion {
  /** The mapped bytes, without copy. Do not keep it past unmap(): after unmap it no longer shows the device. */
  readonly bytes: Uint8Array;
  readonly length: number;
  /** The mapping's address in this process (a fake address for a mock). */
  readonly address: bigint;
  readonly mapped: boolean;
  /** Releases the mapping; exactly once (a second call throws EINVAL). */
  unmap(): void;
  /** Unmaps if still mapped; does nothing otherwise (so `using` after an explicit unmap is fine). */
  [Symbol.dispose](): void;
}

export interface MmapOptions {
  /** Default true. */
  readonly write?: boolean;
  /** MAP_SHARED (default) or MAP_PRIVATE. */
  readonly shared?: boolean;
}

export interface Fd {
  /** What this fd is, for errors and logs: a device path, "pipe", "eventfd", "mock:<device>". */
  readonly kind: string;
  /** The kernel fd number; -1 for a mock fd (so passing it to a real syscall fails with EBADF). */
  readonly fd: number;
  readonly closed: boolean;

  /**
   * ioctl(fd, request, arg). Returns the kernel's non-negative result. `name` (the spec's ioctl
   * name) only labels a thrown IoctlError.
   */
  ioctl(request: number, arg?: IoctlArg, name?: string): number;
  /** Returns the number of bytes read (0 at end of file). */
  read(buf: Uint8Array): number;
  /** Returns the number of bytes written. */
  write(buf: Uint8Array): number;

  /**
   * Lends `bufs` to the kernel for the duration of `fn`: `fn` gets one user address per buffer
   * (to store in a struct's pointer field) and the data is copied back for writable buffers
   * after `fn` returns or throws. The addresses are valid only inside `fn`.
   */
  withUserBuffers<T>(bufs: readonly UserBuffer[], fn: (addrs: bigint[]) => T): T;

  /**
   * Wraps an fd number that an ioctl on this fd returned (KVM_CREATE_VM → a VM fd) into an Fd of
   * the same family (real → RealFd, mock → the device's MockFd). Each number is adopted once.
   */
  adopt(fdNumber: number, kind: string): Fd;

  /** Closes exactly once; a second close throws SyscallError EBADF without touching the kernel. */
  close(): void;
  /** Closes if still open; does nothing otherwise (so `using` after an explicit close is fine). */
  [Symbol.dispose](): void;

  mmap?(length: number, offset?: number | bigint, options?: MmapOptions): MappedRegion;
}

/** Normalizes a UserBuffer to its bytes and access mode. */
export function userBufferParts(b: UserBuffer): { bytes: Uint8Array; copyIn: boolean; copyOut: boolean } {
  if (b instanceof Uint8Array) return { bytes: b, copyIn: true, copyOut: true };
  return { bytes: b.bytes, copyIn: b.access !== "write", copyOut: b.access !== "read" };
}
