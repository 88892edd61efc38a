/**
 * The reStructuredText docs (docs/<family>.rst) of every shipped spec: headings underlined to
 * their length, figures pointing at the generated SVGs, the same names as the Markdown, and —
 * when Python's docutils is installed — parsed by docutils without a warning (Sphinx's :ref:
 * role is stood in for, since plain docutils does not know it).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shippedDocs } from "./docs-harness.js";
import type { Program } from "../../src/model/model.js";
import { declsOf } from "../../src/model/model.js";
import { familyRecords } from "../../src/emit/json.js";


const gen = shippedDocs;

function rsts(): [string, string][] {
  return [...gen().files].filter(([p]) => p.endsWith(".rst"));
}

const CHECKER = `
import io, sys
from docutils.core import publish_doctree
from docutils.parsers.rst import roles
from docutils import nodes
def ref(name, rawtext, text, lineno, inliner, options={}, content=[]):
    return [nodes.literal(rawtext, text)], []
roles.register_local_role("ref", ref)
bad = 0
for path in sys.argv[1:]:
    w = io.StringIO()
    publish_doctree(open(path, encoding="utf-8").read(), source_path=path,
                    settings_overrides={"report_level": 2, "halt_level": 5, "warning_stream": w})
    if w.getvalue():
        bad += 1
        sys.stdout.write(w.getvalue())
sys.exit(1 if bad else 0)
`;

// The first Python that has docutils (a pyenv python3 on PATH may lack what apt installed for /usr/bin/python3).
const python = ["python3", "/usr/bin/python3"].find((py) => spawnSync(py, ["-c", "import docutils"]).status === 0);
const hasDocutils = python !== undefined;
if (!hasDocutils) console.warn("SKIPPED: Python docutils is not installed (apt-get install python3-docutils); the .rst files are not parsed");

describe("docs/<family>.rst of specs/", () => {
  it("underlines every heading to the length of its title", () => {
    let headings = 0;
    for (const [p, text] of rsts()) {
      const lines = text.split("\n");
      lines.forEach((l, i) => {
        if (!/^([=\-~^])\1{2,}$/.test(l) || i === 0) return;
        const above = lines[i - 1]!;
        // An overline: the title is below it and the underline below that.
        if (above === "" || /^([=\-~^])\1+$/.test(above)) return;
        headings++;
        expect([...l].length, `${p}:${i + 1} under "${above}"`).toBe([...above].length);
      });
    }
    expect(headings).toBeGreaterThan(50);
  });

  it("has a section for every ioctl, record, enum, fd kind and protocol, and each record's figure", () => {
    const { program, files } = gen();
    for (const f of program.families) {
      const text = files.get(`docs/${f.name}.rst`)!;
      expect(text.startsWith(".. SPDX-License-Identifier: ")).toBe(true);
      expect(text).toContain(`\`\`${f.header}\`\``);
      for (const io of declsOf(f, "ioctl")) expect(text).toContain(`\n${io.name}\n${"-".repeat(io.name.length)}\n`);
      for (const r of familyRecords(f).filter((x) => !x.anonymous)) {
        const title = `${r.record} ${r.name}`;
        expect(text).toContain(`\n${title}\n${"-".repeat(title.length)}\n`);
        const svg = `svg/${f.name}/${r.name}.svg`;
        expect(text).toContain(`.. figure:: ${svg}\n`);
        expect(files.has(`docs/${svg}`)).toBe(true);
        expect(text).toContain(`.. code-block:: c\n\n   ${r.record} ${r.name} {`);
      }
      for (const e of declsOf(f, "enum")) for (const m of e.members) expect(text).toContain(`\`\`${m.name}\`\``);
      for (const c of declsOf(f, "const")) expect(text).toContain(`\`\`${c.name}\`\``);
      for (const d of declsOf(f, "fd")) expect(text).toContain(`\nfd ${d.name}\n`);
      for (const p of declsOf(f, "protocol")) expect(text).toContain(`\nprotocol ${p.name}\n`);
    }
  });

  it("gives uvirtio the registry line with conflict! in a text block", () => {
    const text = gen().files.get("docs/uvirtio.rst")!;
    expect(text).toMatch(/\.\. code-block:: text\n\n {3}'V'\s+01-02\s+linux\/uvirtio\.h\s+conflict!\n/);
  });

  it.skipIf(!hasDocutils)("parses with docutils without warnings", () => {
    const dir = mkdtempSync(join(tmpdir(), "abigen-docs-rst-"));
    try {
      const paths = rsts().map(([p, s]) => {
        const abs = join(dir, p.split("/").pop()!);
        writeFileSync(abs, s);
        return abs;
      });
      const r = spawnSync(python!, ["-c", CHECKER, ...paths], { encoding: "utf8" });
      expect(r.stdout + r.stderr).toBe("");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
