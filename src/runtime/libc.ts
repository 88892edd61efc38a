/**
 * koffi bindings to the few glibc calls the real-fd layer needs, loaded on first use (so code that
 * only uses mock fds never loads libc). Raw: these return -1 and leave errno set; real-fd.ts
 * turns that into typed errors. Read `errno()` right after a failing call and before any other
 * I/O: koffi.errno() reads the live thread errno, which Node's own fs calls overwrite.
 *
 * The exception is ioctl, the hot path: `ioctlNone` / `ioctlValue` / `ioctlBuffer` return the
 * result or -errno, and go through the native addon (native-ioctl.ts: errno read in C right after
 * the syscall, V8 fast calls) when it is built, else through koffi below with errno read at once.
 *
 * In the koffi fallback, ioctl is declared twice with fixed prototypes rather than once as variadic
 * (`int ioctl(int, unsigned long, ...)`):
 *  - glibc's ioctl reads its third argument with va_arg as a pointer-sized word, and on every
 *    Linux ABI Node supports the first variadic integer/pointer argument travels in the same
 *    register as a fixed one, so a fixed prototype is ABI-compatible;
 *  - koffi must rebuild the call signature on every variadic call and the caller must pass a type
 *    string per argument. Measured on this machine (Node 20, koffi 3.3.4, FIONREAD on a pipe,
 *    300k calls after warm-up): fixed `void*` with a typed array ≈195 ns/call, fixed `unsigned
 *    long` ≈180-190 ns, variadic ≈230-245 ns — the fixed forms are ~20% faster.
 * A Uint8Array argument is passed as a pointer to its own bytes (either backend hands the kernel
 * the typed array's storage, subarray offset included: the kernel writes results in place).
 *
 * The constants are Linux's generic values (x86, arm, arm64, riscv, ppc, s390, loongarch);
 * test/runtime/libc-constants.test.ts checks each against the host's C headers.
 */
import koffi from "koffi";
import { nativeIoctl } from "./native-ioctl.js";

export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_NOCTTY = 0o400;
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;
export const EFD_SEMAPHORE = 1;
export const EFD_NONBLOCK = O_NONBLOCK;
export const EFD_CLOEXEC = O_CLOEXEC;
export const MFD_CLOEXEC = 1;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 1;
export const MAP_PRIVATE = 2;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const POLLIN = 1;
export const POLLOUT = 4;
/** fcntl: duplicate to the lowest free number ≥ arg, close-on-exec set (same value on every Linux arch). */
export const F_DUPFD_CLOEXEC = 1030;
/** (void *)-1 as koffi returns pointers: an unsigned 64-bit bigint (32-bit hosts: 0xffffffff). */
export const MAP_FAILED = koffi.sizeof("void *") === 8 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn;

export interface Libc {
  open(path: string, flags: number, mode: number): number;
  close(fd: number): number;
  /** ioctl(fd, request, 0): the result, or -errno. */
  ioctlNone(fd: number, request: number): number;
  /** ioctl(fd, request, arg) with an integer argument: the result, or -errno. */
  ioctlValue(fd: number, request: number, arg: number | bigint): number;
  /** ioctl(fd, request, &bytes[0]) (NULL for null): the result, or -errno. */
  ioctlBuffer(fd: number, request: number, bytes: Uint8Array | null): number;
  read(fd: number, buf: Uint8Array, count: number): number;
  write(fd: number, buf: Uint8Array, count: number): number;
  pipe2(fds: Int32Array, flags: number): number;
  eventfd(initval: number, flags: number): number;
  memfdCreate(name: string, flags: number): number;
  ftruncate(fd: number, length: number | bigint): number;
  /** Returns the mapping address, or MAP_FAILED. */
  mmap(addr: bigint | null, length: number, prot: number, flags: number, fd: number, offset: number | bigint): bigint;
  munmap(addr: bigint, length: number): number;
  /** `fds` holds struct pollfd entries (int fd; short events; short revents), 8 bytes each. */
  poll(fds: Uint8Array, nfds: number, timeoutMs: number): number;
  /** fcntl with an int argument (F_DUPFD_CLOEXEC). */
  fcntl(fd: number, cmd: number, arg: number): number;
  errno(): number;
}

