/** How numbers, expressions and types are spelled in the docs. */
import type { Expr, TypeExpr } from "../../syntax/ast.js";
import type { FieldModel, Type } from "../../model/model.js";
import { arrayDims, typeName } from "../../model/type-name.js";

/** A spec expression as written (`UIO_MSI_BASE + 1`); the docs show it next to its value. */
export function exprText(e: Expr): string {
  switch (e.kind) {
    case "Int":
    case "Char":
      return e.raw;
    case "Name":
      return e.name.name;
    case "Unary":
      return e.op + exprText(e.operand);
    case "Binary":
      return `${exprText(e.left)} ${e.op} ${exprText(e.right)}`;
    case "Paren":
      return `(${exprText(e.inner)})`;
    case "Sizeof":
      return `${e.op}(${typeExprText(e.type)})`;
  }
}

function typeExprText(t: TypeExpr): string {
  switch (t.kind) {
    case "NamedType":
      return t.name.name;
    case "ArrayType":
      return `${typeExprText(t.element)}[${t.length ? exprText(t.length) : ""}]`;
    default:
      return `${t.record} { … }`;
  }
}

/** True when the expression is just a literal (its value says it all). */
export function isLiteral(e: Expr | undefined): boolean {
  return e === undefined || e.kind === "Int" || e.kind === "Char" || (e.kind === "Unary" && isLiteral(e.operand));
}

export function hex(v: bigint | number): string {
  const b = BigInt(v);
  return b < 0n ? "-0x" + (-b).toString(16) : "0x" + b.toString(16);
}

/** `1024`, `0x7a3dc6cd (2050869965)` when written in hex, `'V' (0x56)` for characters. */
export function valueText(value: bigint, expr?: Expr, isChar = false): string {
  if (isChar || expr?.kind === "Char") {
    const c = Number(value);
    const printable = c > 0x20 && c < 0x7f && c !== 0x27 && c !== 0x5c;
    return printable ? `'${String.fromCharCode(c)}' (${hex(value)})` : hex(value);
  }
  if (expr?.kind === "Int" && /^0[xX]/.test(expr.raw)) return `${hex(value)} (${value})`;
  return value.toString();
}

/** A type as the docs spell it: `u64`, `char[64]`, `uvirtio_block[8]`, `struct { … }[8]`. */
export function typeText(t: Type): string {
  if (t.kind === "record" && t.decl.anonymous) return `${t.decl.record} { … }`;
  if (t.kind === "array") {
    const { element, dims } = arrayDims(t);
    return typeText(element) + dims;
  }
  return typeName(t);
}

function rangeText(r: { readonly min?: bigint; readonly max?: bigint }): string {
  if (r.min !== undefined && r.max !== undefined) return `@range(${r.min}, ${r.max})`;
  if (r.min !== undefined) return `@range(min = ${r.min})`;
  return `@range(max = ${r.max ?? ""})`;
}

/** The field's attributes as the spec writes them, each a code span. */
export function fieldAttributes(f: FieldModel): string[] {
  const out: string[] = [];
  if (f.role === "padding") out.push("@padding");
  if (f.role === "reserved") out.push("@reserved");
  if (f.ptr) {
    const args = [
      ...(f.ptr.lenField ? [`len = ${f.ptr.lenField}`] : []),
      ...(f.ptr.target ? [`to = ${typeText(f.ptr.target)}`] : []),
    ];
    out.push(args.length ? `@ptr(${args.join(", ")})` : "@ptr");
  }
  if (f.fd) {
    const args = [
      ...(f.fd.none !== undefined ? [`none = ${f.fd.none}`] : []),
      ...(f.fd.kind ? [`kind = ${f.fd.kind}`] : []),
    ];
    out.push(args.length ? `@fd(${args.join(", ")})` : "@fd");
  }
  if (f.range) out.push(rangeText(f.range));
  if (f.values) out.push(f.values.flavor === "flags" ? `@flags(${f.values.name})` : `@enum(${f.values.name})`);
  return out;
}

export { rangeText };
