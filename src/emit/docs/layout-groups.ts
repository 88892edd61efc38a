/**
 * Targets grouped by a record's layout: targets whose every field (nested anonymous ones too)
 * has the same offset and size, and whose record size is the same, share one column set in the
 * field table and one band in the SVG. Alignment alone does not split a group (it changes no
 * byte of the record); it is listed separately.
 */
import type { RecordModel } from "../../model/model.js";
import { dataModelKey, recordLayout } from "../../layout/layout.js";
import type { Target } from "../../targets/targets.js";
import { groupTargets, type TargetGroup } from "../../checks/target-groups.js";
import { fieldRows, offsetText, type FieldRow } from "./field-rows.js";

export interface LayoutGroup {
  /** `A`, `B`, … (only shown when there is more than one group). */
  readonly label: string;
  readonly targets: readonly Target[];
  readonly size: number;
  readonly rows: readonly FieldRow[];
}

/**
 * Both the field table (view.ts) and the SVG (svg.ts) ask for a record's groups: they are worked
 * out once per record and target list (the model is immutable, like the layout cache's).
 */
const memo = new WeakMap<RecordModel, { targets: readonly Target[]; groups: LayoutGroup[] }>();

export function layoutGroups(rec: RecordModel, targets: readonly Target[]): LayoutGroup[] {
  const known = memo.get(rec);
  if (known && known.targets === targets) return known.groups;
  const groups = computeGroups(rec, targets);
  memo.set(rec, { targets, groups });
  return groups;
}

function computeGroups(rec: RecordModel, targets: readonly Target[]): LayoutGroup[] {
  // Rows and their key depend only on the target's data model (as layouts do): built once per model.
  const byModel = new Map<string, { size: number; rows: FieldRow[]; key: string }>();
  const groups = groupTargets(
    targets,
    (t) => {
      const model = dataModelKey(t);
      let v = byModel.get(model);
      if (!v) {
        const size = recordLayout(rec, t).size;
        const rows = fieldRows(rec, t);
        v = { size, rows, key: JSON.stringify([size, rows.map((r) => [offsetText(r.offset), r.size])]) };
        byModel.set(model, v);
      }
      return v;
    },
    (v) => v.key,
  );
  return groups.map((g, i) => ({
    label: String.fromCharCode(0x41 + i),
    targets: g.targets,
    size: g.value.size,
    rows: g.value.rows,
  }));
}

/** Alignment per group of targets: `8 (x86_64, …); 4 (i386, sh4); 2 (m68k)`. */
export function alignmentGroups(rec: RecordModel, targets: readonly Target[]): TargetGroup<number>[] {
  return groupTargets(targets, (t) => recordLayout(rec, t).align, String);
}

export function targetNames(ts: readonly Target[]): string {
  return ts.map((t) => t.name).join(", ");
}
