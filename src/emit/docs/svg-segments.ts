/**
 * What the byte picture of a record draws, on one target: a list of segments along the byte
 * axis, each a box. Anonymous structs are opened up (their fields are the record's); a named
 * record or an anonymous union is one box. An array of records shows its element 0 (opened up
 * when anonymous) and one "repeat" box for the other elements — uvirtio_expect is 3584 bytes
 * but its picture is `expects[0]` and `expects[1..7]`. Arrays of scalars are one box with a
 * tick per element.
 */
import type { FieldModel, RecordModel, Type } from "../../model/model.js";
import { recordLayout, sizeAlign } from "../../layout/layout.js";
import type { Target } from "../../targets/targets.js";
import { typeText } from "./values.js";

export type SegmentKind = "data" | "padding" | "reserved" | "union" | "record" | "repeat" | "hole";

export interface Segment {
  readonly offset: number;
  readonly size: number;
  readonly kind: SegmentKind;
  /** The field path (`config_len`, `expects[0].vq_name`), `padding`, … — the box's label. */
  readonly label: string;
  /** Second line: the type (`u16`, `char[64]`). */
  readonly detail: string;
  /** The field path for tools (data-field); empty for holes. */
  readonly field: string;
  /** Element size of a scalar array (a tick per element is drawn); 0 otherwise. */
  readonly tick: number;
}

function unionLabel(rec: RecordModel): string {
  return `union { ${rec.fields.map((f) => f.name ?? "…").join(" | ")} }`;
}

/** Short annotation marks for the box's second line (the field table has them in full). */
function marks(f: FieldModel): string[] {
  return [
    ...(f.ptr ? ["@ptr"] : []),
    ...(f.fd ? ["@fd"] : []),
    ...(f.values ? [f.values.flavor === "flags" ? "@flags" : "@enum"] : []),
    ...(f.range ? ["@range"] : []),
  ];
}

function elementOf(t: Type): { el: Type; length: number | null } | undefined {
  return t.kind === "array" ? { el: t.element, length: t.length } : undefined;
}

export function segments(rec: RecordModel, target: Target): Segment[] {
  const out: Segment[] = [];

  // One field (or array element) of type `t` named `path` at `offset`.
  const place = (f: FieldModel, t: Type, path: string, offset: number, size: number): void => {
    const base = { offset, size, field: path, tick: 0 };
    if (f.role === "padding") return void out.push({ ...base, kind: "padding", label: "padding", detail: `${path}: ${typeText(t)}` });
    if (f.role === "reserved") return void out.push({ ...base, kind: "reserved", label: path, detail: `reserved ${typeText(t)}` });
    if (t.kind === "record") {
      const r = t.decl;
      if (r.anonymous && r.record === "struct") return walk(r, path === "" ? "" : path + ".", offset);
      if (r.anonymous) return void out.push({ ...base, kind: "union", label: path === "" ? "union" : path, detail: unionLabel(r) });
      return void out.push({ ...base, kind: "record", label: path, detail: `${r.record} ${r.name}` });
    }
    const arr = elementOf(t);
    if (arr && arr.length !== null && arr.length >= 2 && (arr.el.kind === "record" || arr.el.kind === "array")) {
      const step = sizeAlign(arr.el, target).size;
      place(f, arr.el, `${path}[0]`, offset, step);
      out.push({
        ...base, offset: offset + step, size: size - step, kind: "repeat", field: `${path}[1..${arr.length - 1}]`,
        label: `${path}[1..${arr.length - 1}]`, detail: `${arr.length - 1} more × ${step} B, as ${path}[0]`,
      });
      return;
    }
    const tick = arr && arr.length !== null && arr.length <= 64 ? sizeAlign(arr.el, target).size : 0;
    out.push({ ...base, kind: "data", label: path, detail: [typeText(t), ...marks(f)].join(" "), tick });
  };

  const walk = (r: RecordModel, prefix: string, base: number): void => {
    const layout = recordLayout(r, target);
    for (const fl of layout.fields) {
      const f = fl.field;
      place(f, f.type, f.name === undefined ? prefix.replace(/\.$/, "") : prefix + f.name, base + fl.offset, fl.size);
    }
    for (const h of layout.holes) {
      out.push({ offset: base + h.offset, size: h.size, kind: "hole", label: "implicit padding", detail: `${h.size} B the compiler adds`, field: "", tick: 0 });
    }
  };

  walk(rec, "", 0);
  return out.filter((s) => s.size > 0).sort((a, b) => a.offset - b.offset);
}

/** A union's arms, each drawn as its own lane (they all start at offset 0). */
export function unionLanes(rec: RecordModel, target: Target): { name: string; segments: Segment[] }[] {
  const layout = recordLayout(rec, target);
  return layout.fields.map((fl, i) => {
    const name = fl.field.name ?? `(arm ${i})`;
    // A one-member struct view of the arm, so `segments` can open it up.
    const lane: RecordModel = { ...rec, record: "struct", fields: [fl.field] };
    return { name, segments: segments(lane, target) };
  });
}
