/**
 * The shipped specs (and the Gunyah variant fixtures) against their C originals: the C
 * declarations of /work/shared/data/seed-abis.md, transcribed into seed-c/*.h, and the virtio
 * headers as installed. For every LP64 target with a cross compiler, one C file per group of
 * non-clashing specs asserts every size, member offset, constant and ioctl number the model
 * computes; the target's GCC and its own <linux/ioctl.h> are the judge.
 *
 * Only LP64 targets: where the originals leave implicit padding (gh_vcpu_run after exit_reason,
 * gunyah_map_cma_mem_args after label, inline tail padding) the specs make it explicit with the
 * 64-bit layout, which on i386-like targets is deliberately not what the C compiler does.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileSpecs } from "../../src/compiler.js";
import { TARGETS, type Target } from "../../src/targets/targets.js";
import { hasCompiler, headerAsserts, type HeaderAssertOptions } from "./header-asserts.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SEED_C = fileURLToPath(new URL("./seed-c/", import.meta.url));

interface Case extends HeaderAssertOptions {
  readonly spec: string;
  /** The C original: a seed-c file or an installed header. */
  readonly include: string;
}

const GUNYAH_V17_PADDING = ["gunyah_vcpu_run.padding2", "gunyah_vcpu_run.mmio.__pad", "gunyah_vcpu_run.page_fault.__pad"];

/** Groups whose specs can share one C file (no name is declared twice within a group). */
const GROUPS: Record<string, readonly Case[]> = {
  shipped: [
    { spec: "specs/gunyah.abi", include: '"gunyah.h"', specOnly: new Set(["gh_vcpu_run.padding2", "gh_vcpu_run.mmio.__pad"]) },
    { spec: "specs/uvirtio.abi", include: '"uvirtio.h"' },
    { spec: "specs/uio_msi.abi", include: '"uio_msi.h"' },
    { spec: "specs/umd_bpfilter.abi", include: '"umd_bpfilter.h"' },
    { spec: "specs/umd_sample.abi", include: '"umd_sample.h"', specOnlyConsts: new Set(["SAMPLE_REPLY_SIZE"]) },
    { spec: "specs/umd_key_sig.abi", include: '"umd_key_sig.h"' },
    { spec: "specs/modfs.abi", include: '"modfs.h"' },
    { spec: "specs/virtio_gpu.abi", include: "<linux/virtio_gpu.h>" },
    { spec: "specs/virtio_ids.abi", include: "<linux/virtio_ids.h>" },
    { spec: "specs/virtio_config.abi", include: "<linux/virtio_config.h>" },
    { spec: "specs/virtio_ring.abi", include: "<linux/virtio_ring.h>" },
  ],
  gunyah_v17: [
    { spec: "test/fixtures/gunyah-variants/gunyah_v17.abi", include: '"gunyah_v17.h"', specOnly: new Set(GUNYAH_V17_PADDING) },
  ],
  gunyah_android: [
    {
      spec: "test/fixtures/gunyah-variants/gunyah_android.abi",
      include: '"gunyah_android.h"',
      specOnly: new Set([...GUNYAH_V17_PADDING, "gunyah_map_cma_mem_args.__pad", "gunyah_qtvm_auth_arg.__pad"]),
    },
  ],
};

const LP64 = TARGETS.filter((t) => t.sizes.long === 8 && t.sizes.ptr === 8);
const available = LP64.filter((t) => hasCompiler(t.cc));
const missing = LP64.filter((t) => !available.includes(t));
if (missing.length > 0) console.warn(`SKIPPED: seed-headers.test.ts: no compiler for ${missing.map((t) => t.name).join(", ")}`);

function gcc(cc: string, source: string): Promise<{ ok: boolean; errors: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cc, ["-std=gnu11", "-fsyntax-only", "-I", SEED_C, "-x", "c", "-"], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ ok: code === 0, errors: stderr.split("\n").filter((l) => /error/.test(l)).slice(0, 20).join("\n") }));
    child.stdin.end(source);
  });
}

async function cSource(cases: readonly Case[], target: Target): Promise<string> {
  const out = ["#include <stddef.h>"];
  for (const c of cases) {
    const res = await compileSpecs([ROOT + c.spec], { targets: [target.name] });
    const errors = res.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
    expect(errors, c.spec).toEqual([]);
    const family = res.program!.families.find((f) => ROOT + c.spec === f.file || f.file.endsWith(c.spec));
    expect(family, `family of ${c.spec}`).toBeDefined();
    const { lines, counts } = headerAsserts(family!, target, c);
    // Every spec declares something that reaches C; an empty block would check nothing.
    expect(counts.records + counts.constants + counts.ioctls, c.spec).toBeGreaterThan(0);
    out.push(`#include ${c.include}`, ...lines);
  }
  return out.join("\n") + "\n";
}

describe.skipIf(available.length === 0)("specs against their C originals (LP64 targets)", () => {
  for (const [group, cases] of Object.entries(GROUPS)) {
    it(`${group}: sizes, offsets, constants and ioctl numbers match GCC on ${available.map((t) => t.name).join(", ")}`, async () => {
      const results = await Promise.all(
        available.map(async (t) => ({ target: t.name, ...(await gcc(t.cc, await cSource(cases, t))) })),
      );
      for (const r of results) expect(r.errors, r.target).toBe("");
      for (const r of results) expect(r.ok, r.target).toBe(true);
    });
  }
});
