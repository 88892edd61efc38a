/**
 * What each declaration's C text refers to, for two decisions:
 * - order: C needs a struct, enum or macro defined before a definition that uses it, while the
 *   language lets a spec use names before declaring them. Declarations keep source order except
 *   that what one uses is moved up in front of it.
 * - includes: a declaration of another family that is used means `#include <its header>`.
 */
import type { DeclModel, FamilyModel, Type } from "../../model/model.js";
import type { Expr, TypeExpr } from "../../syntax/ast.js";
import type { ProgramIndex } from "./program-index.js";

function typeExprNames(t: TypeExpr, out: string[]): void {
  switch (t.kind) {
    case "NamedType": out.push(t.name.name); break;
    case "ArrayType":
      typeExprNames(t.element, out);
      if (t.length) exprNames(t.length, out);
      break;
    case "InlineRecord":
      for (const f of t.fields) typeExprNames(f.type, out);
      break;
  }
}

function exprNames(e: Expr | undefined, out: string[]): void {
  if (!e) return;
  switch (e.kind) {
    case "Name": out.push(e.name.name); break;
    case "Sizeof": typeExprNames(e.type, out); break;
    case "Unary": exprNames(e.operand, out); break;
    case "Paren": exprNames(e.inner, out); break;
    case "Binary": exprNames(e.left, out); exprNames(e.right, out); break;
    default: break;
  }
}

function typeDeps(t: Type, index: ProgramIndex, out: Set<DeclModel>, names: string[]): void {
  switch (t.kind) {
    case "scalar": if (t.alias) names.push(t.alias); break;
    case "enum": out.add(t.decl); break;
    case "array":
      exprNames(t.lengthExpr, names);
      typeDeps(t.element, index, out, names);
      break;
    case "record":
      if (!t.decl.anonymous) out.add(t.decl);
      else for (const f of t.decl.fields) typeDeps(f.type, index, out, names);
      break;
  }
}

/** Declarations `d`'s C text needs defined (or included) first. */
export function declDeps(d: DeclModel, index: ProgramIndex): Set<DeclModel> {
  const out = new Set<DeclModel>();
  const names: string[] = [];
  switch (d.kind) {
    case "const": exprNames(d.expr, names); break;
    case "enum": for (const m of d.members) exprNames(m.expr, names); break;
    case "record": for (const f of d.fields) typeDeps(f.type, index, out, names); break;
    case "alias": typeDeps(d.type, index, out, names); break;
    case "ioctl":
      exprNames(d.magicExpr, names);
      exprNames(d.nrExpr, names);
      if (d.arg) typeDeps(d.arg, index, out, names);
      break;
    default: break;
  }
  for (const n of names) {
    const target = index.declOf(n);
    if (target) out.add(target);
  }
  out.delete(d);
  return out;
}

/** The family's declarations in source order, each preceded by the same-family ones it uses. */
export function orderForC(f: FamilyModel, index: ProgramIndex): DeclModel[] {
  const out: DeclModel[] = [];
  const done = new Set<DeclModel>();
  const visiting = new Set<DeclModel>();
  const visit = (d: DeclModel): void => {
    if (done.has(d) || visiting.has(d) || d.family !== f.name) return;
    visiting.add(d);
    for (const dep of declDeps(d, index)) visit(dep);
    visiting.delete(d);
    done.add(d);
    out.push(d);
  };
  for (const d of f.decls) visit(d);
  return out;
}

/** Headers of other families whose declarations this family's C text uses, sorted. */
export function includedHeaders(f: FamilyModel, index: ProgramIndex): string[] {
  const headers = new Set<string>();
  for (const d of f.decls) {
    for (const dep of declDeps(d, index)) {
      if (dep.family === f.name) continue;
      const h = index.headerOf(dep.family);
      if (h && h !== f.header) headers.add(h);
    }
  }
  return [...headers].sort();
}
