/**
 * One running user-mode driver: its pid and our ends of its two pipes (the seed's umd_info:
 * pipe_to_umh, pipe_from_umh, tgid), plus umd_send_recv over them.
 *
 * I/O is synchronous on real blocking pipe fds (koffi read/write), as the kernel's kernel_write /
 * kernel_read are: that is what lets a short transfer be seen exactly (a write or read returning
 * ≤ 0, or EPIPE), and it is the fast path — one syscall per transfer, no event-loop turn per
 * message. The price is that a request blocks this thread until the reply arrives; `timeoutMs`
 * (poll before each read) bounds that, where the seed blocks forever.
 */
import { isSyscallError, SyscallError } from "../errors.js";
import { libc, POLLIN } from "../libc.js";
import { pipe, type RealFd } from "../real-fd.js";
import { UmdError } from "./errors.js";
import { killAndReap, reap, spawnWithFds, type ExitStatus } from "./process.js";

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const EINTR = 4;

export interface ExecSpec {
  /** driver_name: argv[0] and the name errors report. */
  readonly name: string;
  /** The executable. */
  readonly path: string;
  /** Arguments after argv[0]. */
  readonly args?: readonly string[];
  /** "NAME=value" strings; default this process's environment. */
  readonly env?: readonly string[];
  /** The child's fd 2: ours (default) or none, as under the kernel. */
  readonly stderr?: "inherit" | "close";
}

export class UmdChannel {
  #closed = false;

  private constructor(
    readonly driver: string,
    readonly pid: number,
    /** Our write end of the kernel→UMD pipe (the UMD's fd 0). */
    private readonly toUmd: RealFd,
    /** Our read end of the UMD→kernel pipe (the UMD's fd 1). */
    private readonly fromUmd: RealFd,
  ) {}

  /** fork_usermode_driver: two pipes, then exec with their far ends as the child's fd 0 and 1. */
  static start(exec: ExecSpec): UmdChannel {
    const [toRead, toWrite] = pipe();
    const [fromRead, fromWrite] = pipe();
    let pid: number;
    try {
      pid = spawnWithFds({
        path: exec.path,
        argv: [exec.name, ...(exec.args ?? [])],
        ...(exec.env === undefined ? {} : { env: exec.env }),
        stdin: toRead.fd,
        stdout: fromWrite.fd,
        stderr: exec.stderr ?? "inherit",
      });
    } catch (e) {
      toWrite.close();
      fromRead.close();
      const code = isSyscallError(e) ? e.code : "EFAULT";
      throw new UmdError(code, "spawn", exec.name, `exec ${exec.path}`, { cause: e });
    } finally {
      // The child has its copies; ours must go, or EOF/EPIPE would never show that it exited.
      toRead.close();
      fromWrite.close();
    }
    return new UmdChannel(exec.name, pid, toWrite, fromRead);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * umd_send_recv: write all of `request`, then read exactly `reply.length` bytes, looping over
   * partial transfers. Any transfer returning ≤ 0 (or failing) throws UmdError EFAULT; the caller
   * shuts the UMD down.
   */
  exchange(request: Uint8Array, reply: Uint8Array, timeoutMs: number): void {
    if (this.#closed) throw new UmdError("EFAULT", "not-running", this.driver, "no UMD process");
    this.#writeAll(request);
    this.#readAll(reply, timeoutMs);
  }

  #writeAll(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      let n: number;
      try {
        n = this.toUmd.write(done === 0 ? bytes : bytes.subarray(done));
      } catch (e) {
        if (isSyscallError(e, "EINTR")) continue;
        throw this.#short("write", done, bytes.length, e);
      }
      if (n <= 0) throw this.#short("write", done, bytes.length);
      done += n;
    }
  }

  #readAll(buf: Uint8Array, timeoutMs: number): void {
    let done = 0;
    while (done < buf.length) {
      if (Number.isFinite(timeoutMs) && !this.#waitReadable(timeoutMs)) {
        throw new UmdError("EFAULT", "timeout", this.driver, `${done} of ${buf.length} reply bytes after ${timeoutMs} ms`);
      }
      let n: number;
      try {
        n = this.fromUmd.read(done === 0 ? buf : buf.subarray(done));
      } catch (e) {
        if (isSyscallError(e, "EINTR")) continue;
        throw this.#short("read", done, buf.length, e);
      }
      if (n <= 0) throw this.#short("read", done, buf.length);
      done += n;
    }
  }

  /**
   * poll(POLLIN) with a timeout: true once a read will not block — data, or the writer gone
   * (POLLHUP, so the read returns 0 and reports the short reply) — false on timeout.
   */
  #waitReadable(timeoutMs: number): boolean {
    const c = libc();
    const pfd = new Uint8Array(8); // struct pollfd { int fd; short events; short revents; }
    const view = new DataView(pfd.buffer);
    view.setInt32(0, this.fromUmd.fd, HOST_LE);
    view.setInt16(4, POLLIN, HOST_LE);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = c.poll(pfd, 1, Math.max(0, Math.min(deadline - Date.now(), 2 ** 31 - 1)));
      if (r > 0) return true;
      if (r === 0) return false;
      const err = c.errno();
      if (err !== EINTR) throw new SyscallError({ errno: err, syscall: "poll", fdKind: this.fromUmd.kind, fd: this.fromUmd.fd });
    }
  }

  #short(op: "write" | "read", done: number, total: number, cause?: unknown): UmdError {
    const how = cause === undefined ? "returned 0" : isSyscallError(cause) ? `failed with ${cause.code}` : "failed";
    return new UmdError("EFAULT", op, this.driver, `${op} ${how} after ${done} of ${total} bytes`, cause === undefined ? undefined : { cause });
  }

  /** If the UMD has exited: reap it, close the pipes (umd_cleanup_helper), return how it ended. */
  reapIfExited(): ExitStatus | undefined {
    if (this.#closed) return undefined;
    const status = reap(this.pid, { block: false });
    if (status !== undefined) this.#release();
    return status;
  }

  /** shutdown_umh: SIGKILL, wait for the exit, close the pipes. */
  kill(): ExitStatus | undefined {
    if (this.#closed) return undefined;
    const status = killAndReap(this.pid);
    this.#release();
    return status;
  }

  #release(): void {
    this.#closed = true;
    this.toUmd.close();
    this.fromUmd.close();
  }
}
