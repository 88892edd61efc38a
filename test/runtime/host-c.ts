/**
 * Test helper: the host C compiler's answer for integer constants (ioctl numbers, flags, errno),
 * so tests never type a number the kernel headers own. One gcc call per set.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const HAVE_GCC = spawnSync("gcc", ["--version"], { stdio: "ignore" }).status === 0;

/**
 * Compiles `#include`s plus one printf per entry and returns name → value. `exprs` maps a result
 * name to a C integer expression; `optional` ones are wrapped in #ifdef and absent when undefined.
 */
export function cConstants(
  includes: readonly string[],
  exprs: Readonly<Record<string, string>>,
  optional: readonly string[] = [],
): Map<string, bigint> {
  const lines = [
    "#define _GNU_SOURCE",
    ...includes.map((h) => `#include <${h}>`),
    "#include <stdio.h>",
    "int main(void) {",
  ];
  for (const [name, expr] of Object.entries(exprs)) {
    const print = `  printf("%s %lld\\n", "${name}", (long long)(${expr}));`;
    lines.push(...(optional.includes(name) ? [`#ifdef ${expr}`, print, "#endif"] : [print]));
  }
  lines.push("  return 0;", "}");
  const dir = mkdtempSync(join(tmpdir(), "abigen-c-"));
  try {
    const src = join(dir, "consts.c");
    const exe = join(dir, "consts");
    writeFileSync(src, lines.join("\n") + "\n");
    const cc = spawnSync("gcc", ["-o", exe, src], { encoding: "utf8" });
    if (cc.status !== 0) throw new Error(`gcc failed:\n${cc.stderr}`);
    const run = spawnSync(exe, { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`constants program failed: ${run.stderr}`);
    const out = new Map<string, bigint>();
    for (const line of run.stdout.trim().split("\n")) {
      const [name, value] = line.split(" ");
      out.set(name!, BigInt(value!));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads one constant, failing loudly if the C program did not print it. */
export function need(consts: ReadonlyMap<string, bigint>, name: string): number {
  const v = consts.get(name);
  if (v === undefined) throw new Error(`C did not define ${name}`);
  return Number(v);
}
