/**
 * The process layer under UmdManager: the libc constants it hard-codes (against C), and what a
 * spawned driver gets — our pipes as fd 0/1, no other fd of ours, default signal dispositions
 * (node ignores SIGPIPE; a kernel-started UMD does not) — plus exec failure and reaping.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pipe } from "../../src/runtime/real-fd.js";
import { isUmdError } from "../../src/runtime/umd/errors.js";
import { UmdChannel } from "../../src/runtime/umd/channel.js";
import {
  F_DUPFD_CLOEXEC, killAndReap, POSIX_SPAWN_SETSIGDEF, POSIX_SPAWN_SETSIGMASK, reap, SIGKILL, spawnWithFds, WNOHANG,
} from "../../src/runtime/umd/process.js";
import { cConstants, HAVE_GCC, need } from "./host-c.js";

if (!HAVE_GCC) console.warn("SKIPPED: umd process constants against C — gcc not found");

/** Reads until EOF from a blocking fd. */
function readToEnd(fd: { read(b: Uint8Array): number }): string {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const b = new Uint8Array(4096);
    const n = fd.read(b);
    if (n <= 0) break;
    chunks.push(b.subarray(0, n));
  }
  return Buffer.concat(chunks).toString("utf8");
}

describe("umd process layer", () => {
  it.skipIf(!HAVE_GCC)("hard-coded constants equal the C headers'", () => {
    const c = cConstants(["spawn.h", "signal.h", "sys/wait.h", "fcntl.h", "poll.h"], {
      SIGKILL: "SIGKILL", WNOHANG: "WNOHANG", F_DUPFD_CLOEXEC: "F_DUPFD_CLOEXEC",
      POSIX_SPAWN_SETSIGDEF: "POSIX_SPAWN_SETSIGDEF", POSIX_SPAWN_SETSIGMASK: "POSIX_SPAWN_SETSIGMASK",
      POLLHUP: "POLLHUP", POLLIN: "POLLIN",
    });
    expect({ SIGKILL, WNOHANG, F_DUPFD_CLOEXEC, POSIX_SPAWN_SETSIGDEF, POSIX_SPAWN_SETSIGMASK }).toEqual({
      SIGKILL: need(c, "SIGKILL"), WNOHANG: need(c, "WNOHANG"), F_DUPFD_CLOEXEC: need(c, "F_DUPFD_CLOEXEC"),
      POSIX_SPAWN_SETSIGDEF: need(c, "POSIX_SPAWN_SETSIGDEF"), POSIX_SPAWN_SETSIGMASK: need(c, "POSIX_SPAWN_SETSIGMASK"),
    });
  });

  it("the child gets our pipes as fd 0/1, none of our other fds, and SIGPIPE at its default", () => {
    const [inR, inW] = pipe();
    const [outR, outW] = pipe();
    const [extra, extraW] = pipe(); // fds of ours that must not reach the child
    const script = 'read line; echo "got:$line"; ls /proc/self/fd; grep -E "^Sig(Ign|Blk):" /proc/self/status';
    const pid = spawnWithFds({ path: "/bin/sh", argv: ["sh", "-c", script], stdin: inR.fd, stdout: outW.fd, stderr: "close" });
    inR.close();
    outW.close();
    inW.write(new TextEncoder().encode("hello\n"));
    inW.close();
    const out = readToEnd(outR);
    outR.close();
    expect(reap(pid, { block: true })).toEqual({ code: 0 });
    const lines = out.trim().split("\n");
    expect(lines[0]).toBe("got:hello");
    // 0 and 1 are our pipes; 2 was closed as asked, so ls's own directory fd takes number 2;
    // nothing else (our `extra`, vitest's fds) reached the child.
    const fds = lines.slice(1).filter((l) => /^\d+$/.test(l)).map(Number);
    expect(fds).not.toContain(extra.fd);
    extra.close();
    extraW.close();
    expect(fds).toEqual([0, 1, 2]);
    // Standard signals 1..31 at their defaults. (glibc reserves 32..34 for itself: posix_spawn
    // leaves those as they were.) SIGPIPE = 13 is ignored in this node process, so this can fail.
    const mask = (name: string, text: string): bigint => BigInt("0x" + /^Sig\w+:\t([0-9a-f]+)$/m.exec(text.split("\n").find((l) => l.startsWith(name))!)![1]);
    const standard = (1n << 31n) - 1n;
    expect(mask("SigIgn:", readFileSync("/proc/self/status", "utf8")) & (1n << 12n)).not.toBe(0n);
    expect(mask("SigIgn:", out) & standard).toBe(0n);
    expect(mask("SigBlk:", out) & standard).toBe(0n);
  });

  it("exec failure is the exec errno, and nothing leaks", () => {
    let err: unknown;
    try {
      UmdChannel.start({ name: "missing_umh", path: "/nonexistent/abigen-umh" });
    } catch (e) {
      err = e;
    }
    expect(isUmdError(err, "spawn")).toBe(true);
    expect((err as { code: string }).code).toBe("ENOENT");
  });

  it("reap without blocking sees a running child as undefined, killAndReap reaps it", () => {
    const [r, w] = pipe();
    const pid = spawnWithFds({ path: "/bin/sleep", argv: ["sleep", "30"], stdin: r.fd, stdout: w.fd });
    r.close();
    w.close();
    expect(reap(pid, { block: false })).toBeUndefined();
    expect(killAndReap(pid)).toEqual({ signal: SIGKILL });
    expect(() => reap(pid, { block: false })).toThrow(/ECHILD/);
  });
});
