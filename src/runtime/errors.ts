/**
 * Typed errors for failed system calls. A failing call never returns a bare -1: it throws one of
 * these, carrying what a person needs to read the failure (errno name and number, the call, the
 * kind of fd) and what code needs to branch on it (`code`, type guards).
 *
 * `code` is the errno name ("ENOTTY") and `errno` the positive kernel number (25), as in C.
 * (Node's own SystemError uses negative errno values; these do not.)
 */
import { errnoName, errnoNumber } from "./errno.js";

/**
 * A bare errno with no call context: what a mock device handler throws (`throw errno("EINVAL")`),
 * like a kernel handler returning -EINVAL. The fd layer wraps it into an IoctlError/SyscallError.
 */
export class Errno extends Error {
  override readonly name = "Errno";
  readonly code: string;
  readonly errno: number;
  constructor(code: string, message?: string) {
    const num = errnoNumber(code);
    super(message ?? code);
    this.code = errnoName(num);
    this.errno = num;
  }
}

/** `throw errno("EFAULT")` — shorthand for a handler's error return. */
export function errno(code: string, message?: string): Errno {
  return new Errno(code, message);
}

export function isErrno(e: unknown, code?: string): e is Errno {
  return e instanceof Errno && (code === undefined || e.code === code);
}

export interface SyscallErrorInit {
  readonly errno: number;
  /** The system call: "open", "read", "ioctl", ... */
  readonly syscall: string;
  /** The Fd's kind ("/dev/kvm", "pipe", "mock:toy"), or "" when no fd is involved (open, pipe2). */
  readonly fdKind: string;
  /** The fd number, -1 for a mock fd or none. */
  readonly fd?: number;
  /** Extra words for the message, e.g. the path of a failed open. */
  readonly detail?: string;
}

/** A system call failed with an errno. */
export class SyscallError extends Error {
  override readonly name: string = "SyscallError";
  readonly code: string;
  readonly errno: number;
  readonly syscall: string;
  readonly fdKind: string;
  readonly fd: number;

  constructor(init: SyscallErrorInit) {
    const code = errnoName(init.errno);
    super(SyscallError.describe(code, init));
    this.code = code;
    this.errno = init.errno;
    this.syscall = init.syscall;
    this.fdKind = init.fdKind;
    this.fd = init.fd ?? -1;
  }

  private static describe(code: string, init: SyscallErrorInit): string {
    const on = init.fdKind === "" ? "" : ` on ${init.fdKind}` + (init.fd !== undefined && init.fd >= 0 ? ` (fd ${init.fd})` : "");
    const detail = init.detail === undefined ? "" : ` ${init.detail}`;
    return `${init.syscall}${detail}${on}: ${code} (${init.errno})`;
  }
}

export interface IoctlErrorInit {
  readonly errno: number;
  readonly request: number;
  /** The ioctl's name from its spec ("KVM_CREATE_VM"); defaults to the request number in hex. */
  readonly ioctl?: string;
  readonly fdKind: string;
  readonly fd?: number;
}

/** An ioctl failed with an errno. Also a SyscallError (syscall "ioctl"). */
export class IoctlError extends SyscallError {
  override readonly name = "IoctlError";
  readonly request: number;
  readonly ioctl: string;

  constructor(init: IoctlErrorInit) {
    const ioctl = init.ioctl ?? requestHex(init.request);
    const detail = init.ioctl === undefined ? ioctl : `${ioctl} [${requestHex(init.request)}]`;
    super({ errno: init.errno, syscall: "ioctl", fdKind: init.fdKind, fd: init.fd ?? -1, detail });
    this.request = init.request;
    this.ioctl = ioctl;
  }
}

/**
 * An ioctl whose spec says `returns zero` returned a positive number. For the system call that
 * is success (no errno), but the ABI promised 0, so the call did not do what the caller asked —
 * for example uvirtio returns copy_from_user's count of bytes it could not copy instead of
 * -EFAULT. The stubs throw this rather than return quietly as if the ioctl had worked. Not a
 * SyscallError: there is no errno to report.
 */
export class IoctlResultError extends Error {
  override readonly name = "IoctlResultError";
  /** What the ioctl returned (> 0). */
  readonly result: number;
  readonly request: number;
  readonly ioctl: string;
  readonly fdKind: string;
  readonly fd: number;

  constructor(init: { readonly result: number; readonly request: number; readonly ioctl?: string; readonly fdKind: string; readonly fd?: number }) {
    const ioctl = init.ioctl ?? requestHex(init.request);
    super(`ioctl ${ioctl} on ${init.fdKind} returned ${init.result}, but its spec says it returns 0 on success`);
    this.result = init.result;
    this.request = init.request;
    this.ioctl = ioctl;
    this.fdKind = init.fdKind;
    this.fd = init.fd ?? -1;
  }
}

export function isIoctlResultError(e: unknown): e is IoctlResultError {
  return e instanceof IoctlResultError;
}

function requestHex(request: number): string {
  return "0x" + (request >>> 0).toString(16).padStart(8, "0");
}

export function isSyscallError(e: unknown, code?: string): e is SyscallError {
  return e instanceof SyscallError && (code === undefined || e.code === code);
}

export function isIoctlError(e: unknown, code?: string): e is IoctlError {
  return e instanceof IoctlError && (code === undefined || e.code === code);
}
