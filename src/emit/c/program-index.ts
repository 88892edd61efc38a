/**
 * Name lookups the C emitter needs across the whole program: what a name in an expression
 * stands for (its value, and the declaration whose C definition must come first or be
 * #included), and how a type written inside `sizeof(…)` is spelled in C.
 */
import type { DeclModel, Program } from "../../model/model.js";
import { SCALARS } from "../../model/scalars.js";
import type { TypeExpr } from "../../syntax/ast.js";
import { sizeAlign } from "../../layout/layout.js";
import type { Target } from "../../targets/targets.js";
import type { CExprEnv } from "./c-expr.js";
import { cTypeName } from "./c-types.js";

export interface ProgramIndex extends CExprEnv {
  /** The declaration a name refers to (an enum member resolves to its enum). */
  declOf(name: string): DeclModel | undefined;
  /** uapi header path of a family. */
  headerOf(family: string): string | undefined;
}

export function indexProgram(program: Program, targets: readonly Target[]): ProgramIndex {
  const values = new Map<string, bigint>();
  const decls = new Map<string, DeclModel>();
  const headers = new Map<string, string>();
  for (const fam of program.families) {
    headers.set(fam.name, fam.header);
    for (const d of fam.decls) {
      decls.set(d.name, d);
      if (d.kind === "const") values.set(d.name, d.value);
      if (d.kind === "enum") {
        for (const m of d.members) {
          values.set(m.name, m.value);
          decls.set(m.name, d);
        }
      }
    }
  }
  const target = targets[0];

  const sizeofType = (t: TypeExpr): { c: string; size: bigint } | undefined => {
    if (!target) return undefined;
    if (t.kind === "ArrayType") {
      if (!t.length) return undefined;
      const el = sizeofType(t.element);
      const n = t.length.kind === "Int" ? t.length.value : undefined;
      return el && n !== undefined ? { c: `${el.c}[${n}]`, size: el.size * n } : undefined;
    }
    if (t.kind !== "NamedType") return undefined;
    const name = t.name.name;
    const sc = SCALARS.get(name);
    if (sc) return { c: sc.cType, size: BigInt(sizeAlign({ kind: "scalar", scalar: sc }, target).size) };
    const d = decls.get(name);
    if (!d || d.name !== name) return undefined;
    switch (d.kind) {
      case "record":
        return { c: cTypeName({ kind: "record", decl: d }), size: BigInt(sizeAlign({ kind: "record", decl: d }, target).size) };
      case "enum":
        return { c: d.base.cType, size: BigInt(sizeAlign({ kind: "enum", decl: d }, target).size) };
      case "alias":
        return { c: d.name, size: BigInt(sizeAlign(d.type, target).size) };
      default:
        return undefined;
    }
  };

  return {
    valueOf: (name) => values.get(name),
    declOf: (name) => decls.get(name),
    headerOf: (family) => headers.get(family),
    sizeofType,
  };
}
