/**
 * Test helper for the UMD tests: the example handlers as exec specs (the C ones built once per
 * test file with gcc from the generated headers; the TS ones run as `node --import tsx`), and
 * process-table probes for leak checks.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ExecSpec } from "../../src/runtime/umd/channel.js";

export const ROOT = join(import.meta.dirname, "..", "..");
export const HAVE_GCC = spawnSync("gcc", ["--version"], { stdio: "ignore" }).status === 0;

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export type HandlerName = "handler" | "sample-handler" | "client";

/** Builds examples/umd/<name>.c for each name into a fresh temp dir (gone at `dispose`). */
export function buildC(names: readonly HandlerName[]): { path(name: HandlerName): string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "abigen-umd-"));
  for (const name of names) {
    const r = spawnSync(
      "gcc",
      ["-O2", "-Wall", "-Wextra", "-Werror", "-I", join(ROOT, "generated", "c"), "-o", join(dir, name), join(ROOT, "examples", "umd", `${name}.c`)],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`gcc ${name}.c failed:\n${r.stderr}`);
  }
  return { path: (name) => join(dir, name), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function cHandler(path: string, name: string, args: readonly string[] = []): ExecSpec {
  return { name, path, args };
}

/** A TS handler under examples/umd, run by this node through tsx. */
export function tsHandler(script: "handler" | "sample-handler", name: string, args: readonly string[] = []): ExecSpec {
  return { name, path: process.execPath, args: ["--import", TSX_LOADER, join(ROOT, "examples", "umd", `${script}.ts`), ...args] };
}

export function tempDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "abigen-umd-log-"));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export { openFds } from "../helpers/open-fds.js";

/** Our child processes (pid → state letter), from /proc/<pid>/stat: "Z" is a zombie. */
export function children(): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid ...": comm may contain spaces and parens, so split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(rest[1]) === process.pid) out.set(Number(entry), rest[0]!);
  }
  return out;
}

/** Whether /proc/<pid> (or a path below it, "123/fd/0") exists: alive or a zombie. */
export function exists(pid: number | string): boolean {
  try {
    statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until `pid`'s whole thread group is dead (after an outside SIGKILL), at most `ms`. The
 * leader of a multi-threaded process (node) shows "Z" while its other threads are still dying,
 * and waitpid reports nothing until the last one is gone, so wait for the lone zombie leader.
 */
export async function waitDead(pid: number, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    let state: string | undefined;
    let threads: number;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      state = stat.slice(stat.lastIndexOf(")") + 2)[0];
      threads = readdirSync(`/proc/${pid}/task`).length;
    } catch {
      return;
    }
    if ((state === "Z" || state === "X") && threads <= 1) return;
    if (Date.now() > end) throw new Error(`pid ${pid} still alive (${state}, ${threads} threads) after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
