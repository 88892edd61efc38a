/**
 * The compile checks every set of generated C outputs must pass, as vitest cases:
 * - each header alone under `gcc -std=c90 -pedantic -Wall -Wextra -Wpadded -Werror`;
 * - each header under `g++ -Wall -Wextra -Werror`;
 * - every layout test under every target's cross compiler (-std=c11 … -Wpadded -Werror): the
 *   header compiles there and GCC's sizes, offsets and ioctl numbers equal abigen's.
 * Missing compilers are reported as SKIPPED, never passed silently.
 */
import { it, expect } from "vitest";
import { join } from "node:path";
import type { OutputFiles } from "../../src/emit/output.js";
import { TARGETS, type Target } from "../../src/targets/targets.js";
import { C11_FLAGS, C90_FLAGS, CXX_FLAGS, compile, hasCompiler, includeUnits, skipped } from "./c-harness.js";

export interface GeneratedC {
  readonly dir: string;
  readonly files: OutputFiles;
}

function headersOf(files: OutputFiles): string[] {
  return [...files.keys()].filter((p) => p.endsWith(".h")).map((p) => p.replace(/^c\//, ""));
}

function layoutTestsOf(g: GeneratedC): string[] {
  return [...g.files.keys()].filter((p) => p.startsWith("c/test/")).map((p) => join(g.dir, p));
}

export function compileChecks(label: string, get: () => GeneratedC, targets: readonly Target[] = TARGETS): void {
  const hostGcc = hasCompiler("gcc");
  const hostGxx = hasCompiler("g++");
  if (!hostGcc) skipped(`${label}: gcc not installed, C90 header check not run`);
  if (!hostGxx) skipped(`${label}: g++ not installed, C++ header check not run`);

  it.skipIf(!hostGcc)(`${label}: every header compiles alone with gcc -std=c90 -pedantic -Wpadded -Werror`, async () => {
    const g = get();
    const units = includeUnits(g.dir, headersOf(g.files));
    expect(units.length).toBeGreaterThan(0);
    const r = await compile("gcc", [...C90_FLAGS, "-I", join(g.dir, "c"), ...units]);
    expect(r.output).toBe("");
    expect(r.ok).toBe(true);
  });

  it.skipIf(!hostGxx)(`${label}: every header compiles with g++ -Wall -Wextra -Werror`, async () => {
    const g = get();
    const headers = headersOf(g.files).map((h) => join(g.dir, "c", h));
    const r = await compile("g++", [...CXX_FLAGS, "-I", join(g.dir, "c"), ...headers]);
    expect(r.output).toBe("");
    expect(r.ok).toBe(true);
  });

  const present = targets.filter((t) => hasCompiler(t.cc));
  for (const t of targets) if (!present.includes(t)) skipped(`${label}: ${t.cc} not installed, ${t.name} layout not checked`);

  it.skipIf(present.length === 0)(`${label}: layout tests pass on every target's compiler (${present.length}/${targets.length})`, async () => {
    const g = get();
    const tests = layoutTestsOf(g);
    expect(tests.length).toBeGreaterThan(0);
    const results = await Promise.all(present.map((t) => compile(t.cc, [...C11_FLAGS, "-I", join(g.dir, "c"), ...tests])));
    const failed = results.filter((r) => !r.ok || r.output !== "").map((r) => `${r.cc}:\n${r.output.slice(0, 4000)}`);
    expect(failed).toEqual([]);
  });
}
