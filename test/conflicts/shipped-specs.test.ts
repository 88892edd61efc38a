/**
 * The conflict report over the shipped specs/: gunyah's 'G' and uvirtio's 'V' overlap registry
 * rows of other headers; kvm's numbers are linux/kvm.h's own (its registry rows, and — with a
 * scan made from the installed kvm.h by gcc — the installed numbers): no conflict.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSpecs } from "../../src/compiler.js";
import { declsOf } from "../../src/model/model.js";
import { buildReport } from "../../src/conflicts/report.js";
import { haveCompiler } from "../helpers/c-values.js";
import { scanFromC } from "./helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const result = compileSpecs([join(ROOT, "specs")], { cwd: ROOT });
const program = result.program!;
const problems = (family: string, r = buildReport(program, result.targets)) =>
  r.findings.filter((f) => f.family === family && f.severity !== "info");

describe("shipped specs: registry and VFS (no scan)", () => {
  const report = buildReport(program, result.targets);

  it("gunyah's 'G' range overlaps the registry's 'G' rows of other headers (a warning, with free ranges)", () => {
    const g = problems("gunyah", report).filter((f) => f.code === "ABI100" && f.message.includes("'G'"));
    expect(g).toHaveLength(1);
    expect(g[0]!.severity).toBe("warning");
    expect(g[0]!.message).toContain("drivers/misc/sgi-gru/grulib.h");
    expect(g[0]!.message).toContain("xen/gntalloc.h");
    const range = report.families.find((f) => f.name === "gunyah")!.ranges.find((r) => r.type === 0x47)!;
    expect(range.overlaps.map((r) => r.include)).toEqual(["drivers/misc/sgi-gru/grulib.h", "xen/gntalloc.h, xen/gntdev.h"]);
    // Every suggestion is really free: no registry row, no spec ioctl in it.
    expect(range.free.length).toBeGreaterThan(0);
    for (const s of range.free) {
      expect(report.registry.rowsOverlapping(s.type, s.nrFirst, s.nrLast)).toEqual([]);
      expect(report.ioctls.filter((io) => io.type === s.type && io.nr >= s.nrFirst && io.nr <= s.nrLast)).toEqual([]);
    }
  });

  it("uvirtio's 'V' range overlaps linux/vt.h and linux/videodev2.h", () => {
    const v = problems("uvirtio", report).filter((f) => f.code === "ABI100");
    expect(v).toHaveLength(1);
    const range = report.families.find((f) => f.name === "uvirtio")!.ranges[0]!;
    expect(range.overlaps.map((r) => r.include)).toEqual(["linux/vt.h", "linux/videodev2.h"]);
  });

  it("kvm: its own registry rows, no conflict", () => {
    expect(problems("kvm", report)).toEqual([]);
    const range = report.families.find((f) => f.name === "kvm")!.ranges[0]!;
    expect(range.claim).toBeUndefined();
    expect(range.ownRows.map((r) => r.seq)).toEqual(["00-1F", "40-FF"]);
  });

  it("no shipped ioctl clashes with a VFS command (tty's FIONREAD is that command: info)", () => {
    expect(report.findings.filter((f) => f.source === "vfs" && f.severity !== "info")).toEqual([]);
    const tty = report.findings.filter((f) => f.source === "vfs").map((f) => f.ioctl);
    if (program.families.some((f) => f.name === "tty")) expect(tty).toEqual(["FIONREAD"]);
  });

  it("the sources line says the installed headers were not checked", () => {
    expect(report.sources.installed.used).toBe(false);
  });
});

describe("shipped specs: with the installed kvm.h", () => {
  const ok = haveCompiler("gcc");
  if (!ok) console.warn("SKIPPED: gcc is not installed; installed-header checks of the shipped specs not run");
  it.skipIf(!ok)("kvm's ioctls match the installed linux/kvm.h: info, no diagnostic", () => {
    const names = declsOf(program.families.find((f) => f.name === "kvm")!, "ioctl").map((io) => io.name);
    const scan = scanFromC({ "linux/kvm.h": names });
    const report = buildReport(program, result.targets, { scan });
    expect(problems("kvm", report)).toEqual([]);
    const infos = report.findings.filter((f) => f.family === "kvm" && f.source === "installed");
    expect(infos.map((f) => [f.ioctl, f.severity])).toEqual(names.map((n) => [n, "info"]));
    expect(infos[0]!.message).toContain("matches installed linux/kvm.h");
  });
});
