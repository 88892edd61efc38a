/** The compiler benchmark's input: scripts/gen-synthetic-spec.ts output compiles cleanly. */
import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { compileWithHost } from "../../src/compiler.js";
import { FAMILY_SIZE, generateSyntheticSpec } from "../../scripts/gen-synthetic-spec.js";

function compile(files: Map<string, string>) {
  const dir = resolve("/synthetic");
  const abs = new Map([...files].map(([name, text]) => [resolve(dir, name), text]));
  return compileWithHost([...abs.keys()], { read: (p) => abs.get(p), display: (p) => p.slice(dir.length + 1) });
}

describe("synthetic specs", () => {
  it("100 declarations compile on all targets without any diagnostic", () => {
    const files = generateSyntheticSpec(100);
    const result = compile(files);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(result.program?.families.reduce((n, f) => n + f.decls.length, 0)).toBe(100);
  });

  it("has every kind of declaration, nesting and ioctls of every direction", () => {
    const text = [...generateSyntheticSpec(100).values()].join("\n");
    for (const s of ["const ", "enum ", "flags ", "struct ", "union ", "fd ", "= none(", "= read(", "= write(", "= readwrite(", "@padding", "@ptr(len", "@enum(", "@flags(", "char["]) {
      expect(text, s).toContain(s);
    }
    expect(text).toMatch(/: struct \{[^}]*\}\[\d+\];/);
  });

  it("splits large counts into families and is deterministic", () => {
    const files = generateSyntheticSpec(2 * FAMILY_SIZE + 7);
    expect(files.size).toBe(3);
    expect(generateSyntheticSpec(2 * FAMILY_SIZE + 7)).toEqual(files);
    const result = compile(files);
    expect(result.hasErrors).toBe(false);
    expect(result.program?.families.reduce((n, f) => n + f.decls.length, 0)).toBe(2 * FAMILY_SIZE + 7);
  });
});
