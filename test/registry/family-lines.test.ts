/**
 * One account of a family's ioctl-number.rst lines for every output: the docs, the C header's
 * comment and `abigen conflicts --format rst` print the same lines for the same family, a range
 * the family's own registry rows already hold is not claimed again (kvm's 0xAE), and `conflict!`
 * follows the overlaps the registry data itself shows.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSpecs } from "../../src/compiler.js";
import type { FamilyModel, Program } from "../../src/model/model.js";
import type { Target } from "../../src/targets/targets.js";
import { emitDocs } from "../../src/emit/docs/index.js";
import { emitCHeaders, headerPath } from "../../src/emit/c/header.js";
import { buildReport } from "../../src/conflicts/report.js";
import { formatRst } from "../../src/conflicts/format-rst.js";
import { familyLines, linesOf } from "../../src/registry/family-lines.js";
import { registry } from "../../src/registry/registry.js";
import { parseRegistryRst } from "../../src/registry/rst-table.js";
import { compileMemory } from "../conflicts/helpers.js";

/** The lines of the md docs' `text` block under "## ioctl-number.rst" (none when there is no block). */
function docLines(md: string): string[] {
  const at = md.indexOf("## ioctl-number.rst");
  if (at < 0) return [];
  const m = /```text\n([\s\S]*?)\n```/.exec(md.slice(at));
  return m ? m[1]!.split("\n") : [];
}

/** The table lines of the C header's `ioctl-number.rst:` comment (not the "already registered" ones). */
function headerLines(h: string): string[] {
  const m = /\/\*\n \* ioctl-number\.rst:\n((?: \*.*\n)*?) \*\//.exec(h);
  return m ? m[1]!.split("\n").filter((l) => l !== "").map((l) => l.slice(3)).filter((l) => !l.includes("already registered")) : [];
}

/** `abigen conflicts --format rst` lines for one family's header. */
function rstLines(program: Program, targets: readonly Target[], f: FamilyModel): string[] {
  const text = formatRst(buildReport(program, targets, { whyNoScan: "test" }));
  return text.split("\n").filter((l) => l !== "" && parseRegistryRst(tableOf(l)).rows[0]?.include === f.header);
}

/** A one-row ioctl-number.rst table, so the registry's own parser reads a line's cells. */
function tableOf(line: string): string {
  const border = "====  =====  " + "=".repeat(57) + " " + "=".repeat(30);
  return [border, "Code  Seq#   Include File                                              Comments", "(hex)", border, line, border].join("\n");
}

describe("shipped specs", () => {
  const ROOT = join(import.meta.dirname, "..", "..");
  const r = compileSpecs([join(ROOT, "specs")], { cwd: ROOT });
  const program = r.program!;
  const docs = emitDocs(program, r.targets);
  const headers = emitCHeaders(program, r.targets);

  it("docs, C header and `conflicts --format rst` give each family the same lines", () => {
    let withLines = 0;
    for (const f of program.families) {
      const fromDocs = docLines(docs.get(`docs/${f.name}.md`)!);
      expect(headerLines(headers.get(headerPath(f))!), f.name).toEqual(fromDocs);
      expect(rstLines(program, r.targets, f), f.name).toEqual(fromDocs);
      if (fromDocs.length > 0) withLines++;
    }
    expect(withLines).toBeGreaterThanOrEqual(3); // gunyah, uio_msi, uvirtio at least
  });

  it("kvm: 0xAE is inside linux/kvm.h's own rows, so no line, no conflict, and the outputs say so", () => {
    const kvm = program.families.find((f) => f.name === "kvm")!;
    // The registry data: the rows for linux/kvm.h hold every 0xAE nr kvm uses.
    const own = registry().rows.filter((row) => row.type === 0xae && row.headers.includes("linux/kvm.h"));
    expect(own.length).toBeGreaterThan(0);
    const [line, ...more] = linesOf(familyLines(program, registry()), kvm);
    expect(more).toEqual([]);
    for (const io of line!.range.ioctls) expect(own.some((row) => io.nr >= row.nrFirst && io.nr <= row.nrLast)).toBe(true);
    expect(line!.range.claim).toBeUndefined();
    expect(line!.conflict).toBe(false);
    expect(line!.line).toBeUndefined();

    const md = docs.get("docs/kvm.md")!;
    expect(docLines(md)).toEqual([]);
    expect(md).not.toMatch(/^0xAE .*conflict!/m);
    expect(md).toContain("Every `0xAE` number the family uses is already registered for `linux/kvm.h`.");
    expect(headers.get(headerPath(kvm))).toMatch(/^ \* 0xAE .*already registered for linux\/kvm\.h$/m);
    expect(rstLines(program, r.targets, kvm)).toEqual([]);
  });
});

