/**
 * The C declarations shown in the docs' code blocks: what a reader finds in the uapi header
 * (`struct uvirtio_setup { __u64 features; … };`, `#define UV_DEV_CREATE _IOW(…)`). These are
 * for reading; the header itself comes from the C emitter.
 */
import type { FieldModel, IoctlModel, RecordModel, Type } from "../../model/model.js";
import { exprText, hex } from "./values.js";
import { codeCell } from "../../registry/family-lines.js";
import { IOC_MACRO } from "../../targets/ioctl-macros.js";

function baseC(t: Type, indent: string): { text: string; dims: string } {
  let dims = "";
  let e = t;
  while (e.kind === "array") {
    dims += `[${e.length === null ? "" : e.lengthExpr ? exprText(e.lengthExpr) : e.length}]`;
    e = e.element;
  }
  switch (e.kind) {
    case "scalar":
      return { text: e.alias ?? e.scalar.cType, dims };
    case "enum":
      return { text: e.decl.base.cType, dims };
    case "record":
      if (!e.decl.anonymous) return { text: `${e.decl.record} ${e.decl.name}`, dims };
      return { text: `${e.decl.record} ${bodyC(e.decl, indent)}`, dims };
    default:
      return { text: "?", dims };
  }
}

function memberC(f: FieldModel, indent: string): string {
  const { text, dims } = baseC(f.type, indent);
  return `${indent}${text}${f.name === undefined ? "" : " " + f.name}${dims};`;
}

function bodyC(rec: RecordModel, indent: string): string {
  const inner = indent + "\t";
  return ["{", ...rec.fields.map((f) => memberC(f, inner)), `${indent}}`].join("\n");
}

function attributesC(rec: RecordModel): string {
  const attrs = [...(rec.packed ? ["packed"] : []), ...(rec.aligned !== undefined ? [`aligned(${rec.aligned})`] : [])];
  return attrs.length ? ` __attribute__((${attrs.join(", ")}))` : "";
}

export function recordC(rec: RecordModel): string {
  return `${rec.record} ${rec.name} ${bodyC(rec, "")}${attributesC(rec)};`;
}

export function ioctlC(io: IoctlModel): string {
  if (io.legacy) return `#define ${io.name} ${hex(io.legacy.number >>> 0)}`;
  const magic = io.magicExpr ? exprText(io.magicExpr) : codeCell(io.magic);
  const nr = io.nrExpr ? exprText(io.nrExpr) : hex(io.nr);
  const args = [magic, nr];
  if (io.arg) args.push(baseC(io.arg, "").text + baseC(io.arg, "").dims);
  return `#define ${io.name} ${IOC_MACRO[io.dir]}(${args.join(", ")})`;
}
