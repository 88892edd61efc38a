/**
 * What a model type is as a TS value, and a record's members flattened for one target:
 * anonymous struct members are inlined (their fields read as the parent's, as in C), anonymous
 * and named unions become a choice between arms at one offset.
 */
import type { FieldModel, RecordModel, Type } from "../../model/model.js";
import { recordLayout, sizeAlign } from "../../layout/layout.js";
import type { Target } from "../../targets/targets.js";

export type Shape =
  | { readonly k: "scalar"; readonly type: Type & { kind: "scalar" | "enum" } }
  | { readonly k: "string"; readonly length: number }
  | { readonly k: "bytes"; readonly length: number }
  /** `plain`: whether u8 arrays inside stay Uint8Array (see shapeOf). */
  | { readonly k: "array"; readonly element: Type; readonly length: number; readonly plain: boolean }
  /** A flexible array member: size 0, not part of the TS value (the caller handles the tail). */
  | { readonly k: "flex" }
  | { readonly k: "record"; readonly rec: RecordModel };

/**
 * The TS shape of a type. `plainBytes`: whether u8[N] may become a Uint8Array (not when the
 * field has per-element checks such as `@range` or `@flags`, which need numbers).
 */
export function shapeOf(type: Type, plainBytes = true): Shape {
  switch (type.kind) {
    case "scalar":
    case "enum":
      return { k: "scalar", type };
    case "record":
      return { k: "record", rec: type.decl };
    case "array": {
      if (type.length === null) return { k: "flex" };
      const el = type.element;
      if (el.kind === "scalar" && el.scalar.isChar) return { k: "string", length: type.length };
      if (plainBytes && el.kind === "scalar" && el.scalar.size === 1 && !el.scalar.signed) {
        return { k: "bytes", length: type.length };
      }
      return { k: "array", element: el, length: type.length, plain: plainBytes };
    }
  }
}

/** Whether a field's u8 arrays stay Uint8Array: only without per-element value checks. */
export function fieldShape(f: FieldModel): Shape {
  return shapeOf(f.type, f.range === undefined && f.values === undefined);
}

export interface FieldItem {
  readonly kind: "field";
  readonly field: FieldModel;
  readonly name: string;
  /** Offset from the start of the record the items were flattened from. */
  readonly offset: number;
  readonly size: number;
}

export interface UnionItem {
  readonly kind: "union";
  readonly rec: RecordModel;
  readonly offset: number;
  readonly size: number;
  readonly arms: readonly Arm[];
}

export interface Arm {
  /** The property names that belong to this arm (one, or a promoted anonymous struct's). */
  readonly names: readonly string[];
  readonly items: readonly Item[];
  readonly size: number;
}

export type Item = FieldItem | UnionItem;

/** A record's members on a target, anonymous members inlined. Flexible arrays are dropped. */
export function recordItems(rec: RecordModel, target: Target, base = 0): Item[] {
  if (rec.record === "union") return [unionItem(rec, target, base)];
  const out: Item[] = [];
  for (const fl of recordLayout(rec, target).fields) {
    out.push(...memberItems(fl.field, target, base + fl.offset));
  }
  return out;
}

function memberItems(field: FieldModel, target: Target, offset: number): Item[] {
  if (field.name === undefined) {
    if (field.type.kind !== "record") throw new Error("abigen ts emitter: an anonymous member must be a struct or union");
    return recordItems(field.type.decl, target, offset);
  }
  if (shapeOf(field.type).k === "flex") return [];
  return [{ kind: "field", field, name: field.name, offset, size: sizeAlign(field.type, target).size }];
}

function unionItem(rec: RecordModel, target: Target, offset: number): UnionItem {
  const arms = recordLayout(rec, target).fields.map((fl): Arm => {
    const items = memberItems(fl.field, target, offset);
    return { names: itemNames(items), items, size: fl.size };
  });
  return { kind: "union", rec, offset, size: recordLayout(rec, target).size, arms };
}

/** Every property name the items contribute, in declaration order. */
export function itemNames(items: readonly Item[]): string[] {
  return items.flatMap((it) => (it.kind === "field" ? [it.name] : it.arms.flatMap((a) => a.names)));
}

/** Every field the items contribute (union arms included), in declaration order. */
export function itemFields(items: readonly Item[]): FieldItem[] {
  return items.flatMap((it) => (it.kind === "field" ? [it] : it.arms.flatMap((a) => itemFields(a.items))));
}

export function hasUnion(items: readonly Item[]): boolean {
  return items.some((it) => it.kind === "union");
}

/** Records a type refers to directly (through arrays), named or not. */
export function referencedRecords(type: Type): RecordModel[] {
  if (type.kind === "array") return referencedRecords(type.element);
  return type.kind === "record" ? [type.decl] : [];
}