let loaded: Libc | undefined;

export function libc(): Libc {
  return (loaded ??= bind());
}

function bind(): Libc {
  if (process.platform !== "linux") throw new Error(`abigen runtime: real fds need Linux, not ${process.platform}`);
  // MIPS numbers O_NONBLOCK, MAP_ANONYMOUS and friends differently from the values above.
  if (process.arch.startsWith("mips")) throw new Error("abigen runtime: real fds are not supported on MIPS hosts");
  const lib = koffi.load("libc.so.6");
  const open = lib.func("int open(const char *path, int flags, uint32_t mode)");
  const close = lib.func("int close(int fd)");
  const ioctlPtr = lib.func("int ioctl(int fd, unsigned long request, void *arg)");
  const ioctlVal = lib.func("int ioctl(int fd, unsigned long request, unsigned long arg)");
  const read = lib.func("intptr_t read(int fd, void *buf, size_t count)");
  const write = lib.func("intptr_t write(int fd, const void *buf, size_t count)");
  const pipe2 = lib.func("int pipe2(int *fds, int flags)");
  const eventfd = lib.func("int eventfd(unsigned int initval, int flags)");
  const memfdCreate = lib.func("int memfd_create(const char *name, unsigned int flags)");
  // The *64 variants take a 64-bit off_t on 32-bit hosts too; on 64-bit hosts they are aliases.
  const ftruncate = lib.func("int ftruncate64(int fd, int64_t length)");
  const mmap = lib.func("void *mmap64(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)");
  const munmap = lib.func("int munmap(void *addr, size_t length)");
  const poll = lib.func("int poll(void *fds, unsigned long nfds, int timeout)");
  // Variadic in C; an int third argument is passed like a fixed one on every Linux ABI we load on.
  const fcntl = lib.func("int fcntl(int fd, int cmd, int arg)");
  // The addon's functions are handed out as-is: V8 can only make a fast call to the function
  // itself, and a JS wrapper would add a frame on the hot path.
  const native = nativeIoctl();
  const ioctls: Pick<Libc, "ioctlNone" | "ioctlValue" | "ioctlBuffer"> =
    native !== undefined
      ? { ioctlNone: native.ioctl0, ioctlValue: native.ioctlVal, ioctlBuffer: native.ioctlBuf }
      : {
          ioctlNone: (fd, request) => negErrno(ioctlVal(fd, request, 0)),
          ioctlValue: (fd, request, arg) => negErrno(ioctlVal(fd, request, arg)),
          ioctlBuffer: (fd, request, bytes) => negErrno(ioctlPtr(fd, request, bytes)),
        };
  // Calls that need no conversion are handed out as-is: one less JS frame on the hot path.
  return {
    open: open as Libc["open"],
    close: close as Libc["close"],
    ...ioctls,
    read: (fd, b, n) => Number(read(fd, b, n)),
    write: (fd, b, n) => Number(write(fd, b, n)),
    pipe2: pipe2 as Libc["pipe2"],
    eventfd: eventfd as Libc["eventfd"],
    memfdCreate: memfdCreate as Libc["memfdCreate"],
    ftruncate: ftruncate as Libc["ftruncate"],
    mmap: (a, l, p, f, fd, o) => BigInt(mmap(a, l, p, f, fd, o) ?? 0n),
    munmap: munmap as Libc["munmap"],
    poll: poll as Libc["poll"],
    fcntl: fcntl as Libc["fcntl"],
    errno: () => koffi.errno(),
  };
}

/** A raw libc result as result-or-minus-errno, errno read before anything else can run. */
function negErrno(r: number): number {
  return r < 0 ? -koffi.errno() : r;
}
