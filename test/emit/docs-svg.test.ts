/**
 * The byte pictures (docs/svg/<family>/<record>.svg) of every shipped spec: well-formed,
 * self-contained XML (a small checker of our own, and xmllint when installed), boxes placed
 * and sized in proportion to the x86_64 layout, large arrays collapsed, one band per layout
 * group.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shippedDocs } from "./docs-harness.js";
import { compileWithHost } from "../../src/compiler.js";
import { TARGETS } from "../../src/targets/targets.js";
import type { Program } from "../../src/model/model.js";
import { emitDocs } from "../../src/emit/docs/index.js";
import { familyRecords } from "../../src/emit/json.js";
import { recordLayout } from "../../src/layout/layout.js";
import type { Target } from "../../src/targets/targets.js";


const gen = shippedDocs;

function svgs(): [string, string][] {
  return [...gen().files].filter(([p]) => p.endsWith(".svg"));
}

function svg(family: string, record: string): string {
  const s = gen().files.get(`docs/svg/${family}/${record}.svg`);
  if (s === undefined) throw new Error(`no svg for ${family}/${record}`);
  return s;
}

/**
 * A minimal XML well-formedness check: tags balance, attributes are quoted and unique, `&` only
 * starts a known entity, no `<` inside text or attribute values. Returns the problems found.
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  const entity = /^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;
  const checkText = (text: string, where: number): void => {
    for (let k = text.indexOf("&"); k >= 0; k = text.indexOf("&", k + 1)) {
      if (!entity.test(text.slice(k))) problems.push(`bad entity at ${where + k}`);
    }
  };
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== "") problems.push(`text outside the root at ${i}`);
    checkText(text, i);
    if (lt < 0) break;
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt);
      if (end < 0) return [...problems, "unterminated comment"];
      i = end + 3;
      continue;
    }
    if (xml.startsWith("<?", lt)) {
      const end = xml.indexOf("?>", lt);
      if (end < 0) return [...problems, "unterminated declaration"];
      i = end + 2;
      continue;
    }
    const m = /^<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(xml.slice(lt));
    if (!m) return [...problems, `malformed tag at ${lt}: ${xml.slice(lt, lt + 40)}`];
    const [whole, close, name, attrs, selfClose] = m;
    const names = [...attrs!.matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)];
    const seen = new Set<string>();
    for (const a of names) {
      if (seen.has(a[1]!)) problems.push(`duplicate attribute ${a[1]} at ${lt}`);
      seen.add(a[1]!);
      checkText(a[3] ?? a[4] ?? "", lt);
    }
    if (close) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? "nothing"}> at ${lt}`);
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
    i = lt + whole!.length;
  }
  if (stack.length) problems.push(`unclosed <${stack.join("><")}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

interface Box {
  kind: string;
  field: string;
  offset: number;
  size: number;
  piece: number;
  x: number;
  y: number;
  width: number;
}

function boxes(s: string): Box[] {
  return [...s.matchAll(/<rect class="(\w+)" data-field="([^"]*)" data-offset="(\d+)" data-size="(\d+)" data-piece="(\d+)" x="(\d+)" y="(\d+)" width="(\d+)"/g)]
    .map((m) => ({
      kind: m[1]!, field: m[2]!, offset: +m[3]!, size: +m[4]!, piece: +m[5]!, x: +m[6]!, y: +m[7]!, width: +m[8]!,
    }));
}

const hasXmllint = spawnSync("xmllint", ["--version"]).status === 0;
if (!hasXmllint) console.warn("SKIPPED: xmllint is not installed (apt-get install libxml2-utils); the SVGs are checked by the built-in checker only");

describe("docs/svg of specs/", () => {
  it("has a picture of every named record of every family", () => {
    const { program, files } = gen();
    let n = 0;
    for (const f of program.families) {
      for (const r of familyRecords(f).filter((x) => !x.anonymous)) {
        expect(files.has(`docs/svg/${f.name}/${r.name}.svg`), `${f.name}/${r.name}`).toBe(true);
        n++;
      }
    }
    expect(svgs().length).toBe(n);
  });

  it("the built-in checker rejects what is not well-formed", () => {
    expect(xmlProblems(`<svg><g></svg>`).length).toBeGreaterThan(0);
    expect(xmlProblems(`<svg><text>a & b</text></svg>`).length).toBeGreaterThan(0);
    expect(xmlProblems(`<svg a="1" a="2"/>`).length).toBeGreaterThan(0);
    expect(xmlProblems(`<svg x=1/>`).length).toBeGreaterThan(0);
    expect(xmlProblems(`<svg/><svg/>`).length).toBeGreaterThan(0);
    expect(xmlProblems(`<svg xmlns="http://www.w3.org/2000/svg"><text>a &amp; &lt;b&gt;</text></svg>`)).toEqual([]);
  });

  it("is well-formed, self-contained SVG", () => {
    for (const [p, s] of svgs()) {
      expect(xmlProblems(s), p).toEqual([]);
      expect(s.startsWith(`<svg xmlns="http://www.w3.org/2000/svg"`), p).toBe(true);
      // Self-contained: nothing fetched, nothing run.
      expect(s, p).not.toMatch(/<script|@import|@font-face|xlink:href|href=|url\((?!#)/);
    }
  });

  it.skipIf(!hasXmllint)("passes xmllint", () => {
    const dir = mkdtempSync(join(tmpdir(), "abigen-docs-svg-"));
    try {
      const paths = svgs().map(([p, s], i) => {
        const abs = join(dir, `${i}-${p.split("/").pop()}`);
        writeFileSync(abs, s);
        return abs;
      });
      // One xmllint run for all files; it exits non-zero and names the file on any error.
      execFileSync("xmllint", ["--noout", ...paths], { stdio: "pipe" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("draws uvirtio_setup's fields at the x86_64 offsets, widths proportional to sizes", () => {
    const { program, targets } = gen();
    const x86 = targets.find((t) => t.name === "x86_64")!;
    const rec = familyRecords(program.families.find((f) => f.name === "uvirtio")!).find((r) => r.name === "uvirtio_setup")!;
    const layout = recordLayout(rec, x86);
    const bs = boxes(svg("uvirtio", "uvirtio_setup"));
    expect(bs.map((b) => b.field)).toEqual(["features", "config_addr", "config_len", "flags", "id"]);
    const first = bs[0]!;
    const pxPerByte = first.width / first.size;
    const rowBytes = 16;
    for (const [k, fl] of layout.fields.entries()) {
      const b = bs[k]!;
      expect(b.offset, fl.field.name).toBe(fl.offset);
      expect(b.size, fl.field.name).toBe(fl.size);
      expect(b.width, fl.field.name).toBe(fl.size * pxPerByte);
      expect(b.x - first.x, fl.field.name).toBe((fl.offset % rowBytes) * pxPerByte);
    }
    // Fields of the second row (offset 16 on) are drawn below the first.
    expect(bs[2]!.y).toBeGreaterThan(bs[1]!.y);
    expect(bs[3]!.y).toBe(bs[2]!.y);
  });

  it("collapses uvirtio_expect: element 0 once, the other 7 as one repeat, big spans as strips", () => {
    const s = svg("uvirtio", "uvirtio_expect");
    const bs = boxes(s);
    expect(bs.length).toBeLessThan(30);
    const repeat = bs.find((b) => b.kind === "repeat" && b.field === "expects[1..7]");
    expect(repeat).toBeDefined();
    expect(repeat!.offset).toBe(448);
    expect(repeat!.size).toBe(7 * 448);
    expect(bs.some((b) => b.field === "expects[0].vq_name" && b.size === 64)).toBe(true);
    expect(bs.some((b) => b.kind === "record" && b.field === "expects[0].blocks[0]" && b.size === 48)).toBe(true);
    expect(s).toMatch(/<g class="break" data-from="\d+" data-to="\d+">/);
  });

  it("hatches padding and labels it", () => {
    const s = svg("uvirtio", "uvirtio_block");
    const pad = boxes(s).find((b) => b.field === "unused");
    expect(pad?.kind).toBe("padding");
    expect(s).toContain(`fill="url(#hatch)"`);
    expect(s).toMatch(/>padding<\/text>/);
  });

  it("draws one band per layout group, labelled with its targets", () => {
    const s = svg("umd_key_sig", "msg_in");
    expect(s).toContain("Layout A: 8204 bytes on x86_64, aarch64");
    expect(s).toContain("Layout B: 8200 bytes on i386, x32");
    const dataLen = boxes(s).filter((b) => b.field === "data_len");
    expect(dataLen.map((b) => b.size)).toEqual([8, 4]);
    const same = svg("uvirtio", "uvirtio_setup");
    expect(same).toContain("24 bytes on every target (x86_64, i386");
    expect(same).not.toContain("Layout B");
  });
});

describe("docs/svg of a union and reserved fields (in-memory spec)", () => {
  const text = `/// demo
family demo = "linux/demo.h";
/// A union.
union demo_u {
  a: u32;
  b: struct { x: u16; y: u16 @reserved; };
  c: u8[4];
}
struct demo_s {
  flags: u32;
  rsv: u32 @reserved;
  u: demo_u;
}
`;
  const r = compileWithHost(["/demo.abi"], { read: (p) => (p === "/demo.abi" ? text : undefined), display: (p) => p }, TARGETS);
  const files = r.program ? emitDocs(r.program, r.targets) : new Map<string, string>();

  it("compiles", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("marks reserved fields and draws nested records as one box", () => {
    const s = files.get("docs/svg/demo/demo_s.svg")!;
    expect(xmlProblems(s)).toEqual([]);
    const bs = boxes(s);
    expect(bs.find((b) => b.field === "rsv")?.kind).toBe("reserved");
    expect(bs.find((b) => b.field === "u")).toMatchObject({ kind: "record", offset: 8, size: 4 });
    expect(s).toContain(">reserved</text>");
  });

  it("draws each arm of a union in its own lane from offset 0", () => {
    const s = files.get("docs/svg/demo/demo_u.svg")!;
    expect(xmlProblems(s)).toEqual([]);
    for (const arm of ["a", "b", "c"]) expect(s).toContain(`>arm ${arm}</text>`);
    const bs = boxes(s);
    expect(bs.find((b) => b.field === "a")).toMatchObject({ offset: 0, size: 4 });
    expect(bs.find((b) => b.field === "b.x")).toMatchObject({ offset: 0, size: 2 });
    expect(bs.find((b) => b.field === "b.y")).toMatchObject({ kind: "reserved", offset: 2, size: 2 });
    // Lanes stack: the arms are drawn one below the other.
    const ys = ["a", "b.x", "c"].map((f) => bs.find((b) => b.field === f)!.y);
    expect(ys[0]).toBeLessThan(ys[1]!);
    expect(ys[1]).toBeLessThan(ys[2]!);
  });
});
