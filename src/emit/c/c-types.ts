/**
 * Model types spelled as C declarations, the way a uapi header writes them.
 *
 * - An enum-typed field is declared with the enum's base type (`__u32`) and a comment naming the
 *   enum: a C enum's storage is int-sized by the compiler's choice and must not decide the ABI.
 * - Inline anonymous records are printed in place: `struct { … } rules[UVIRTIO_MAX_RULES];`.
 * - Anonymous members and flexible array members get `__extension__`, which keeps
 *   `-std=c90 -pedantic` quiet about these C11/C99 forms without changing their meaning.
 */
import type { FieldModel, RecordModel, Type } from "../../model/model.js";
import type { CExprEnv } from "./c-expr.js";
import { cExpr } from "./c-expr.js";

export const INDENT = "\t";

/** `__attribute__((packed, aligned(8)))` for a record, with a leading space; "" if none. */
export function recordAttributes(rec: RecordModel): string {
  const attrs: string[] = [];
  if (rec.packed) attrs.push("packed");
  if (rec.aligned !== undefined) attrs.push(`aligned(${rec.aligned})`);
  return attrs.length === 0 ? "" : ` __attribute__((${attrs.join(", ")}))`;
}

/** Array dimensions, outermost first, and the element type under them. */
function splitArray(type: Type, env: CExprEnv | undefined): { element: Type; dims: string } {
  let dims = "";
  let t = type;
  while (t.kind === "array") {
    if (t.length === null) dims += "[]";
    else dims += `[${env && t.lengthExpr ? cExpr(t.lengthExpr, BigInt(t.length), env) : t.length}]`;
    t = t.element;
  }
  return { element: t, dims };
}

/** The C spelling of a non-array, non-anonymous type: `__u32`, `struct x`, an alias name. */
function baseName(t: Type): string {
  switch (t.kind) {
    case "scalar": return t.scalar.cType === "void *" || !t.alias ? t.scalar.cType : t.alias;
    case "enum": return t.decl.base.cType;
    case "record": return `${t.decl.record} ${t.decl.name}`;
    case "array": throw new Error("baseName: arrays are split off first");
  }
}

/** A declarator after a base type: `void *` hugs the name, everything else takes a space. */
function join(base: string, declarator: string): string {
  if (declarator === "") return base;
  return base.endsWith("*") ? base + declarator : `${base} ${declarator}`;
}

/** Abstract type name (for `_IOW(…, T)`, sizeof, typedef targets): `struct x`, `__u8[8]`. */
export function cTypeName(type: Type, env?: CExprEnv): string {
  const { element, dims } = splitArray(type, env);
  if (element.kind === "record" && element.decl.anonymous) {
    const body = element.decl.fields.flatMap((f) => memberLines(f, env)).join(" ");
    return `${element.decl.record} { ${body} }${recordAttributes(element.decl)}${dims ? " " + dims : ""}`;
  }
  return baseName(element) + dims;
}

/** The comment that names the enum or flags behind an integer field, if any. */
function enumComment(f: FieldModel, element: Type): string {
  const e = element.kind === "enum" ? element.decl : f.values;
  return e ? ` /* enum ${e.name} */` : "";
}

/** The lines of a `{ … }` body, each member indented one level. */
export function bodyLines(rec: RecordModel, env: CExprEnv | undefined): string[] {
  return rec.fields.flatMap((f) => memberLines(f, env)).map((l) => INDENT + l);
}

/** One member declaration (several lines when its type is an inline record). */
export function memberLines(f: FieldModel, env: CExprEnv | undefined): string[] {
  return declarationLines(f.type, f.name ?? "", env, enumComment(f, splitArray(f.type, env).element));
}

/**
 * `type name;` for a member or a typedef (`name` "" for an anonymous member). A trailing
 * comment goes after the semicolon.
 */
export function declarationLines(type: Type, name: string, env: CExprEnv | undefined, comment = ""): string[] {
  const { element, dims } = splitArray(type, env);
  const flexible = type.kind === "array" && type.length === null;
  const ext = flexible || name === "" ? "__extension__ " : "";
  const declarator = name + dims;
  if (element.kind === "record" && element.decl.anonymous) {
    const rec = element.decl;
    const close = `}${recordAttributes(rec)}${declarator ? " " + declarator : ""};${comment}`;
    return [`${ext}${rec.record} {`, ...bodyLines(rec, env), close];
  }
  return [`${ext}${join(baseName(element), declarator)};${comment}`];
}
