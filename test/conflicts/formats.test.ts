/**
 * The report's output formats: SARIF 2.1.0 structure, ioctl-number.rst rows (parsed back with
 * the registry's own table parser), the SVG/HTML map (parsed by a real XML parser), JSON, text,
 * and the command's exit codes.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readShared } from "../helpers/shared.js";
import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/conflicts/report.js";
import { toSarif } from "../../src/conflicts/format-sarif.js";
import { formatRst, rstRows } from "../../src/conflicts/format-rst.js";
import { formatHtml, formatSvg } from "../../src/conflicts/format-map.js";
import { toJsonReport } from "../../src/conflicts/format-json.js";
import { formatText } from "../../src/conflicts/format-text.js";
import { conflictsCommand } from "../../src/conflicts/command.js";
import { parseRegistryRst } from "../../src/registry/rst-table.js";
import { compileMemory } from "./helpers.js";

const SPEC_A = `family fmt_a = "linux/fmt_a.h";
/// Inside 'V' (vt.h, videodev2.h): ABI100.
ioctl FA_ONE = write('V', 1, u64);
ioctl FA_TWO = write('V', 2, u64);
/// FIGETBSZ's number: ABI102.
ioctl FA_BSZ = none(0x00, 2) @allow(ABI100, "test: acknowledged overlap");
/// 0x01 is a type no registry row uses: 0x40-0x44 is free in the registry.
ioctl FA_FREE = none(0x01, 0x40);
ioctl FA_FREE2 = none(0x01, 0x44);
`;
const SPEC_B = `family fmt_b = "linux/fmt_b.h";
/// Inside fmt_a's 0x01 range 0x40-0x44 (no shared slot): ABI101.
ioctl FB_X = none(0x01, 0x40 + 1);
`;
const compiled = compileMemory({ "a.abi": SPEC_A, "b.abi": SPEC_B });
const report = buildReport(compiled.program, compiled.targets, { whyNoScan: "test" });

describe("SARIF", () => {
  const sarif = toSarif(report) as any;
  it("is SARIF 2.1.0 with one run, rules and located results", () => {
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe("abigen");
    const ids = run.tool.driver.rules.map((r: any) => r.id);
    expect(ids).toEqual(["ABI100", "ABI101", "ABI102"]);
    for (const r of run.results) {
      expect(ids[r.ruleIndex]).toBe(r.ruleId);
      expect(["error", "warning"]).toContain(r.level);
      expect(typeof r.message.text).toBe("string");
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toMatch(/^[ab]\.abi$/);
      expect(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1).toBe(true);
      expect(Number.isInteger(loc.region.startColumn) && loc.region.startColumn >= 1).toBe(true);
    }
  });

  it("points at the spec lines, and marks the @allow as an in-source suppression", () => {
    const results = sarif.runs[0].results;
    const at = (id: string) => results.filter((r: any) => r.ruleId === id).map((r: any) => `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`);
    expect(at("ABI102")).toEqual(["a.abi:6"]);
    expect(at("ABI101")).toEqual(["b.abi:3"]);
    expect(at("ABI100").sort()).toEqual(["a.abi:3", "a.abi:6"]);
    const allowed = results.find((r: any) => r.suppressions);
    expect(allowed.suppressions).toEqual([{ kind: "inSource", justification: "test: acknowledged overlap" }]);
    expect(results.find((r: any) => r.ruleId === "ABI102").level).toBe("error");
  });
});

describe("rst rows", () => {
  it("are rows of ioctl-number.rst's table: the registry parser reads them back", () => {
    const text = formatRst(report);
    const rst = readShared("ioctl-number.rst").split("\n");
    // Put the rows right after the table's header border, as a contributor would.
    const headerEnd = rst.findIndex((l, i) => i > 0 && /^====/.test(l) && /^\s+\(hex\)/.test(rst[i - 1] ?? ""));
    const patched = [...rst.slice(0, headerEnd + 1), ...text.split("\n"), ...rst.slice(headerEnd + 1)].join("\n");
    const parsed = parseRegistryRst(patched).rows.slice(0, rstRows(report).length);
    expect(parsed.map((r) => [r.type, r.nrFirst, r.nrLast, r.include, r.conflict])).toEqual(
      rstRows(report).map((r) => [r.type, r.nrFirst, r.nrLast, r.include, r.conflict]),
    );
  });

  it("mark conflict! where the range overlaps another row or another family's new row", () => {
    expect(formatRst(report).split("\n")).toEqual([
      "0x00  02     linux/fmt_a.h                                             conflict!",
      "0x01  40-44  linux/fmt_a.h                                             conflict!",
      "0x01  41     linux/fmt_b.h                                             conflict!",
      "'V'   01-02  linux/fmt_a.h                                             conflict!",
    ]);
  });
});

function xmlParses(text: string): string {
  const r = spawnSync("python3", ["-c", "import sys, xml.etree.ElementTree as E; E.fromstring(sys.stdin.buffer.read()); print('ok')"], { input: text, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : r.stderr;
}
const havePython = spawnSync("python3", ["--version"]).status === 0;
if (!havePython) console.warn("SKIPPED: python3 is not installed; the map's XML well-formedness is not checked");

describe("map", () => {
  const svg = formatSvg(report);
  it.skipIf(!havePython)("SVG and HTML are well-formed XML", () => {
    expect(xmlParses(svg)).toBe("ok");
    expect(xmlParses(formatHtml(report))).toBe("ok");
  });

  it("marks each spec ioctl with its worst live finding", () => {
    const mark = (name: string) => svg.split("\n").find((l) => l.includes(`<title>${name} (`))!;
    expect(mark("FA_BSZ")).toContain('class="spec error"');
    expect(mark("FA_ONE")).toContain('class="spec warning"');
    expect(mark("FB_X")).toContain('class="spec warning"');
    expect(mark("FA_FREE")).toContain('class="spec"><title>');
    expect(svg).toContain('class="claim conflict"><title>fmt_a: &#39;V&#39; 0x01-0x02');
    expect(svg).toContain('class="registry"');
  });
});

describe("json and text", () => {
  it("json carries every finding with its location and the counts", () => {
    const j = toJsonReport(report) as any;
    expect(j.summary).toEqual({ errors: 1, warnings: 2, infos: 2, suppressed: 1 });
    expect(j.findings.find((f: any) => f.code === "ABI102").location).toEqual({ file: "a.abi", line: 6, column: 1 });
    expect(j.ioctls.find((i: any) => i.name === "FA_BSZ").numbers.map((n: any) => n.hex)).toEqual(["0x00000002", "0x20000002"]);
  });

  it("text groups by family and severity and says which sources were used", () => {
    const t = formatText(report);
    expect(t.split("\n")[0]).toMatch(/^sources: 6 spec ioctls in 2 families; ioctl-number.rst \(\d+ rows\); \d+ VFS-intercepted commands; installed headers not checked \(test\)$/);
    const a = t.slice(t.indexOf("fmt_a ("), t.indexOf("fmt_b ("));
    expect(a.indexOf("  errors:")).toBeLessThan(a.indexOf("  warnings:"));
    expect(a).toContain("fix: ");
    expect(a).toContain("acknowledged (@allow):");
  });
});

describe("abigen conflicts", () => {
  const dir = mkdtempSync(join(tmpdir(), "abigen-conflicts-"));
  mkdirSync(join(dir, "clean"));
  mkdirSync(join(dir, "warn"));
  mkdirSync(join(dir, "bad"));
  writeFileSync(join(dir, "clean/c.abi"), `family c = "linux/c.h";\nioctl C_ONE = none(0x01, 0x40);\n`);
  writeFileSync(join(dir, "warn/w.abi"), `family w = "linux/w.h";\nioctl W_ONE = write('V', 1, u64);\n`);
  writeFileSync(join(dir, "bad/b.abi"), SPEC_A);
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await conflictsCommand([...args, "--no-installed"], { out: (s) => out.push(s), err: (s) => err.push(s) }, { cache: false });
    return { status, out: out.join("\n"), err: err.join("\n") };
  };

  it("exits 0 clean, 1 on errors, 1 on warnings only with --deny-warnings, 2 on usage errors", async () => {
    expect((await run(join(dir, "clean"))).status).toBe(0);
    expect((await run(join(dir, "warn"))).status).toBe(0);
    expect((await run(join(dir, "warn"), "--deny-warnings")).status).toBe(1);
    expect((await run(join(dir, "bad"))).status).toBe(1);
    expect((await run(join(dir, "bad"), "--format", "xml")).status).toBe(2);
    expect((await run()).status).toBe(2);
  });

  it("prints the chosen format and names the sources", async () => {
    const r = await run(join(dir, "warn"), "--format", "sarif");
    expect(JSON.parse(r.out).version).toBe("2.1.0");
    expect(r.err).toContain("installed headers not checked (--no-installed)");
    const file = join(dir, "map.html");
    await run(join(dir, "warn"), "--format", "html", "--out", file);
    expect(readFileSync(file, "utf8")).toMatch(/^<!DOCTYPE html>/);
  });
});
