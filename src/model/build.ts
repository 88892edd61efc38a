/**
 * Phase 3 of the pipeline: syntax trees → checked model.
 *
 *   1. files    — the given files plus what they import (ABI014), in path order
 *   2. families — one `family` per file, names unique (ABI015)
 *   3. names    — every declaration and enum member into the one global namespace (ABI011)
 *   4. decls    — each declaration resolved in source order; what it names is resolved on
 *                 demand, once (types, constants, enums, attributes: see the files they name)
 *   5. deferred — pointer targets, which may point back at their own struct
 *
 * Every problem is reported and building goes on, so the user sees all of them; the pipeline
 * stops after this phase when any error was reported.
 */
import type { Decl, FileNode } from "../syntax/ast.js";
import type { Diagnostics } from "../diagnostics/diagnostic.js";
import type { DeclModel, FamilyModel, Program } from "./model.js";
import { BuildContext, ERROR_TYPE } from "./context.js";
import { Reporter } from "./reporter.js";
import type { Sym } from "./resolve.js";
import { checkAttributes, declSite } from "./attributes.js";
import { constOf } from "./consts.js";
import { enumOf } from "./enums.js";
import { recordOf } from "./records.js";
import { aliasOf } from "./types.js";
import { fdOf } from "./fds.js";
import { buildIoctl } from "./ioctls.js";
import { buildProtocol } from "./protocols.js";

const DEFAULT_LICENSE = "GPL-2.0 WITH Linux-syscall-note";

export function buildProgram(
  files: readonly FileNode[],
  resolveImport: (from: FileNode, path: string) => FileNode | undefined,
  diags: Diagnostics,
): Program {
  const cx = new BuildContext(new Reporter(diags));
  const { all, imports } = collectFiles(cx, files, resolveImport);
  const families = nameFamilies(cx, all);

  for (const file of all) cx.symbols.setVisible(file, closure(file, imports));
  // Each named declaration's symbol, made once: declared now, built from below.
  const symsOf = new Map<FileNode, (Sym | undefined)[]>();
  for (const file of all) symsOf.set(file, (file.decls ?? []).map((decl) => declare(cx, file, decl)));

  const declsOf = new Map<FileNode, DeclModel[]>();
  for (const file of all) {
    const out: DeclModel[] = [];
    const decls = file.decls ?? [];
    const syms = symsOf.get(file)!;
    for (let i = 0; i < decls.length; i++) {
      const sym = syms[i];
      const model = sym ? buildDecl(cx, file, decls[i]!, sym) : undefined;
      if (model) out.push(model);
    }
    declsOf.set(file, out);
  }
  // Pointer targets may name any record, their own included; resolve them now that all exist.
  for (let i = 0; i < cx.deferred.length; i++) cx.deferred[i]!();

  return {
    families: all.map((file) => {
      const fam = families.get(file)!;
      const imported = [...new Set((imports.get(file) ?? []).map((f) => cx.familyOf.get(f)!))].filter((n) => n !== fam.name);
      return { ...fam, imports: imported, decls: declsOf.get(file) ?? [] };
    }),
  };
}

/** The given files and everything they import, deduplicated, sorted by path; imports resolved. */
function collectFiles(
  cx: BuildContext, files: readonly FileNode[], resolveImport: (from: FileNode, path: string) => FileNode | undefined,
): { all: FileNode[]; imports: Map<FileNode, FileNode[]> } {
  const seen = new Set<FileNode>();
  const imports = new Map<FileNode, FileNode[]>();
  const queue = files.filter((f) => f && !seen.has(f) && seen.add(f));
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!;
    const direct: FileNode[] = [];
    for (const imp of file.imports ?? []) {
      if (!imp?.path) continue;
      const target = resolveImport(file, imp.path.value);
      if (!target) {
        cx.report("ABI014", file, imp.path.span, {
          message: `import not found: "${imp.path.value}"`,
          hint: `the path is relative to ${file.source.name}; check the file name`,
        });
        continue;
      }
      direct.push(target);
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
    imports.set(file, direct);
  }
  const all = [...seen].sort((a, b) => (a.source.name < b.source.name ? -1 : a.source.name > b.source.name ? 1 : 0));
  return { all, imports };
}

