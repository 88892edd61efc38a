/**
 * The Markdown docs of every shipped spec (specs/): every ioctl, record, field, enum member,
 * constant, fd kind, protocol item and doc comment of a family appears in its .md; the ioctl
 * table's numbers are the ones ioctlNumber computes (itself checked against the kernel's _IOC
 * macros compiled by C in test/layout); the registry line for uvirtio is computed from the
 * committed ioctl-number.rst data.
 */
import { describe, expect, it } from "vitest";
import { shippedDocs } from "./docs-harness.js";
import type { FamilyModel, Program, RecordModel } from "../../src/model/model.js";
import { declsOf } from "../../src/model/model.js";
import { emitDocs } from "../../src/emit/docs/index.js";
import { familyRecords } from "../../src/emit/json.js";
import { fieldRows } from "../../src/emit/docs/field-rows.js";
import { ioctlNumber } from "../../src/layout/ioctl-numbers.js";
import { hex32 } from "../../src/targets/ioctl-encoding.js";
import { registry } from "../../src/registry/registry.js";
import type { Target } from "../../src/targets/targets.js";


const gen = shippedDocs;

function md(f: FamilyModel): string {
  const text = gen().files.get(`docs/${f.name}.md`);
  if (text === undefined) throw new Error(`no docs/${f.name}.md`);
  return text;
}

/** Markdown source back to the characters a reader sees (escapes undone), whitespace folded. */
function plain(s: string): string {
  return s
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/<br><br>/g, " ")
    .replace(/\s+/g, " ");
}

/** Every doc comment the model holds for a family, with where it came from. */
function docsOf(f: FamilyModel): { where: string; doc: string }[] {
  const out: { where: string; doc: string }[] = [];
  const add = (where: string, doc: string | undefined): void => {
    if (doc !== undefined) out.push({ where, doc });
  };
  add(`family ${f.name}`, f.doc);
  const records: RecordModel[] = familyRecords(f);
  for (const d of f.decls) {
    add(d.name, d.doc);
    if (d.kind === "enum") for (const m of d.members) add(`${d.name}.${m.name}`, m.doc);
    if (d.kind === "protocol") {
      for (const m of d.messages) add(`${d.name}.${m.name}`, m.doc);
      for (const c of d.commands) add(`${d.name}.${c.name}`, c.doc);
    }
  }
  for (const r of records) for (const fld of r.fields) add(`${r.name}.${fld.name ?? "(anonymous)"}`, fld.doc);
  return out;
}

