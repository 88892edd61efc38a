/**
 * A record's field table, flattened: anonymous members and anonymous record types are expanded
 * in place (their fields are part of the record's ABI, and they have no section of their own),
 * with dotted paths (`mmio.phys_addr`, `expects[i].vq_name`) and offsets from the start of the
 * outer record. Inside an array of anonymous records the offset is that of element 0 plus a
 * stride per index (`64 + 448·i`).
 */
import type { FieldModel, RecordModel, Type } from "../../model/model.js";
import { recordLayout, sizeAlign } from "../../layout/layout.js";
import type { Target } from "../../targets/targets.js";

export interface Offset {
  readonly base: number;
  readonly strides: readonly { readonly index: string; readonly step: number }[];
}

export interface FieldRow {
  /** `features`, `mmio.phys_addr`, `expects[i].vq_name`, `(anonymous union)`. */
  readonly path: string;
  readonly field: FieldModel;
  /** Nesting level: 0 for the record's own fields. */
  readonly depth: number;
  readonly offset: Offset;
  readonly size: number;
}

const INDEXES = ["i", "j", "k", "l", "m", "n"];

/** The anonymous record a field's type holds (through arrays), with the array strides. */
function anonymousInside(t: Type, target: Target): { rec: RecordModel; dims: { length: number | null; step: number }[] } | undefined {
  const dims: { length: number | null; step: number }[] = [];
  let e = t;
  while (e.kind === "array") {
    const el = e.element;
    dims.push({ length: e.length, step: sizeAlign(el, target).size });
    e = el;
  }
  return e.kind === "record" && e.decl.anonymous ? { rec: e.decl, dims } : undefined;
}

export function offsetText(o: Offset): string {
  const terms = o.strides.map((s) => `${s.step}·${s.index}`);
  return terms.length === 0 ? String(o.base) : [String(o.base), ...terms].join(" + ");
}

export function fieldRows(rec: RecordModel, target: Target): FieldRow[] {
  const rows: FieldRow[] = [];
  const walk = (r: RecordModel, prefix: string, depth: number, base: Offset): void => {
    const layout = recordLayout(r, target);
    for (const fl of layout.fields) {
      const f = fl.field;
      const offset: Offset = { base: base.base + fl.offset, strides: base.strides };
      const inner = anonymousInside(f.type, target);
      const name = f.name === undefined ? `(anonymous ${inner?.rec.record ?? "member"})` : prefix + f.name;
      rows.push({ path: name, field: f, depth, offset, size: fl.size });
      if (!inner) continue;
      let childPrefix = f.name === undefined ? prefix : `${prefix}${f.name}`;
      const strides = [...offset.strides];
      for (const d of inner.dims) {
        const index = INDEXES[strides.length] ?? `i${strides.length}`;
        childPrefix += `[${index}]`;
        strides.push({ index, step: d.step });
      }
      if (f.name !== undefined) childPrefix += ".";
      walk(inner.rec, childPrefix, depth + 1, { base: offset.base, strides });
    }
  };
  walk(rec, "", 0, { base: 0, strides: [] });
  return rows;
}
