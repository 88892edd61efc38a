/**
 * The layout engine and ioctl numbering against GCC: for every target whose cross compiler is
 * installed, the generated assert file (every size, alignment, offset and ioctl number we
 * compute) must compile — for a synthetic program of tricky cases built as model objects, for
 * the same kind of cases written as a spec (test/fixtures/layout/tricky.abi, parsed and built),
 * and for every spec under specs/. The synthetic program is also compiled against the target's real kernel headers
 * (<linux/types.h>, <asm/ioctl.h>), which checks our built-in copy of the _IOC macros. Negative
 * tests prove a wrong number is caught. All compiles run in parallel in beforeAll.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cAssertsForTarget } from "../../src/layout/c-asserts.js";
import type { Program } from "../../src/model/model.js";
import { PARISC, TARGETS, findTarget, type Target } from "../../src/targets/targets.js";
import { compileC, errorsOf, hasCompiler, type CompileOutcome } from "./gcc.js";
import { syntheticProgram } from "./synthetic-program.js";

const ROOT = join(import.meta.dirname, "..", "..");
const available = TARGETS.filter((t) => hasCompiler(t.cc));
for (const t of TARGETS) {
  if (!available.includes(t)) console.warn(`SKIPPED: GCC layout truth for ${t.name}: compiler ${t.cc} is not installed`);
}
const x86 = available.find((t) => t.name === "x86_64");
if (!x86) console.warn("SKIPPED: negative GCC tests need x86_64-linux-gnu-gcc");

/**
 * The specs under `dir` (specs/, or the tricky-layout fixture), through the full pipeline; a reason
 * string when it cannot run. Rule diagnostics do not matter here (the fixture draws ABI060 on
 * purpose): only a build failure, which leaves no program, fails the test.
 */
async function loadSpecs(dir: string): Promise<Program | string> {
  if (!existsSync(dir)) return `no ${dir} directory`;
  let compiler: typeof import("../../src/compiler.js");
  try {
    compiler = await import("../../src/compiler.js");
  } catch (e) {
    return `the pipeline (src/compiler.ts and what it imports) does not load yet: ${(e as Error).message}`;
  }
  const files = compiler.findSpecFiles([dir]);
  if (files.length === 0) return `${dir} holds no .abi files`;
  const result = compiler.compileSpecs(files);
  if (!result.program) {
    const errs = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
    throw new Error(`${dir} does not build, so its layouts cannot be checked:\n${errs.slice(0, 20).join("\n")}`);
  }
  return result.program;
}