describe("docs/<family>.md of specs/", () => {
  it("has a Markdown file for every family", () => {
    const { program, files } = gen();
    expect(program.families.length).toBeGreaterThan(5);
    for (const f of program.families) expect(files.has(`docs/${f.name}.md`)).toBe(true);
  });

  it("shows every doc comment of the model", () => {
    let checked = 0;
    for (const f of gen().program.families) {
      const text = plain(md(f));
      for (const { where, doc } of docsOf(f)) {
        for (const para of doc.split(/\n\s*\n/)) {
          const want = para.replace(/\s+/g, " ").trim();
          if (want === "") continue;
          checked++;
          expect(text.includes(want), `${f.name}.md lacks the doc of ${where}: ${want}`).toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it("names every ioctl, record, field, enum member, constant, fd kind and protocol item", () => {
    const { program, targets } = gen();
    for (const f of program.families) {
      const text = md(f);
      for (const io of declsOf(f, "ioctl")) {
        expect(text).toContain(`<a id="ioctl-${io.name}"></a>`);
        expect(text).toContain(`### ${io.name}\n`);
        for (const e of io.errors) expect(plain(text)).toContain(`| \`${e.errno}\` | ${e.text ?? ""}`.trimEnd());
      }
      for (const r of familyRecords(f).filter((x) => !x.anonymous)) {
        expect(text).toContain(`### ${r.record} ${r.name}\n`);
        expect(text).toContain(`![${r.name}](svg/${f.name}/${r.name}.svg)`);
        // Every row of the field table, nested anonymous members included, on x86_64.
        for (const row of fieldRows(r, targets[0]!)) expect(text, `${r.name}: ${row.path}`).toContain(`\`${row.path}\``);
      }
      for (const e of declsOf(f, "enum")) for (const m of e.members) expect(text).toContain(`| \`${m.name}\``);
      for (const c of declsOf(f, "const")) expect(text).toContain(`| \`${c.name}\``);
      for (const d of declsOf(f, "fd")) expect(text).toContain(`### fd ${d.name}\n`);
      for (const p of declsOf(f, "protocol")) {
        expect(text).toContain(`### protocol ${p.name}\n`);
        for (const m of p.messages) expect(text).toContain(`| \`${m.name}\` |`);
        for (const c of p.commands) expect(text).toContain(`| \`${[c.name, ...c.params.map((x) => `<${x}>`)].join(" ")}\` |`);
      }
      expect(text).toContain(`\`${f.header}\``);
    }
  });

  it("puts in the ioctl table the numbers ioctlNumber computes, on every target of each column", () => {
    const { program, targets } = gen();
    const byName = new Map(targets.map((t) => [t.name, t]));
    let cells = 0;
    for (const f of program.families) {
      const ioctls = declsOf(f, "ioctl");
      if (ioctls.length === 0) continue;
      const lines = md(f).split("\n");
      const headerAt = lines.findIndex((l) => l.startsWith("| Ioctl |"));
      expect(headerAt, f.name).toBeGreaterThan(0);
      const header = lines[headerAt]!.split(" | ");
      // Number columns are the ones whose header lists targets: "generic (x86_64, i386, …)".
      const columns = header
        .map((h, i) => ({ i, m: /\(([^)]*)\)\s*\|?$/.exec(h) }))
        .filter((c) => c.m !== null)
        .map((c) => ({ i: c.i, targets: c.m![1]!.split(", ").map((n) => byName.get(n)!) }));
      // Together the columns cover every target exactly once.
      expect(columns.flatMap((c) => c.targets.map((t) => t.name)).sort()).toEqual(targets.map((t) => t.name).sort());
      for (const [k, io] of ioctls.entries()) {
        const row = lines[headerAt + 2 + k]!.split(" | ");
        expect(row[0]).toContain(`\`${io.name}\``);
        for (const c of columns) {
          for (const t of c.targets) {
            expect(row[c.i], `${io.name} on ${t.name}`).toBe(`\`${hex32(ioctlNumber(io, t))}\``);
            cells++;
          }
        }
      }
    }
    expect(cells).toBeGreaterThan(16 * 20);
  });

  it("gives uvirtio the registry line 'V' 01-02 with conflict!, as the registry holds 'V' rows", () => {
    const { program } = gen();
    const f = program.families.find((x) => x.name === "uvirtio")!;
    // The registry data itself has rows covering 'V' 01-02 (linux/vt.h, linux/videodev2.h: "all").
    expect(registry().rowsOverlapping(0x56, 1, 2).length).toBeGreaterThan(0);
    expect(md(f)).toMatch(/^'V'\s+01-02\s+linux\/uvirtio\.h\s+conflict!$/m);
  });

  it("gives gunyah one registry line per magic type, lowest to highest nr", () => {
    const f = gen().program.families.find((x) => x.name === "gunyah")!;
    const text = md(f);
    expect(text).toMatch(/^'A'\s+10-12\s+linux\/gunyah\.h\s+conflict!$/m);
    expect(text).toMatch(/^'G'\s+00-07\s+linux\/gunyah\.h\s+conflict!$/m);
  });

  it("gives a column set per layout group where a record's layout differs between targets", () => {
    const f = gen().program.families.find((x) => x.name === "umd_key_sig")!;
    const text = md(f);
    const section = text.slice(text.indexOf("### struct msg_in"), text.indexOf("### struct umd_asymmetric_key_ids"));
    expect(section).toContain("| Field | Type | Offset A | Size A | Offset B | Size B |");
    // data_len is a ulong: 8 bytes at 4 on LP64, 4 bytes at 4 on ILP32; data follows it.
    expect(section).toContain("| `data_len` | `ulong` | 4 | 8 | 4 | 4 |");
    expect(section).toMatch(/\| `data` \| `u8\[8192\]` \| 12 \| 8192 \| 8 \| 8192 \|/);
  });

  it("is deterministic", () => {
    const { program, targets, files } = gen();
    const again = emitDocs(program, targets);
    expect([...again.keys()]).toEqual([...files.keys()]);
    for (const [p, c] of again) expect(c, p).toBe(files.get(p));
  });
});
