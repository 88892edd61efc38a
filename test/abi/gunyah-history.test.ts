/**
 * Gunyah's real history (seed-abis.md §1): variant A (`GH_`, v10–v14 / android14) → variant B
 * (`GUNYAH_`, upstream v17) → variant C (Android 15/16 hybrid), diffed. Every break the seed
 * notes describe is found and explained; the full reports are golden files (regenerate with
 * UPDATE_GOLDEN=1 and review the diff).
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { compileSpecs } from "../../src/compiler.js";
import { buildLock } from "../../src/abi/build-lock.js";
import { diffLocks } from "../../src/abi/diff.js";
import type { Change } from "../../src/abi/change.js";
import { renderText } from "../../src/abi/render.js";

const REPO = resolve(import.meta.dirname, "../..");
const GOLDEN = join(REPO, "test/fixtures/abi-edits/gunyah");

function lockOf(path: string) {
  const r = compileSpecs([join(REPO, path)], { cwd: REPO });
  if (!r.program || r.hasErrors) throw new Error(`${path} does not compile`);
  return buildLock(r.program, r.targets);
}

const A = lockOf("specs/gunyah.abi");
const B = lockOf("test/fixtures/gunyah-variants/gunyah_v17.abi");
const C = lockOf("test/fixtures/gunyah-variants/gunyah_android.abi");
const AB = diffLocks(A, B);
const BC = diffLocks(B, C);

const find = (cs: readonly Change[], kind: string, subject: string) => cs.filter((c) => c.kind === kind && c.subject === subject);
const binary = (cs: readonly Change[]) => cs.filter((c) => c.impact === "binary").map((c) => `${c.kind} ${c.subject}${c.path ? `.${c.path}` : ""}`).sort();

function golden(name: string, cs: readonly Change[]) {
  const file = join(GOLDEN, name);
  const text = renderText(cs).join("\n") + "\n";
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
  expect(existsSync(file), `${file} missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(text).toBe(readFileSync(file, "utf8"));
}

describe("gunyah A (GH_) → B (GUNYAH_, v17)", () => {
  it("every surviving GH_ ioctl is the GUNYAH_ one renamed in place: a source break, same number", () => {
    for (const [slot, stem, number] of [
      [0x0, "CREATE_VM", "0x00004700"], [0x2, "VM_SET_DTB_CONFIG", "0x40104702"], [0x3, "VM_START", "0x00004703"],
      [0x4, "VM_ADD_FUNCTION", "0x40104704"], [0x5, "VCPU_RUN", "0x00004705"], [0x6, "VCPU_MMAP_SIZE", "0x00004706"],
      [0x7, "VM_REMOVE_FUNCTION", "0x40104707"],
    ] as const) {
      const [c] = find(AB, "ioctl-renamed", `ioctl GUNYAH_${stem}`);
      expect(c, stem).toBeDefined();
      expect(c!.impact).toBe("source");
      expect(c!.message).toContain(`GH_${stem}`);
      expect(c!.message).toContain(`0x${slot.toString(16)}`);
      expect(c!.message).toContain(`${number} on x86_64`); // seed-abis.md §1.5
      expect(c!.message).toContain("binaries are unaffected");
    }
  });

  it("GH_VM_SET_USER_MEM_REGION (0x40204701) and the Android 'A' ioctls are removed: binary breaks", () => {
    for (const name of ["GH_VM_SET_USER_MEM_REGION", "GH_ANDROID_TENTATIVE_UAPI", "GH_VM_ANDROID_LEND_USER_MEM", "GH_VM_ANDROID_SET_FW_CONFIG"]) {
      const [c] = find(AB, "ioctl-removed", `ioctl ${name}`);
      expect(c, name).toBeDefined();
      expect(c!.severity).toBe("breaking");
    }
    expect(find(AB, "ioctl-removed", "ioctl GH_VM_SET_USER_MEM_REGION")[0]!.message).toContain("0x40204701");
  });

  it("mmio.resume_action takes bytes that were padding, with no flag: a binary break; page_fault is a compatible new arm", () => {
    const [ra] = AB.filter((c) => c.kind === "reserved-given-meaning" && c.path === "mmio.resume_action");
    expect(ra?.subject).toBe("fd vcpu");
    expect(ra?.message).toContain("gunyah_vcpu_run");
    expect(AB.filter((c) => c.kind === "union-arm-added").map((c) => c.path)).toEqual(["page_fault"]);
  });

  it("the guest_memfd ioctls are new (seed §1.5 numbers)", () => {
    expect(find(AB, "ioctl-added", "ioctl GUNYAH_CREATE_GUEST_MEM")[0]?.message).toContain("0x40404708");
    expect(find(AB, "ioctl-added", "ioctl GUNYAH_VM_MAP_MEM")[0]?.message).toContain("0x40204709");
    expect(find(AB, "ioctl-added", "ioctl GUNYAH_VM_SET_BOOT_CONTEXT")[0]?.message).toContain("0x4010470a");
  });

  it("renamed types are tracked, not reported as retyped fields", () => {
    expect(find(AB, "record-renamed", "struct gunyah_fn_desc")).toHaveLength(1);
    expect(find(AB, "enum-renamed", "enum gunyah_vm_status")).toHaveLength(1);
    expect(find(AB, "const-renamed", "const GUNYAH_IOCTL_TYPE")).toHaveLength(1);
    expect(AB.filter((c) => ["field-retyped", "field-moved", "ioctl-renumbered", "ioctl-size-changed", "values-changed"].includes(c.kind))).toEqual([]);
  });

  it("the binary breaks are exactly these", () => {
    expect(binary(AB)).toEqual([
      "ioctl-removed ioctl GH_ANDROID_TENTATIVE_UAPI",
      "ioctl-removed ioctl GH_VM_ANDROID_LEND_USER_MEM",
      "ioctl-removed ioctl GH_VM_ANDROID_SET_FW_CONFIG",
      "ioctl-removed ioctl GH_VM_SET_USER_MEM_REGION",
      "reserved-given-meaning fd vcpu.mmio.resume_action",
    ]);
  });

  it("matches the golden report", () => golden("A-to-B.txt", AB));
});

describe("gunyah B (v17) → C (Android hybrid)", () => {
  it("gunyah_map_flags values changed: every moved member is a binary break with old and new value", () => {
    const moved = BC.filter((c) => c.kind === "enum-value-changed").map((c) => c.path).sort();
    expect(moved).toEqual([
      "GUNYAH_MEM_ALLOW_EXEC", "GUNYAH_MEM_ALLOW_READ", "GUNYAH_MEM_ALLOW_RWX", "GUNYAH_MEM_ALLOW_WRITE",
      "GUNYAH_MEM_FORCE_LEND", "GUNYAH_MEM_FORCE_SHARE",
    ]);
    const read = BC.find((c) => c.path === "GUNYAH_MEM_ALLOW_READ")!;
    expect(read.subject).toBe("flags gunyah_map_flags");
    expect(read.message).toContain("0x10 → 1"); // seed §1.3: 1UL << 4; §1.4: 1UL << 0
    expect(BC.find((c) => c.path === "GUNYAH_MEM_FORCE_LEND")!.message).toContain("1 → 0x10");
    expect(find(BC, "const-value-changed", "const GUNYAH_MEM_ACCESS_MASK")[0]?.message).toContain("7 → 112");
  });

  it("guest_memfd creation is gone; GH_VM_SET_USER_MEM_REGION is back in slot 0x1", () => {
    expect(find(BC, "ioctl-removed", "ioctl GUNYAH_CREATE_GUEST_MEM")).toHaveLength(1);
    expect(find(BC, "enum-removed", "flags gunyah_mem_flags")).toHaveLength(1);
    expect(find(BC, "ioctl-added", "ioctl GH_VM_SET_USER_MEM_REGION")[0]?.message).toContain("0x40204701");
    expect(find(BC, "ioctl-added", "ioctl GH_VM_ANDROID_MAP_CMA_MEM")[0]?.message).toContain("0x40284115");
  });

  it("the binary breaks are exactly these", () => {
    expect(binary(BC)).toEqual([
      "const-value-changed const GUNYAH_MEM_ACCESS_MASK",
      "enum-value-changed flags gunyah_map_flags.GUNYAH_MEM_ALLOW_EXEC",
      "enum-value-changed flags gunyah_map_flags.GUNYAH_MEM_ALLOW_READ",
      "enum-value-changed flags gunyah_map_flags.GUNYAH_MEM_ALLOW_RWX",
      "enum-value-changed flags gunyah_map_flags.GUNYAH_MEM_ALLOW_WRITE",
      "enum-value-changed flags gunyah_map_flags.GUNYAH_MEM_FORCE_LEND",
      "enum-value-changed flags gunyah_map_flags.GUNYAH_MEM_FORCE_SHARE",
      "ioctl-removed ioctl GUNYAH_CREATE_GUEST_MEM",
    ]);
  });

  it("matches the golden report", () => golden("B-to-C.txt", BC));
});