describe("layouts and ioctl numbers agree with GCC", () => {
  const synthetic = syntheticProgram();
  const results = new Map<string, CompileOutcome>();
  let specs: Program | string = "not loaded";
  let tricky: Program | string = "not loaded";
  const negative: Record<string, CompileOutcome> = {};

  beforeAll(async () => {
    specs = await loadSpecs(join(ROOT, "specs"));
    tricky = await loadSpecs(join(ROOT, "test", "fixtures", "layout"));
    const jobs: Promise<unknown>[] = [];
    const run = (key: string, t: Target, text: string) =>
      jobs.push(compileC(t.cc, text).then((o) => results.set(key, o)));
    for (const t of available) {
      run(`synthetic/${t.name}`, t, cAssertsForTarget(synthetic, t));
      run(`kernel-headers/${t.name}`, t, cAssertsForTarget(synthetic, t, { kernelHeaders: true }));
      if (typeof specs !== "string") run(`specs/${t.name}`, t, cAssertsForTarget(specs, t));
      if (typeof tricky !== "string") run(`tricky/${t.name}`, t, cAssertsForTarget(tricky, t));
    }
    if (x86) {
      const good = cAssertsForTarget(synthetic, x86);
      const neg = (key: string, text: string, t: Target = x86) =>
        jobs.push(compileC(t.cc, text).then((o) => (negative[key] = o)));
      neg("offset", corrupt(good, /(offsetof\(struct t_mix, c\) == )(\d+)/));
      neg("size", corrupt(good, /(sizeof\(struct t_nested\) == )(\d+)/));
      neg("number", corrupt(good, /(T_WRITE_MIX_NUMBER == 0x)([0-9a-f]+)/, 16));
      // Wrong target data must show up as wrong layouts: x86_64 with i386's 4-byte u64 alignment …
      neg("target-align", cAssertsForTarget(synthetic, { ...x86, align: { ...x86.align, i64: 4 } }));
      // … and a wrong ioctl encoding as wrong numbers against the real <asm/ioctl.h>.
      neg("target-encoding", cAssertsForTarget(synthetic, { ...x86, ioctl: PARISC }, { kernelHeaders: true }));
    }
    await Promise.all(jobs);
  });

  for (const t of TARGETS) {
    const has = available.includes(t);
    it.skipIf(!has)(`synthetic program on ${t.name}`, () => expectCompiles(results.get(`synthetic/${t.name}`)));
    it.skipIf(!has)(`synthetic program on ${t.name}, kernel's own <asm/ioctl.h>`, () =>
      expectCompiles(results.get(`kernel-headers/${t.name}`)));
    it.skipIf(!has)(`test/fixtures/layout/tricky.abi (parsed and built) on ${t.name}`, (ctx) => {
      if (typeof tricky === "string") {
        console.warn(`SKIPPED: tricky.abi layouts on ${t.name}: ${tricky}`);
        ctx.skip();
      }
      expectCompiles(results.get(`tricky/${t.name}`));
    });
    it.skipIf(!has)(`specs/ on ${t.name}`, (ctx) => {
      if (typeof specs === "string") {
        console.warn(`SKIPPED: specs/ layouts on ${t.name}: ${specs}`);
        ctx.skip();
      }
      expectCompiles(results.get(`specs/${t.name}`));
    });
  }

  describe.skipIf(!x86)("a wrong value is rejected", () => {
    it("a member offset off by one", () => expectRejected(negative.offset, "offsetof c in t_mix on x86_64"));
    it("a record size off by one", () => expectRejected(negative.size, "sizeof t_nested on x86_64"));
    it("an ioctl number off by one", () => expectRejected(negative.number, "number of T_WRITE_MIX on x86_64"));
    it("a wrong alignment in the target table", () => expectRejected(negative["target-align"], "offsetof b in t_u8_u64"));
    it("a wrong ioctl encoding in the target table", () => expectRejected(negative["target-encoding"], "number of T_READ_U32"));
  });

  it.skipIf(!x86)("the generated file really asserts every member, array ends and nested paths included", () => {
    const text = cAssertsForTarget(synthetic, findTarget("x86_64")!);
    expect(text).toContain("offsetof(struct t_deep, expects[1].blocks[2].rules[3].len) ==");
    expect(text).toContain("offsetof(struct t_anon_members, mmio.phys) == 8");
    expect(text).toContain("offsetof(struct t_anon_members, q) == 16");
    expect(text).toContain("offsetof(struct t_multidim, r[1][2].b) ==");
    expect(text).toContain("offsetof(struct t_fam_u64, data) == 8");
    expect(text).toMatch(/#define T_WRITE_MIX_NUMBER _IOW\(0x47, 3, struct t_mix\)/);
  });
});

function expectCompiles(o: CompileOutcome | undefined): void {
  expect(o, "compile did not run").toBeDefined();
  expect(o!.ok, errorsOf(o!)).toBe(true);
}

function expectRejected(o: CompileOutcome | undefined, assertMessage: string): void {
  expect(o, "compile did not run").toBeDefined();
  expect(o!.ok).toBe(false);
  expect(o!.stderr).toContain(assertMessage);
}

/** Add one to the number the pattern's second group matches (decimal, or hex with radix 16). */
function corrupt(text: string, pattern: RegExp, radix = 10): string {
  const m = pattern.exec(text);
  if (!m) throw new Error(`pattern ${pattern} not in the generated file`);
  const bumped = (parseInt(m[2]!, radix) + 1).toString(radix);
  return text.replace(pattern, `$1${bumped}`);
}
