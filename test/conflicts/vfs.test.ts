/**
 * VFS-intercepted commands, per target. The truth for "equal on target t" is the target's own
 * compiler: FIONCLEX, FIGETBSZ and FS_IOC_GETFLAGS from its kernel headers against the same
 * _IOC expression the spec declares. FS_IOC_GETFLAGS is _IOR('f', 1, long), so a u32 argument
 * equals it exactly where long is 4 bytes.
 */
import { describe, expect, it } from "vitest";
import { TARGETS, type Target } from "../../src/targets/targets.js";
import { vfsClashes } from "../../src/conflicts/vfs-clashes.js";
import { allIoctls } from "../../src/checks/ioctls.js";
import { cValues, haveCompiler } from "../helpers/c-values.js";
import { compileMemory } from "./helpers.js";

const SPEC = `family vfs_test = "linux/vfs_test.h";
ioctl T_NCLEX = legacy(0x5450, none);
ioctl T_BSZ = none(0x00, 2);
ioctl T_FLAGS = read('f', 1, u32);
ioctl T_FREEZE_SLOT = read('X', 119, u32);
ioctl T_CLEAN = read('f', 0x40, u32);
`;
// Per ioctl: the VFS command, and the C expression for the spec's own number.
const PAIRS = [
  ["T_NCLEX", "FIONCLEX", "0x5450"],
  ["T_BSZ", "FIGETBSZ", "_IO(0x00, 2)"],
  ["T_FLAGS", "FS_IOC_GETFLAGS", "_IOR('f', 1, unsigned int)"],
  ["T_FREEZE_SLOT", "FIFREEZE", "_IOR('X', 119, unsigned int)"],
] as const;
const PRELUDE = "#include <linux/fs.h>\n#include <asm/ioctls.h>\n";

const available = TARGETS.filter((t) => haveCompiler(t.cc));
for (const t of TARGETS) if (!available.includes(t)) console.warn(`SKIPPED: ${t.cc} is not installed; VFS numbers on ${t.name} not checked`);

/** Per target: for each pair, is the spec's number equal to the command's (by C)? */
let memo: Map<Target, boolean[]> | undefined;
function truth(): Map<Target, boolean[]> {
  if (memo) return memo;
  const m = (memo = new Map<Target, boolean[]>());
  for (const t of available) {
    const v = cValues(PAIRS.flatMap(([, cmd, mine]) => [cmd, mine]), { cc: t.cc, prelude: PRELUDE });
    m.set(t, PAIRS.map((_, i) => v[2 * i] === v[2 * i + 1]));
  }
  return m;
}

describe("VFS clashes per target, against C", () => {
  it.skipIf(available.length === 0)("equal exactly on the targets where C says so", () => {
    const { program } = compileMemory({ "vfs.abi": SPEC }, available);
    const clashes = vfsClashes(allIoctls(program), available);
    const c = truth();
    for (const [i, [name, cmd]] of PAIRS.entries()) {
      const expected = available.filter((t) => c.get(t)![i]).map((t) => t.name);
      const got = clashes.find((x) => x.ioctl.name === name && x.command.name === cmd)?.equal.map((h) => h.target.name) ?? [];
      expect(got, `${name} = ${cmd}`).toEqual(expected);
    }
    expect(clashes.filter((x) => x.ioctl.name === "T_CLEAN")).toEqual([]);
  });

  it.skipIf(available.length < 2)("the per-target answers really differ (the test can tell targets apart)", () => {
    const c = truth();
    const flags = available.map((t) => c.get(t)![2]);
    const nclex = available.map((t) => c.get(t)![0]);
    // FS_IOC_GETFLAGS: ILP32 yes, LP64 no; FIONCLEX: generic yes, alpha/powerpc/mips/sparc/sh4 no.
    if (available.some((t) => t.sizes.long === 4) && available.some((t) => t.sizes.long === 8)) {
      expect(new Set(flags).size).toBe(2);
    }
    expect(nclex).toContain(true);
  });

  it.skipIf(available.length === 0)("FIFREEZE's slot with another direction: slot only, on every target", () => {
    const { program } = compileMemory({ "vfs.abi": SPEC }, available);
    const c = vfsClashes(allIoctls(program), available).find((x) => x.ioctl.name === "T_FREEZE_SLOT")!;
    expect(c.equal).toEqual([]);
    expect(c.slot.map((h) => h.target.name)).toEqual(available.map((t) => t.name));
  });

  it.skipIf(available.length === 0)("the diagnostics: ABI102 for equal numbers, ABI103 for the slot only", () => {
    const r = compileMemory({ "vfs.abi": SPEC }, available);
    const byIoctl = (code: string) => r.diagnostics.filter((d) => d.code === code).map((d) => d.message.match(/`(\w+)`/)![1]);
    expect(byIoctl("ABI102")).toEqual(["T_NCLEX", "T_BSZ", "T_FLAGS"]);
    expect(byIoctl("ABI103")).toContain("T_FREEZE_SLOT");
    expect(r.diagnostics.find((d) => d.code === "ABI102" && d.message.includes("T_FLAGS"))!.message).toMatch(/FS_IOC_GETFLAGS: .* on i386/);
  });

  it("a spec ioctl named like the VFS command describes it: info, no diagnostic", async () => {
    const { buildReport } = await import("../../src/conflicts/report.js");
    const r = compileMemory({ "tty.abi": `family tty_like = "linux/tty_like.h";\nioctl FIONREAD = legacy(0x541B, read, s32) {\n  number[alpha, powerpc, ppc64le, sparc64] = 0x4004667f;\n  number[mips, mips64el] = 0x467f;\n  number[sh4] = 0x8004667f;\n}\n` });
    expect(r.diagnostics.filter((d) => d.code === "ABI102" || d.code === "ABI103")).toEqual([]);
    const infos = buildReport(r.program, r.targets).findings.filter((f) => f.source === "vfs");
    expect(infos.map((f) => [f.severity, f.ioctl])).toEqual([["info", "FIONREAD"]]);
  });
});