describe("claims", () => {
  // 0x01 has no registry row: only the two families' claims overlap each other there.
  const A = `family lines_a = "linux/lines_a.h";\nioctl LA_ONE = none(0x01, 0x40);\nioctl LA_TWO = none(0x01, 0x44);\n`;
  const B = `family lines_b = "linux/lines_b.h";\nioctl LB_ONE = none(0x01, 0x41) @allow(ABI101, "test");\n`;
  // A family on linux/kvm.h's header: 0xAE 0x05 is its own row, 0xAE 0x25 is in nitro_enclaves.h's 20-3F.
  const K = `family lines_kvm = "linux/kvm.h";\nioctl LK_OWN = none(0xAE, 0x05);\nioctl LK_NEW = none(0xAE, 0x25);\n`;
  const c = compileMemory({ "a.abi": A, "b.abi": B, "k.abi": K });
  const docs = emitDocs(c.program, c.targets);
  const byName = (n: string) => c.program.families.find((f) => f.name === n)!;

  it("two spec families whose claims overlap are both marked conflict!, in the docs and in the rst rows", () => {
    expect(registry().rowsOverlapping(0x01, 0x40, 0x44)).toEqual([]);
    expect(docLines(docs.get("docs/lines_a.md")!)).toEqual([expect.stringMatching(/^0x01  40-44  linux\/lines_a\.h +conflict!$/)]);
    expect(docLines(docs.get("docs/lines_b.md")!)).toEqual([expect.stringMatching(/^0x01  41     linux\/lines_b\.h +conflict!$/)]);
    expect(docs.get("docs/lines_b.md")).toContain("Overlaps the `0x01` line of family `lines_a`.");
    for (const n of ["lines_a", "lines_b"]) {
      expect(rstLines(c.program, c.targets, byName(n))).toEqual(docLines(docs.get(`docs/${n}.md`)!));
    }
  });

  it("a type partly inside the family's own rows claims only the rest", () => {
    const rows = registry().rowsOverlapping(0xae, 0x25, 0x25);
    expect(rows.map((row) => row.headers)).toEqual([["linux/nitro_enclaves.h"]]);
    const [line] = linesOf(familyLines(c.program, registry()), byName("lines_kvm"));
    expect(line!.range.claim).toEqual({ nrFirst: 0x25, nrLast: 0x25 });
    expect(line!.range.ownRows.map((row) => row.seq)).toEqual(["00-1F"]);
    expect(line!.overlaps).toEqual(rows);
    const md = docs.get("docs/lines_kvm.md")!;
    expect(docLines(md)).toEqual([expect.stringMatching(/^0xAE  25     linux\/kvm\.h +conflict!$/)]);
    expect(md).toMatch(/Already registered for `linux\/kvm\.h`: `0xAE  00-1F  linux\/kvm\.h/);
    expect(md).toMatch(/Overlaps `0xAE  20-3F  linux\/nitro_enclaves\.h/);
  });

  it("lines are rows of the table: the registry's parser reads back code, range, header and conflict!", () => {
    const l = linesOf(familyLines(c.program, registry()), byName("lines_a"))[0]!;
    const [row] = parseRegistryRst(tableOf(l.line!)).rows;
    expect([row!.type, row!.nrFirst, row!.nrLast, row!.include, row!.conflict]).toEqual([0x01, 0x40, 0x44, "linux/lines_a.h", true]);
  });
});
