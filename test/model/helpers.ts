/** Build the model of inline spec sources (one or several files, imports by file name). */
import { parseSource } from "../../src/syntax/parse.js";
import { Source } from "../../src/syntax/source.js";
import type { FileNode } from "../../src/syntax/ast.js";
import { Diagnostics } from "../../src/diagnostics/diagnostic.js";
import { buildProgram } from "../../src/model/build.js";
import type { DeclModel, Program } from "../../src/model/model.js";

export interface Built {
  readonly program: Program;
  readonly diags: Diagnostics;
  /** "CODE line" for every diagnostic, in order. */
  readonly codes: string[];
  decl<K extends DeclModel["kind"]>(kind: K, name: string): Extract<DeclModel, { kind: K }>;
}

export function build(sources: string | Record<string, string>): Built {
  const files = typeof sources === "string" ? { "test.abi": sources } : sources;
  const diags = new Diagnostics();
  const parsed = new Map<string, FileNode>();
  for (const [name, text] of Object.entries(files)) parsed.set(name, parseSource(new Source(name, text), diags));
  const syntax = diags.list.filter((d) => d.code === "ABI001" || d.code === "ABI002");
  if (syntax.length > 0) throw new Error(`test spec has syntax errors: ${syntax.map((d) => d.message).join("; ")}`);
  const program = buildProgram([...parsed.values()], (_from, path) => parsed.get(path), diags);
  return {
    program,
    diags,
    codes: diags.sorted().map((d) => `${d.code} ${d.loc ? d.loc.source.position(d.loc.start).line : 0}`),
    decl(kind, name) {
      for (const f of program.families) {
        const d = f.decls.find((x) => x.kind === kind && x.name === name);
        if (d) return d as never;
      }
      throw new Error(`no ${kind} ${name}`);
    },
  };
}

/** The value of a constant expression, as the model evaluates it. */
export function value(expr: string, type?: string): { value?: bigint; codes: string[] } {
  const b = build(`family t = "t.h";\nconst X${type ? `: ${type}` : ""} = ${expr};\n`);
  return { value: b.codes.length ? undefined : b.decl("const", "X").value, codes: b.codes.map((c) => c.split(" ")[0]!) };
}
