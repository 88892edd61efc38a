/**
 * UmdManager: the seed's umd_mgmt (Roberto Sassu's "usermode_driver: Add management library and
 * API", March 2023) for a user-space process. It holds the UMD loader's "module loaded" state,
 * starts the driver lazily (fork+exec with real pipes as its fd 0/1), health-checks every start
 * with post_start, sends one request at a time, and on any transport failure SIGKILLs the driver,
 * waits for it and cleans up, so the next request starts a fresh one.
 *
 * Concurrency: `sendRecv` callers are queued (a promise chain: the seed's umd_mgmt.lock); each one
 * runs its write+read to completion before the next starts, so exactly one request is in flight
 * and replies come back in call order. The I/O itself is synchronous (see channel.ts), so the
 * queue only ever waits on `requestModule`, the one step the seed runs with the lock dropped.
 */
import { errnoNumber } from "../errno.js";
import { UmdChannel, type ExecSpec } from "./channel.js";
import { UmdError } from "./errors.js";
import type { ExitStatus } from "./process.js";

/** What post_start gets: the raw umd_send_recv on the new UMD, lock held, no restart. */
export interface UmdLink {
  sendRecvSync(request: Uint8Array, replySize: number): Uint8Array;
  sendRecv(request: Uint8Array, replySize: number): Promise<Uint8Array>;
}

export interface UmdManagerOptions {
  /** The driver binary and its argv/env (the loader module's embedded blob). */
  readonly exec: ExecSpec;
  /**
   * The health check run right after every start, lock held. Throw (an Errno, or anything —
   * that becomes EFAULT) to reject the UMD: it is killed and the request fails.
   */
  readonly postStart?: (link: UmdLink) => void;
  /**
   * request_module(kmod): called when a request finds the loader not loaded; it may call
   * `load()`. Without it, such requests fail with ENOPROTOOPT at once.
   */
  readonly requestModule?: (manager: UmdManager) => void | Promise<void>;
  /** Give up on a reply after this long (EFAULT, reason "timeout"). Default: wait forever, as the seed. */
  readonly readTimeoutMs?: number;
}

/** Observable state, for tests and monitoring. */
export interface UmdStats {
  /** Successful starts (each one passed post_start). */
  readonly starts: number;
  /** post_start runs, passed or not. */
  readonly healthChecks: number;
  /** Drivers SIGKILLed after a failure or by unload. */
  readonly kills: number;
  /** Drivers found already exited before a request (then reaped and restarted). */
  readonly exitsSeen: number;
}

export class UmdManager {
  readonly #options: UmdManagerOptions;
  readonly #timeout: number;
  #loaded = false;
  #channel: UmdChannel | undefined;
  /** Tail of the request queue (umd_mgmt.lock). */
  #tail: Promise<unknown> = Promise.resolve();
  #queued = 0;
  /** Set while a transfer runs: post_start's nested sends are allowed, anything else is a bug. */
  #inFlight = false;
  #stats = { starts: 0, healthChecks: 0, kills: 0, exitsSeen: 0 };
  #lastExit: ExitStatus | undefined;

  constructor(options: UmdManagerOptions) {
    this.#options = options;
    this.#timeout = options.readTimeoutMs ?? Infinity;
  }

  get name(): string {
    return this.#options.exec.name;
  }

  /** kmod_loaded. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** The driver's pid while one is started (it may have exited since: the next request checks). */
  get pid(): number | undefined {
    return this.#channel?.pid;
  }

