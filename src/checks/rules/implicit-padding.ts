/**
 * ABI060: every byte of every record must belong to a member on every target. A gap the C
 * compiler fills silently is uninitialised kernel memory copied to user space (an info leak) and
 * a place where 32- and 64-bit layouts drift apart; the fix is an explicit `@padding` field.
 *
 * One diagnostic per (record, position): the targets that share the gap are listed together.
 */
import type { FieldModel, RecordModel } from "../../model/model.js";
import { modelTargets, recordLayout, type Hole } from "../../layout/layout.js";
import { describeRecord, elementType } from "../../layout/records.js";
import { recordSites } from "../record-sites.js";
import type { Rule } from "../rule.js";
import { byteRange, groupTargets, plural, targetList } from "../target-groups.js";

export const implicitPadding: Rule = {
  name: "implicit-padding",
  codes: ["ABI060"],
  check(ctx) {
    const models = modelTargets(ctx.targets);
    for (const { record, owner } of recordSites(ctx)) {
      // The common case, decided on one target per data model (holes are a layout fact).
      if (!models.some((t) => recordLayout(record, t).holes.length > 0)) continue;
      // Positions in first-seen order: "after field i" or "tail".
      const positions = new Map<string, { afterField: number; tail: boolean }>();
      for (const t of ctx.targets) {
        for (const h of recordLayout(record, t).holes) positions.set(positionKey(h), h);
      }
      const suggested = new Set<string>(); // one fresh pad name per hole of this record
      for (const [key, pos] of positions) {
        const groups = groupTargets(ctx.targets, (t) => {
          const h = recordLayout(record, t).holes.find((x) => positionKey(x) === key);
          return h && { offset: h.offset, size: h.size };
        });
        const after = pos.tail ? undefined : record.fields[pos.afterField];
        const where = pos.tail ? `at the end of ${describeRecord(record)}` : `after ${fieldLabel(after)} in ${describeRecord(record)}`;
        const gap = (g: { offset: number; size: number }) => `${plural(g.size, "byte")} (${byteRange(g.offset, g.size)})`;
        const message =
          groups.length === 1
            ? `${plural(groups[0]!.value.size, "byte")} of implicit padding ${where} ` +
              `(${byteRange(groups[0]!.value.offset, groups[0]!.value.size)}) on ${targetList(groups[0]!.targets, ctx.targets)}`
            : `implicit padding ${where}: ` +
              groups.map((g) => `${gap(g.value)} on ${targetList(g.targets, ctx.targets)}`).join("; ");
        const widest = Math.max(...groups.map((g) => g.value.size));
        const pad = `${padName(record, suggested)}: ${widest === 1 ? "u8" : `u8[${widest}]`} @padding;`;
        const place = pos.tail ? `as the last field of ${record.name}` : `after ${after?.name ?? "the anonymous member"}`;
        const differs = groups.length > 1 ? " (the gap differs between targets: re-check the layout after the change)" : "";
        ctx.report("ABI060", owner, {
          message,
          hint: `add \`${pad}\` ${place}${differs}`,
          loc: pos.tail || !after ? record.loc : after.loc,
        });
      }
    }
  },
};

function positionKey(h: Hole): string {
  return h.tail ? "tail" : `after:${h.afterField}`;
}

function fieldLabel(f: FieldModel | undefined): string {
  if (!f) return "the start";
  if (f.name !== undefined) return `\`${f.name}\``;
  const el = elementType(f.type);
  return el.kind === "record" ? `the anonymous ${el.decl.record}` : "the anonymous member";
}

/** pad0, pad1, … — the first name neither the record nor an earlier hint for it uses. */
function padName(rec: RecordModel, suggested: Set<string>): string {
  const used = new Set(rec.fields.map((f) => f.name));
  for (let i = 0; ; i++) {
    const name = `pad${i}`;
    if (!used.has(name) && !suggested.has(name)) {
      suggested.add(name);
      return name;
    }
  }
}
