/**
 * ABI062: a 64-bit integer (u64, s64, le64, be64 — not the aligned_* types) that is not at a
 * multiple of 8 on some target. i386 and sh4 align u64 to 4 and m68k to 2, so a u64 that is
 * 8-aligned on x86_64 can sit at offset 4 there: the 32-bit compat layout then differs and the
 * kernel may read it with a slow or trapping unaligned access.
 *
 * Offsets are absolute within each top-level record (named records and stand-alone anonymous
 * ones), so an anonymous struct or an array element that shifts a u64 is caught. When a u64
 * lives inside another named record, that record reports what is misaligned inside itself; the
 * outer record reports only what its own placement of the inner record misaligns (at the
 * embedding field). Each problem is reported once, with its targets grouped.
 */
import type { FieldModel, RecordModel, Scalar, Type } from "../../model/model.js";
import { dataModelKey, modelTargets, recordLayout, sizeAlign } from "../../layout/layout.js";
import { describeRecord, elementType } from "../../layout/records.js";
import { recordSites } from "../record-sites.js";
import type { Target } from "../../targets/targets.js";
import type { Rule } from "../rule.js";
import { groupTargets, targetList } from "../target-groups.js";

interface Leaf {
  readonly path: string;
  readonly scalar: Scalar;
  /** Offset from the start of the checked record. */
  readonly offset: number;
  /** Where the first named record on the way starts (undefined: the leaf is the record's own). */
  readonly namedStart?: number;
  /** The member of the checked record (or of its anonymous parts) to report at. */
  readonly at: FieldModel;
}

export const unalignedU64: Rule = {
  name: "unaligned-u64",
  codes: ["ABI062"],
  check(ctx) {
    const models = modelTargets(ctx.targets);
    for (const { record, owner, embedded } of recordSites(ctx)) {
      if (embedded) continue;
      // The common case (nothing to report) is decided without building leaves.
      if (!models.some((t) => anyReported(record, t, 0, undefined))) continue;
      // For every member to report at: per target, the first misaligned leaf it leads to.
      const perField = new Map<FieldModel, Map<Target, Leaf>>();
      // Leaves depend only on the data model: computed once per model, not once per target.
      const byModel = new Map<string, Leaf[]>();
      for (const t of ctx.targets) {
        const model = dataModelKey(t);
        let all = byModel.get(model);
        if (!all) byModel.set(model, (all = leaves(record, t, 0, "", undefined, undefined, [])));
        for (const leaf of all) {
          if (leaf.offset % 8 === 0) continue;
          // Misaligned inside a named record already: that record's own check reports it.
          if (leaf.namedStart !== undefined && (leaf.offset - leaf.namedStart) % 8 !== 0) continue;
          let byTarget = perField.get(leaf.at);
          if (!byTarget) perField.set(leaf.at, (byTarget = new Map()));
          if (!byTarget.has(t)) byTarget.set(t, leaf);
        }
      }
      for (const [field, byTarget] of perField) {
        const groups = groupTargets(ctx.targets, (t) => byTarget.get(t), (l) => `${l.path}@${l.offset}`);
        const samePath = new Set(groups.map((g) => g.value.path)).size === 1;
        const first = groups[0]!.value;
        const what = samePath ? `\`${first.path}\` (${first.scalar.name})` : "a 64-bit integer";
        const where = groups
          .map((g) => `${samePath ? "" : `\`${g.value.path}\` `}at offset ${g.value.offset} on ${targetList(g.targets, ctx.targets)}`)
          .join("; ");
        ctx.report("ABI062", owner, {
          message: `${what} in ${describeRecord(record)} is not 8-byte aligned: ${where}`,
          hint:
            "use aligned_u64 / aligned_s64 (8-aligned on every target), or reorder the members or add " +
            "explicit padding so it sits at a multiple of 8 everywhere",
          loc: field.loc,
        });
      }
    }
  },
};

/** The plain 64-bit integer, if the type (or an enum's base) is one. */
function plain64(type: Type): Scalar | undefined {
  const sc = type.kind === "scalar" ? type.scalar : type.kind === "enum" ? type.decl.base : undefined;
  return sc && sc.size === 8 && sc.forcedAlign === undefined ? sc : undefined;
}

/** The plain 64-bit leaves of `rec` laid out on `t` at `base`, appended to `out` (returned). */
function leaves(
  rec: RecordModel, t: Target, base: number, prefix: string, namedStart: number | undefined, at: FieldModel | undefined,
  out: Leaf[],
): Leaf[] {
  for (const fl of recordLayout(rec, t).fields) {
    const f = fl.field;
    const el = elementType(f.type);
    const sc = plain64(el);
    if (!sc && el.kind !== "record") continue; // nothing 64-bit in this member
    const isArray = f.type.kind === "array";
    const stride = sizeAlign(el, t).size;
    // Offsets of elements repeat modulo 8 after at most 8 elements (after 1 if the stride is a multiple of 8).
    const count = isArray ? Math.min(elementCount(f.type), stride % 8 === 0 ? 1 : 8) : 1;
    for (let i = 0; i < count; i++) {
      const offset = base + fl.offset + i * stride;
      const name = f.name ?? "";
      const path = prefix + name + (isArray ? `[${i}]` : "");
      if (sc) out.push({ path, scalar: sc, offset, namedStart, at: at ?? f });
      if (el.kind !== "record") continue;
      const inner = f.name === undefined ? prefix : path + ".";
      if (el.decl.anonymous) leaves(el.decl, t, offset, inner, namedStart, at, out);
      else leaves(el.decl, t, offset, inner, namedStart ?? offset, at ?? f, out);
    }
  }
  return out;
}

/**
 * Whether leaves(rec, t, base, …, namedStart) holds a leaf check() reports: misaligned, and not
 * only inside a named record (that record reports it). Same walk, nothing allocated.
 */
function anyReported(rec: RecordModel, t: Target, base: number, namedStart: number | undefined): boolean {
  for (const fl of recordLayout(rec, t).fields) {
    const f = fl.field;
    const el = elementType(f.type);
    const sc = plain64(el);
    if (!sc && el.kind !== "record") continue;
    const isArray = f.type.kind === "array";
    const stride = el.kind === "record" ? recordLayout(el.decl, t).size : sizeAlign(el, t).size;
    const count = isArray ? Math.min(elementCount(f.type), stride % 8 === 0 ? 1 : 8) : 1;
    for (let i = 0; i < count; i++) {
      const offset = base + fl.offset + i * stride;
      if (sc && offset % 8 !== 0 && !(namedStart !== undefined && (offset - namedStart) % 8 !== 0)) return true;
      if (el.kind !== "record") continue;
      if (anyReported(el.decl, t, offset, el.decl.anonymous ? namedStart : (namedStart ?? offset))) return true;
    }
  }
  return false;
}

/** Number of scalar-or-record elements in a (possibly multi-dimensional) array; a flexible one counts as 1. */
function elementCount(type: Type): number {
  return type.kind === "array" ? (type.length ?? 1) * elementCount(type.element) : 1;
}
