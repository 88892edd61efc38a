/**
 * Compiling generated C in tests: write outputs to a temp dir, run the host and cross compilers
 * (in parallel, one call per compiler over many files), and say loudly which ones are missing.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { OutputFiles } from "../../src/emit/output.js";

export function hasCompiler(cc: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cc}`], { stdio: "ignore" }).status === 0;
}

/** Write outputs under a fresh temp dir; returns the dir (the `generated/` stand-in). */
export function writeTemp(files: OutputFiles, prefix = "abigen-c-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [p, content] of files) {
    const abs = join(dir, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return dir;
}

export interface CompileResult {
  readonly cc: string;
  readonly ok: boolean;
  readonly output: string;
}

export function compile(cc: string, args: readonly string[], cwd?: string): Promise<CompileResult> {
  return new Promise((resolve) => {
    execFile(cc, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ cc, ok: !err, output: `${stdout}${stderr}` });
    });
  });
}

/** The flags every generated header must pass on the host compiler in C90 mode. */
export const C90_FLAGS = ["-std=c90", "-pedantic", "-Wall", "-Wextra", "-Wpadded", "-Werror", "-fsyntax-only"];
export const CXX_FLAGS = ["-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-x", "c++"];
export const C11_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Wpadded", "-Werror", "-fsyntax-only"];

/** One `.c` per header that includes only it (each header must stand alone), under `dir/inc/`. */
export function includeUnits(dir: string, headers: readonly string[]): string[] {
  return headers.map((h, i) => {
    const file = join(dir, "inc", `unit${i}.c`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `#include <${h}>\n`);
    return file;
  });
}

export function skipped(reason: string): void {
  console.warn(`SKIPPED: ${reason}`);
}
