/**
 * Child processes for user-mode drivers: fork+exec with two given fds as the child's fd 0 and 1,
 * SIGKILL, and waitpid — through glibc (koffi), not node's child_process.
 *
 * Why not `child_process.spawn` with the pipe fds as stdio: libuv owns the pid of a child it
 * spawned and reaps it from its SIGCHLD handler, so "has it exited?" and "wait until it has" are
 * only answerable asynchronously, after an event-loop turn. The seed manager checks the thread
 * group synchronously before every request and, on a transport error, SIGKILLs and *waits* before
 * it cleans up. Owning the pid ourselves gives exactly that: `reap(pid, { block: false })` is the
 * liveness check, `killAndReap` the shutdown, and no zombie outlives either.
 *
 * posix_spawn is glibc's fork+exec for multi-threaded programs (clone(CLONE_VM|CLONE_VFORK) and
 * execve; an exec failure is returned as an errno). The child gets: the two fds as 0 and 1,
 * every other fd closed except (optionally) stderr, every signal reset to default and an empty
 * signal mask — node ignores SIGPIPE and an ignored signal stays ignored across exec, while a
 * kernel-started UMD has default dispositions.
 */
import koffi from "koffi";
import { SyscallError } from "../errors.js";

// Linux/glibc values (generic ABI); test/runtime/umd-process.test.ts checks them against C.
export const SIGKILL = 9;
export const WNOHANG = 1;
export const F_DUPFD_CLOEXEC = 1030;
export const POSIX_SPAWN_SETSIGDEF = 0x04;
export const POSIX_SPAWN_SETSIGMASK = 0x08;
const EINTR = 4;
const ECHILD = 10;

/** Opaque glibc objects are passed as zeroed buffers comfortably larger than glibc's types. */
const OPAQUE_BYTES = 1024;

interface Spawn {
  posixSpawn(pid: number[], path: string, fa: Uint8Array, attr: Uint8Array, argv: (string | null)[], envp: (string | null)[]): number;
  faInit(fa: Uint8Array): number;
  faDestroy(fa: Uint8Array): number;
  faDup2(fa: Uint8Array, fd: number, newfd: number): number;
  faClose(fa: Uint8Array, fd: number): number;
  /** glibc ≥ 2.34; undefined on older libcs (then only CLOEXEC keeps our other fds from the child). */
  faClosefrom: ((fa: Uint8Array, from: number) => number) | undefined;
  attrInit(attr: Uint8Array): number;
  attrDestroy(attr: Uint8Array): number;
  attrSetflags(attr: Uint8Array, flags: number): number;
  attrSetsigdefault(attr: Uint8Array, set: Uint8Array): number;
  attrSetsigmask(attr: Uint8Array, set: Uint8Array): number;
  sigfillset(set: Uint8Array): number;
  sigemptyset(set: Uint8Array): number;
  kill(pid: number, sig: number): number;
  waitpid(pid: number, status: number[], options: number): number;
  fcntl(fd: number, cmd: number, arg: number): number;
  close(fd: number): number;
  errno(): number;
}

let bound: Spawn | undefined;

function sys(): Spawn {
  return (bound ??= bind());
}

function bind(): Spawn {
  if (process.platform !== "linux") throw new Error(`abigen umd: user-mode drivers need Linux, not ${process.platform}`);
  const lib = koffi.load("libc.so.6");
  let faClosefrom: Spawn["faClosefrom"];
  try {
    faClosefrom = lib.func("int posix_spawn_file_actions_addclosefrom_np(void *fa, int from)") as Spawn["faClosefrom"];
  } catch {
    faClosefrom = undefined;
  }
  return {
    posixSpawn: lib.func(
      "int posix_spawn(_Out_ int *pid, const char *path, void *fa, void *attr, const char **argv, const char **envp)",
    ) as Spawn["posixSpawn"],
    faInit: lib.func("int posix_spawn_file_actions_init(void *fa)") as Spawn["faInit"],
    faDestroy: lib.func("int posix_spawn_file_actions_destroy(void *fa)") as Spawn["faDestroy"],
    faDup2: lib.func("int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)") as Spawn["faDup2"],
    faClose: lib.func("int posix_spawn_file_actions_addclose(void *fa, int fd)") as Spawn["faClose"],
    faClosefrom,
    attrInit: lib.func("int posix_spawnattr_init(void *attr)") as Spawn["attrInit"],
    attrDestroy: lib.func("int posix_spawnattr_destroy(void *attr)") as Spawn["attrDestroy"],
    attrSetflags: lib.func("int posix_spawnattr_setflags(void *attr, short flags)") as Spawn["attrSetflags"],
    attrSetsigdefault: lib.func("int posix_spawnattr_setsigdefault(void *attr, void *set)") as Spawn["attrSetsigdefault"],
    attrSetsigmask: lib.func("int posix_spawnattr_setsigmask(void *attr, void *set)") as Spawn["attrSetsigmask"],
    sigfillset: lib.func("int sigfillset(void *set)") as Spawn["sigfillset"],
    sigemptyset: lib.func("int sigemptyset(void *set)") as Spawn["sigemptyset"],
    kill: lib.func("int kill(int pid, int sig)") as Spawn["kill"],
    waitpid: lib.func("int waitpid(int pid, _Out_ int *status, int options)") as Spawn["waitpid"],
    fcntl: lib.func("int fcntl(int fd, int cmd, int arg)") as Spawn["fcntl"],
    close: lib.func("int close(int fd)") as Spawn["close"],
    errno: () => koffi.errno(),
  };
}

