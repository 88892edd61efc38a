/**
 * What a UMD request fails with. The seed returns a bare -errno to the sockopt/securityfs caller;
 * here that is a SyscallError (so `isSyscallError(e, "EFAULT")` works like everywhere else in the
 * runtime) whose `reason` says which of the seed's paths produced it — EFAULT alone covers six.
 */
import { errnoNumber } from "../errno.js";
import { SyscallError } from "../errors.js";

export type UmdFailure =
  /** kmod_loaded is false and request_module did not load it: ENOPROTOOPT. */
  | "not-loaded"
  /** umd_send_recv with no tgid: EFAULT. */
  | "not-running"
  /** A write to the UMD returned ≤ 0 (EPIPE: it closed fd 0 or exited): EFAULT. */
  | "write"
  /** A read from the UMD returned ≤ 0 (EOF: it exited, possibly after a short reply): EFAULT. */
  | "read"
  /** No reply byte within the manager's read timeout (the seed has none and blocks): EFAULT. */
  | "timeout"
  /** post_start rejected the freshly started UMD (its errno, EFAULT for bpfilter). */
  | "health-check"
  /** fork/exec of the driver failed (the exec errno, e.g. ENOENT). */
  | "spawn";

export class UmdError extends SyscallError {
  override readonly name = "UmdError";
  readonly reason: UmdFailure;
  /** The driver_name of the UMD. */
  readonly driver: string;

  constructor(code: string, reason: UmdFailure, driver: string, detail: string, options?: { cause?: unknown }) {
    super({ errno: errnoNumber(code), syscall: "umd_send_recv", fdKind: `umd:${driver}`, detail: `(${reason}: ${detail})` });
    this.reason = reason;
    this.driver = driver;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export function isUmdError(e: unknown, reason?: UmdFailure): e is UmdError {
  return e instanceof UmdError && (reason === undefined || e.reason === reason);
}
