/**
 * TypeScript types of the values codecs read and write. Every record has two:
 * - `X`, what decode returns: every field, union arms all present, padding included;
 * - `XInput`, what encode takes: padding/reserved optional, exactly one arm of each union.
 */
import type { FieldModel, RecordModel, Type } from "../../model/model.js";
import type { Target } from "../../targets/targets.js";
import type { FamilyContext } from "./context.js";
import { jsdoc } from "./docs.js";
import { propKey, typeIdent } from "./names.js";
import { isBigScalar, storedScalar } from "./scalar.js";
import { fieldShape, hasUnion, recordItems, shapeOf, type Item, type Shape } from "./shape.js";

export function shapeType(ctx: FamilyContext, shape: Shape, input: boolean): string {
  switch (shape.k) {
    case "scalar":
      return isBigScalar(storedScalar(shape.type)!) ? "bigint" : "number";
    case "string":
      return "string";
    case "bytes":
      return "Uint8Array";
    case "array": {
      const el = shapeType(ctx, shapeOf(shape.element, shape.plain), input);
      return /[|& ]/.test(el) ? `(${el})[]` : `${el}[]`;
    }
    case "flex":
      return "never";
    case "record":
      return ctx.typeName(shape.rec, input);
  }
}

/** TS type of a value of `type` (outside any field: ioctl arguments). */
export function valueType(ctx: FamilyContext, type: Type, input: boolean): string {
  return shapeType(ctx, shapeOf(type), input);
}

export function fieldType(ctx: FamilyContext, f: FieldModel, input: boolean): string {
  return shapeType(ctx, fieldShape(f), input);
}

/** What a field's JSDoc says beyond the spec's text: its constraints and meaning. */
function fieldNotes(f: FieldModel): string[] {
  const notes: string[] = [];
  const sc = storedScalar(f.type);
  if (f.type.kind === "enum") notes.push(`A ${f.type.decl.flavor === "flags" ? "set of" : "value of"} {@link ${typeIdent(f.type.decl.name)}}.`);
  if (f.values) notes.push(`A ${f.values.flavor === "flags" ? "set of" : "value of"} {@link ${typeIdent(f.values.name)}}.`);
  if (f.range) notes.push(`Range: ${f.range.min ?? "min"}..${f.range.max ?? "max"}.`);
  if (f.role === "padding") notes.push("Padding: must be zero; may be omitted on encode.");
  if (f.role === "reserved") notes.push("Reserved: must be zero; may be omitted on encode.");
  if (f.ptr) notes.push(`A user-space address${f.ptr.lenField ? ` of \`${f.ptr.lenField}\` bytes` : ""}.`);
  if (f.fd) notes.push(`A file descriptor${f.fd.none !== undefined ? ` (${f.fd.none} = none)` : ""}.`);
  const shape = fieldShape(f);
  if (shape.k === "string") notes.push(`At most ${shape.length} UTF-8 bytes, NUL-padded.`);
  if (sc?.archDependent) notes.push(`C \`${sc.cType}\`: its size depends on the target.`);
  return notes;
}

function prop(ctx: FamilyContext, f: FieldModel, name: string, input: boolean, optional: boolean): string {
  const doc = jsdoc([f.doc, ...fieldNotes(f)]);
  return `${doc}${propKey(name)}${optional ? "?" : ""}: ${fieldType(ctx, f, input)};\n`;
}

function decodedProps(ctx: FamilyContext, items: readonly Item[]): string {
  return items
    .map((it) => (it.kind === "field" ? prop(ctx, it.field, it.name, false, false) : it.arms.map((a) => decodedProps(ctx, a.items)).join("")))
    .join("");
}

function plainInputProps(ctx: FamilyContext, items: readonly Item[]): string {
  return items
    .map((it) => (it.kind === "field" ? prop(ctx, it.field, it.name, true, it.field.role !== "data") : ""))
    .join("");
}

/**
 * The input type of a list of items: plain fields (plus `absent` names, typed `?: undefined`),
 * then one alternative group per union.
 */
function inputType(ctx: FamilyContext, items: readonly Item[], absent: readonly string[] = []): string {
  const plain = plainInputProps(ctx, items) + absent.map((n) => `${propKey(n)}?: undefined;\n`).join("");
  const groups = items.filter((it) => it.kind === "union").map((u) => {
    const alts = u.arms.map((arm, i) => {
      const others = u.arms.filter((_, j) => j !== i).flatMap((a) => a.names).filter((n) => !arm.names.includes(n));
      return inputType(ctx, arm.items, others);
    });
    return `(${alts.join(" | ")})`;
  });
  const parts = [...(plain !== "" || groups.length === 0 ? [`{\n${plain}}`] : []), ...groups];
  return parts.join(" & ");
}

/** `export interface X {…}` and `export type XInput = …` for one record. */
export function recordTypes(ctx: FamilyContext, rec: RecordModel, doc: string, target: Target): string {
  const name = ctx.recordIdent(rec);
  const items = recordItems(rec, target);
  const decoded = `${doc}export interface ${name} {\n${decodedProps(ctx, items)}}\n`;
  const unions = hasUnion(items);
  const inputDoc = jsdoc([
    `What the encoders of {@link ${name}} take: padding and reserved fields may be omitted${unions ? "; each union takes exactly one of its arms" : ""}.`,
  ]);
  const input = unions
    ? `${inputDoc}export type ${name}Input = ${inputType(ctx, items)};\n`
    : `${inputDoc}export interface ${name}Input {\n${plainInputProps(ctx, items)}}\n`;
  return decoded + "\n" + input;
}