  get stats(): UmdStats {
    return { ...this.#stats };
  }

  /** How the last driver that went away ended (killed by us: signal 9). */
  get lastExit(): ExitStatus | undefined {
    return this.#lastExit;
  }

  /**
   * umd_mgmt_load (the loader module's init): start the driver, then mark the loader loaded. If
   * the start or its health check fails, the error is thrown and the state stays unloaded.
   */
  load(): void {
    if (this.#loaded) return;
    this.#assertIdle("load");
    if (this.#channel === undefined) this.#start();
    this.#loaded = true;
  }

  /** umd_mgmt_unload (the loader's exit): kill the driver, mark the loader unloaded. */
  unload(): void {
    this.#assertIdle("unload");
    this.#shutdown();
    this.#loaded = false;
  }

  [Symbol.dispose](): void {
    this.unload();
  }

  /**
   * umd_mgmt_send_recv: queued behind earlier calls; resolves to `replySize` bytes. Fails with
   * UmdError ENOPROTOOPT when not loaded, EFAULT on transport errors (the driver is then killed
   * and the next call restarts it), or post_start's error when a restart is rejected.
   */
  sendRecv(request: Uint8Array, replySize: number): Promise<Uint8Array> {
    this.#queued++;
    const run = async (): Promise<Uint8Array> => {
      try {
        if (!this.#loaded && this.#options.requestModule) await this.#options.requestModule(this);
        return this.#sendRecvNow(request, replySize);
      } finally {
        this.#queued--;
      }
    };
    const result = this.#tail.then(run, run);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /**
   * The same, synchronously: for callers that do nothing else meanwhile (benchmarks, simple
   * tools). Refused while queued async requests wait, which would otherwise be overtaken; and
   * `requestModule` is not consulted unless it completes synchronously.
   */
  sendRecvSync(request: Uint8Array, replySize: number): Uint8Array {
    if (this.#queued > 0) throw new Error(`abigen umd ${this.name}: sendRecvSync while ${this.#queued} async request(s) are queued`);
    if (!this.#loaded && this.#options.requestModule) {
      const r = this.#options.requestModule(this);
      if (r instanceof Promise) throw new Error(`abigen umd ${this.name}: requestModule is async; use sendRecv`);
    }
    return this.#sendRecvNow(request, replySize);
  }

  /** Kill the running driver as if a transfer had failed (tests, and callers that know it hung). */
  kill(): void {
    this.#assertIdle("kill");
    this.#shutdown();
  }

  #sendRecvNow(request: Uint8Array, replySize: number): Uint8Array {
    this.#assertIdle("sendRecv");
    if (!this.#loaded) throw new UmdError("ENOPROTOOPT", "not-loaded", this.name, "the loader is not loaded");
    if (this.#channel !== undefined) {
      const exited = this.#channel.reapIfExited();
      if (exited !== undefined) {
        this.#stats.exitsSeen++;
        this.#lastExit = exited;
        this.#channel = undefined;
      }
    }
    if (this.#channel === undefined) this.#start();
    return this.#transfer(request, replySize);
  }

  /** umd_send_recv on the current channel; on failure shutdown_umh and rethrow. */
  #transfer(request: Uint8Array, replySize: number): Uint8Array {
    const channel = this.#channel;
    if (channel === undefined) throw new UmdError("EFAULT", "not-running", this.name, "no UMD process");
    const reply = new Uint8Array(replySize);
    this.#inFlight = true;
    try {
      channel.exchange(request, reply, this.#timeout);
    } catch (e) {
      this.#shutdown();
      throw e;
    } finally {
      this.#inFlight = false;
    }
    return reply;
  }

  /** start_umh: fork+exec, then post_start; a rejected driver is shut down and the error thrown. */
  #start(): void {
    this.#channel = UmdChannel.start(this.#options.exec);
    const check = this.#options.postStart;
    if (check) {
      this.#stats.healthChecks++;
      const link: UmdLink = {
        sendRecvSync: (req, size) => this.#transfer(req, size),
        sendRecv: (req, size) => new Promise((resolve) => resolve(this.#transfer(req, size))),
      };
      try {
        check(link);
      } catch (e) {
        this.#shutdown();
        if (e instanceof UmdError) throw e;
        const code = typeof (e as { errno?: unknown }).errno === "number" ? (e as { code: string }).code : "EFAULT";
        throw new UmdError(safeCode(code), "health-check", this.name, `post_start: ${(e as Error).message}`, { cause: e });
      }
    }
    this.#stats.starts++;
  }

  #shutdown(): void {
    const channel = this.#channel;
    if (channel === undefined) return;
    this.#channel = undefined;
    const status = channel.kill();
    if (status !== undefined) {
      this.#stats.kills++;
      this.#lastExit = status;
    }
  }

  #assertIdle(op: string): void {
    // Only post_start may run while a transfer's lock is held, and it goes through #transfer.
    if (this.#inFlight) throw new Error(`abigen umd ${this.name}: ${op} while a request is in flight`);
  }
}

function safeCode(code: string): string {
  try {
    errnoNumber(code);
    return code;
  } catch {
    return "EFAULT";
  }
}
