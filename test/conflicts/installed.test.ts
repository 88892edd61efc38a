/**
 * The installed-header rules (ABI104 equal number, ABI105 shared slot, ABI106 the family's own
 * header disagrees), with a scan whose numbers gcc computed from the real headers.
 */
import { describe, expect, it } from "vitest";
import { installedDiagnostics } from "../../src/conflicts/installed-checks.js";
import { buildReport } from "../../src/conflicts/report.js";
import { haveCompiler } from "../helpers/c-values.js";
import { compileMemory, scanFromC } from "./helpers.js";

const ok = haveCompiler("gcc");
if (!ok) console.warn("SKIPPED: gcc is not installed; installed-header rules not checked");

const SPEC = `family kvm_like = "linux/kvm.h";
/// Is linux/kvm.h's KVM_RUN: not a conflict.
ioctl KVM_RUN = none(0xAE, 0x80);
/// GSMIOC_DISABLE_NET is _IO('G', 3).
ioctl MY_DISABLE = none('G', 3);
/// VT_GETMODE is _IO('V', 1): same slot, another number.
ioctl MY_SLOT = write('V', 1, u64);
ioctl MY_SLOT_OK = write('V', 1, u32) @allow(ABI105, "vt never sees our fd");
/// kvm.h's KVM_GET_API_VERSION is _IO(0xAE, 0); this one is KVM_CREATE_VM's number.
ioctl KVM_GET_API_VERSION = none(0xAE, 0x01);
ioctl MY_CLEAN = none(0x01, 0x33);
`;
const MACROS = {
  "linux/kvm.h": ["KVM_RUN", "KVM_GET_API_VERSION", "KVM_CREATE_VM"],
  "linux/gsmmux.h": ["GSMIOC_DISABLE_NET"],
  "linux/vt.h": ["VT_GETMODE"],
};

describe("installed-header rules", () => {
  it.skipIf(!ok)("report exactly the clashes, by ioctl and code", () => {
    const scan = scanFromC(MACROS);
    const { program, targets } = compileMemory({ "kvm_like.abi": SPEC });
    const diags = installedDiagnostics(program, targets, scan);
    const got = diags.map((d) => `${d.code} ${d.message.match(/`(\w+)`/)![1]}${d.suppressed ? " (allowed)" : ""}`);
    expect(got.sort()).toEqual([
      "ABI104 KVM_GET_API_VERSION", // equal to KVM_CREATE_VM
      "ABI104 MY_DISABLE",
      "ABI105 MY_SLOT",
      "ABI105 MY_SLOT_OK (allowed)",
      "ABI106 KVM_GET_API_VERSION",
    ]);
    const disable = diags.find((d) => d.code === "ABI104" && d.message.includes("MY_DISABLE"))!;
    expect(disable.message).toContain("GSMIOC_DISABLE_NET (linux/gsmmux.h)");
    expect(disable.severity).toBe("warning");
    expect(disable.loc!.source.position(disable.loc!.start).line).toBe(5);
  });

  it.skipIf(!ok)("the report: KVM_RUN matches the installed header (info), the sources line names the scan", () => {
    const scan = scanFromC(MACROS);
    const { program, targets } = compileMemory({ "kvm_like.abi": SPEC });
    const r = buildReport(program, targets, { scan });
    const run = r.findings.filter((f) => f.ioctl === "KVM_RUN");
    expect(run.map((f) => [f.severity, f.source])).toEqual([["info", "installed"]]);
    expect(run[0]!.message).toContain("matches installed linux/kvm.h");
    expect(r.sources.installed).toMatchObject({ used: true, target: "x86_64", ioctls: 5 });
    expect(r.findings.filter((f) => f.ioctl === "MY_CLEAN")).toEqual([]);
  });
});