function closure(file: FileNode, imports: ReadonlyMap<FileNode, readonly FileNode[]>): Set<FileNode> {
  const out = new Set<FileNode>([file]);
  const stack = [file];
  while (stack.length) {
    for (const next of imports.get(stack.pop()!) ?? []) {
      if (!out.has(next)) {
        out.add(next);
        stack.push(next);
      }
    }
  }
  return out;
}

type FamilyHead = Omit<FamilyModel, "imports" | "decls">;

/** One family per file (ABI015), unique across the program. */
function nameFamilies(cx: BuildContext, all: readonly FileNode[]): Map<FileNode, FamilyHead> {
  const out = new Map<FileNode, FamilyHead>();
  const byName = new Map<string, FileNode>();
  for (const file of all) {
    const fam = file.family;
    const base = file.source.name.replace(/^.*[\\/]/, "").replace(/\.abi$/, "").replace(/\W/g, "_");
    if (!fam?.name) {
      const firstLine = file.source.text.indexOf("\n");
      cx.report("ABI015", file, { start: 0, end: firstLine < 0 ? file.source.text.length : firstLine }, {
        message: `${file.source.name} has no family declaration`,
        hint: `start the file (after its imports) with \`family ${base} = "linux/${base}.h";\``,
      });
      cx.familyOf.set(file, base);
      out.set(file, { name: base, header: `linux/${base}.h`, license: DEFAULT_LICENSE, file: file.source.name, loc: cx.rep.loc(file, { start: 0, end: 0 }) });
      continue;
    }
    const name = fam.name.name;
    const first = byName.get(name);
    if (first) {
      cx.report("ABI015", file, fam.name.span, {
        message: `family ${name} is declared by two files`,
        hint: "each spec file declares its own family; rename one of them",
        related: [{ message: "first declared here", loc: cx.rep.loc(first, first.family!.name.span) }],
      });
    } else {
      byName.set(name, file);
    }
    const attrs = checkAttributes(cx, file, fam.attrs, "family");
    const license = attrs.arg("license", 0);
    cx.familyOf.set(file, name);
    out.set(file, {
      name, header: fam.header?.value ?? "", file: file.source.name, loc: cx.rep.loc(file, fam.span),
      license: license?.kind === "String" ? license.value : DEFAULT_LICENSE,
      ...(fam.doc ? { doc: fam.doc.text } : {}),
    });
  }
  return out;
}

function symOf(file: FileNode, decl: Decl): Sym {
  const name = decl.name.name;
  const ident = decl.name;
  switch (decl.kind) {
    case "Const": return { name, file, ident, kind: "const", decl };
    case "Enum": return { name, file, ident, kind: "enum", decl };
    case "Record": return { name, file, ident, kind: "record", decl };
    case "TypeAlias": return { name, file, ident, kind: "alias", decl };
    case "Fd": return { name, file, ident, kind: "fd", decl };
    case "Ioctl": return { name, file, ident, kind: "ioctl", decl };
    case "Protocol": return { name, file, ident, kind: "protocol", decl };
  }
}

/** Declares the names of `decl`; its symbol, undefined when it has no name (a syntax error). */
function declare(cx: BuildContext, file: FileNode, decl: Decl): Sym | undefined {
  if (!decl?.name) return undefined;
  const sym = symOf(file, decl);
  cx.symbols.add(sym);
  if (decl.kind === "Enum") {
    for (const [index, member] of (decl.members ?? []).entries()) {
      if (member?.name) cx.symbols.add({ kind: "member", name: member.name.name, file, ident: member.name, decl, member, index });
    }
  }
  return sym;
}

function buildDecl(cx: BuildContext, file: FileNode, decl: Decl, sym: Sym): DeclModel | undefined {
  switch (sym.kind) {
    case "const": return constOf(cx, sym, undefined)?.model;
    case "enum": return enumOf(cx, sym, undefined);
    case "record": return recordOf(cx, sym, undefined);
    case "alias": {
      const site = declSite(cx, file, sym.decl);
      return {
        kind: "alias", name: sym.name, family: site.family, loc: cx.rep.loc(file, decl.span), allow: site.allow,
        type: aliasOf(cx, sym, undefined) ?? ERROR_TYPE,
        ...(decl.doc ? { doc: decl.doc.text } : {}),
      };
    }
    case "fd": return fdOf(cx, sym, undefined);
    case "ioctl": return buildIoctl(cx, sym.decl, file);
    case "protocol": return buildProtocol(cx, sym.decl, file);
    case "member": return undefined;
  }
}