export interface SpawnOptions {
  /** The executable (a path; no PATH search, like the kernel exec'ing its tmpfs copy). */
  readonly path: string;
  /** argv, argv[0] included (the seed passes { driver_name }). */
  readonly argv: readonly string[];
  /** The environment, "NAME=value" strings (default: this process's). */
  readonly env?: readonly string[];
  /** Becomes the child's fd 0. */
  readonly stdin: number;
  /** Becomes the child's fd 1. */
  readonly stdout: number;
  /** Keep our fd 2 as the child's stderr (default), or leave the child without one, as the kernel does. */
  readonly stderr?: "inherit" | "close";
}

/** Starts the child; returns its pid. Throws SyscallError("posix_spawn") if fork or exec failed. */
export function spawnWithFds(options: SpawnOptions): number {
  const s = sys();
  // A source fd below 3 would be overwritten by the other dup2 before it is read: move it up.
  const temps: number[] = [];
  const above = (fd: number): number => {
    if (fd > 2) return fd;
    const moved = s.fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (moved < 0) throw new SyscallError({ errno: s.errno(), syscall: "fcntl", fdKind: "umd", fd });
    temps.push(moved);
    return moved;
  };
  const fa = new Uint8Array(OPAQUE_BYTES);
  const attr = new Uint8Array(OPAQUE_BYTES);
  const all = new Uint8Array(OPAQUE_BYTES);
  const none = new Uint8Array(OPAQUE_BYTES);
  s.faInit(fa);
  s.attrInit(attr);
  try {
    const stdin = above(options.stdin);
    const stdout = above(options.stdout);
    check(s.faDup2(fa, stdin, 0), "posix_spawn_file_actions_adddup2");
    check(s.faDup2(fa, stdout, 1), "posix_spawn_file_actions_adddup2");
    if (options.stderr === "close") check(s.faClose(fa, 2), "posix_spawn_file_actions_addclose");
    if (s.faClosefrom) check(s.faClosefrom(fa, 3), "posix_spawn_file_actions_addclosefrom_np");
    s.sigfillset(all);
    s.sigemptyset(none);
    check(s.attrSetsigdefault(attr, all), "posix_spawnattr_setsigdefault");
    check(s.attrSetsigmask(attr, none), "posix_spawnattr_setsigmask");
    check(s.attrSetflags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");
    const env = options.env ?? Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ""}`);
    const pid = [0];
    const r = s.posixSpawn(pid, options.path, fa, attr, [...options.argv, null], [...env, null]);
    // posix_spawn returns the errno (it does not set errno), including exec's.
    if (r !== 0) throw new SyscallError({ errno: r, syscall: "posix_spawn", fdKind: "umd", detail: options.path });
    return pid[0]!;
  } finally {
    s.faDestroy(fa);
    s.attrDestroy(attr);
    for (const t of temps) s.close(t);
  }
}

function check(r: number, call: string): void {
  if (r !== 0) throw new SyscallError({ errno: r, syscall: call, fdKind: "umd" });
}

/** How a reaped child ended. */
export type ExitStatus = { readonly code: number } | { readonly signal: number };

function decodeStatus(status: number): ExitStatus {
  const sig = status & 0x7f;
  return sig === 0 ? { code: (status >> 8) & 0xff } : { signal: sig };
}

/**
 * waitpid: with `block: false`, the child's status if it has exited (and is now reaped), else
 * undefined; with `block: true`, waits. A pid that is not our child (ECHILD) is an error.
 */
export function reap(pid: number, options: { block: boolean }): ExitStatus | undefined {
  const s = sys();
  const status = [0];
  for (;;) {
    const r = s.waitpid(pid, status, options.block ? 0 : WNOHANG);
    if (r === pid) return decodeStatus(status[0]!);
    if (r === 0) return undefined;
    const err = s.errno();
    if (err === EINTR) continue;
    throw new SyscallError({ errno: err === 0 ? ECHILD : err, syscall: "waitpid", fdKind: "umd", detail: String(pid) });
  }
}

/** SIGKILL, then wait for the exit (the seed's shutdown_umh): the pid is reaped when this returns. */
export function killAndReap(pid: number): ExitStatus {
  const s = sys();
  // ESRCH cannot happen for an unreaped child (a zombie still accepts signals), so any error is a bug.
  if (s.kill(pid, SIGKILL) < 0) throw new SyscallError({ errno: s.errno(), syscall: "kill", fdKind: "umd", detail: String(pid) });
  return reap(pid, { block: true })!;
}
