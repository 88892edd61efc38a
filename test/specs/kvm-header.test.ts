/**
 * specs/kvm.abi against the real <linux/kvm.h> installed on this machine: every struct size,
 * member offset (kvm_run down to the exit union's `io` members and beyond), constant and ioctl
 * number the spec implies must equal what GCC computes from the header.
 *
 * The spec's structures are the x86 ones, so the check runs only on an x86_64 host, with the
 * host's GCC and headers (the ones <linux/kvm.h> really includes).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSpecs } from "../../src/compiler.js";
import type { Program } from "../../src/model/model.js";
import { hostTarget, type Target } from "../../src/targets/targets.js";
import { gccSyntaxOnly, hasCompiler, headerAsserts } from "./header-asserts.js";

const SPEC = new URL("../../specs/kvm.abi", import.meta.url).pathname;
const KVM_H = "/usr/include/linux/kvm.h";
const CC = "gcc";

/** Members the spec adds where the header leaves tail padding implicit. */
const SPEC_ONLY = new Set(["kvm_run.fail_entry.__pad", "kvm_run.mmio.__pad"]);

function host(): Target | undefined {
  try {
    return hostTarget();
  } catch {
    return undefined;
  }
}

const skipReason = !existsSync(KVM_H)
  ? `${KVM_H} is not installed (apt-get install linux-libc-dev)`
  : host()?.name !== "x86_64"
    ? `specs/kvm.abi describes x86_64 structures; host is ${process.arch}`
    : !hasCompiler(CC)
      ? `${CC} not found`
      : undefined;
if (skipReason) console.warn(`SKIPPED: kvm-header.test.ts: ${skipReason}`);

async function compile(path: string): Promise<{ program?: Program; errors: string[] }> {
  // `await` accepts the synchronous compileSpecs as well as a promise-returning one.
  const res = await compileSpecs([path], { targets: ["x86_64"] });
  const errors = res.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
  return { program: res.program, errors };
}

function cFile(program: Program, target: Target): { source: string; counts: ReturnType<typeof headerAsserts>["counts"] } {
  const family = program.families.find((f) => f.name === "kvm");
  if (!family) throw new Error("no family kvm in specs/kvm.abi");
  const { lines, counts } = headerAsserts(family, target, { specOnly: SPEC_ONLY });
  return { source: ["#include <stddef.h>", "#include <linux/kvm.h>", ...lines, ""].join("\n"), counts };
}

describe.skipIf(skipReason !== undefined)("specs/kvm.abi against <linux/kvm.h>", () => {
  it("compiles without errors", async () => {
    const { program, errors } = await compile(SPEC);
    expect(errors).toEqual([]);
    expect(program).toBeDefined();
  });

  it("agrees with the header on every size, offset, constant and ioctl number", async () => {
    const { program } = await compile(SPEC);
    const { source, counts } = cFile(program!, hostTarget());
    // Nothing may be silently left out: 6 records, all of kvm_run's members, 10 ioctls.
    expect(counts.records).toBe(6);
    expect(counts.ioctls).toBe(10);
    expect(counts.fields).toBeGreaterThanOrEqual(80);
    expect(counts.constants).toBeGreaterThanOrEqual(45);
    expect(source).toContain("offsetof(struct kvm_run, io.port)");
    expect(source).toContain("(KVM_SET_REGS) == 0x");
    const out = gccSyntaxOnly(CC, source);
    expect(out.errors).toBe("");
    expect(out.ok).toBe(true);
  });

  it("fails when the spec is wrong (the check can fail)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "abigen-kvm-"));
    try {
      const text = readFileSync(SPEC, "utf8");
      const mutations: [string, string][] = [
        ["  rip: u64;\n  rflags: u64;", "  rflags: u64;\n  rip: u64;"], // two offsets swapped
        ["port: u16;\n      count: u32;", "port: u32;\n      count: u16;"], // io member sizes
        ["write(KVMIO, 0x82, kvm_regs)", "write(KVMIO, 0x8f, kvm_regs)"], // an ioctl nr
        ["KVM_EXIT_HLT = 5,", "KVM_EXIT_HLT = 6,"], // a constant
      ];
      for (const [from, to] of mutations) {
        expect(text).toContain(from);
        const path = join(dir, "kvm.abi");
        writeFileSync(path, text.replace(from, to));
        const { program } = await compile(path);
        if (!program) continue; // rejected by abigen itself: also a failure of the wrong spec
        const out = gccSyntaxOnly(CC, cFile(program, hostTarget()).source);
        expect(out.ok, `mutation ${JSON.stringify(to)} went unnoticed`).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
