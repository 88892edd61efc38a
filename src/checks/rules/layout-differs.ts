/**
 * ABI061: a record whose size, alignment or member offsets differ between targets. A 32-bit
 * process on a 64-bit kernel then passes a different layout than the kernel expects, so the
 * driver needs compat handling — usually a sign of int/long/ptr or an unaligned 64-bit member.
 *
 * Size and member offsets are compared (alignment alone is not reported, see below).
 * One warning per record: named records and anonymous records that stand alone (an inline ioctl
 * argument); an anonymous record embedded in another is part of its parent's layout and is
 * compared there. A record that contains implicit padding (itself, or in a record it embeds) is
 * not reported: ABI060 already fires for it, and explicit padding usually removes the difference
 * too, so reporting both would double every padding error.
 */
import type { RecordModel, Type } from "../../model/model.js";
import { modelTargets, recordLayout } from "../../layout/layout.js";
import { describeRecord, elementType } from "../../layout/records.js";
import { recordSites } from "../record-sites.js";
import type { Target } from "../../targets/targets.js";
import type { Rule } from "../rule.js";
import { groupTargets, targetList, type TargetGroup } from "../target-groups.js";

interface Slot {
  readonly path: string;
  readonly offset: number;
  readonly size: number;
}

export const layoutDiffers: Rule = {
  name: "layout-differs",
  codes: ["ABI061"],
  check(ctx) {
    if (ctx.targets.length < 2) return;
    const padded = new Map<RecordModel, boolean>();
    for (const { record, owner, embedded } of recordSites(ctx)) {
      if (embedded || hasPadding(record, ctx.targets, padded)) continue;
      if (sameOnEveryModel(record, ctx.targets)) continue; // the common case, decided without grouping

      const parts: string[] = [];
      const size = groupTargets(ctx.targets, (t) => recordLayout(record, t).size);
      if (size.length > 1) parts.push("size " + describeGroups(size, ctx.targets, String));
      // Alignment alone is not a difference user space can see through a pointer (struct { u64 x; }
      // aligns to 8 or 4 but reads the same everywhere); where it matters, the embedding record's
      // offsets differ and that record is reported. It is mentioned when there is a difference.
      const align = groupTargets(ctx.targets, (t) => recordLayout(record, t).align);

      const slots = new Map(ctx.targets.map((t) => [t, flatten(record, t, "", 0)]));
      const paths = slots.get(ctx.targets[0]!)!.map((s) => s.path);
      for (const [i, path] of paths.entries()) {
        const groups = groupTargets(ctx.targets, (t) => {
          const s = slots.get(t)![i];
          return s && { offset: s.offset, size: s.size };
        });
        if (groups.length < 2) continue;
        const sameOffset = new Set(groups.map((g) => g.value.offset)).size === 1;
        const sameSize = new Set(groups.map((g) => g.value.size)).size === 1;
        const show = (v: { offset: number; size: number }) =>
          sameSize ? `offset ${v.offset}` : sameOffset ? `size ${v.size}` : `offset ${v.offset} size ${v.size}`;
        parts.push(`first differing field \`${path}\`: ${describeGroups(groups, ctx.targets, show)}`);
        break;
      }
      if (parts.length === 0) continue;
      if (align.length > 1) parts.splice(size.length > 1 ? 1 : 0, 0, "alignment " + describeGroups(align, ctx.targets, String));
      ctx.report("ABI061", owner, {
        message: `layout of ${describeRecord(record)} differs between targets: ${parts.join("; ")}`,
        hint:
          "use fixed-size types (s32/u32 instead of int, u64 instead of long, u64 @ptr instead of ptr), " +
          "aligned_u64 or explicit padding before 64-bit members; or @allow(ABI061, \"reason\") if the driver handles compat",
        loc: record.loc,
      });
    }
  },
};

function describeGroups<V>(groups: TargetGroup<V>[], all: readonly Target[], show: (v: V) => string): string {
  return groups.map((g) => `${show(g.value)} on ${targetList(g.targets, all)}`).join(" vs ");
}

/** The record's members in order, with members of embedded anonymous records inlined (`a.b`, or `b` for an anonymous member). */
function flatten(rec: RecordModel, target: Target, prefix: string, base: number): Slot[] {
  const out: Slot[] = [];
  for (const fl of recordLayout(rec, target).fields) {
    const path = fl.field.name === undefined ? prefix.replace(/\.$/, "") : prefix + fl.field.name;
    const offset = base + fl.offset;
    if (fl.field.name !== undefined) out.push({ path, offset, size: fl.size });
    const el = elementType(fl.field.type);
    if (el.kind === "record" && el.decl.anonymous) {
      const inner = fl.field.type.kind === "array" ? `${path}[0]` : path;
      out.push(...flatten(el.decl, target, inner === "" ? "" : inner + ".", offset));
    }
  }
  return out;
}

/**
 * Whether size and member slots (what flatten lists) are equal on every target. Layouts depend
 * only on the data model (four among the 16 targets), so each model is compared with the first,
 * walking the layouts in place: no slot lists, no path strings (paths are the same on every
 * target, they follow the record's structure).
 */
function sameOnEveryModel(rec: RecordModel, targets: readonly Target[]): boolean {
  const models = modelTargets(targets);
  const first = models[0]!;
  for (let m = 1; m < models.length; m++) {
    const t = models[m]!;
    if (recordLayout(rec, t).size !== recordLayout(rec, first).size || !sameSlots(rec, first, t, 0, 0)) return false;
  }
  return true;
}

/** flatten(rec, a, …, baseA) and flatten(rec, b, …, baseB) have equal offsets and sizes. */
function sameSlots(rec: RecordModel, a: Target, b: Target, baseA: number, baseB: number): boolean {
  const fa = recordLayout(rec, a).fields;
  const fb = recordLayout(rec, b).fields;
  for (let i = 0; i < fa.length; i++) {
    const x = fa[i]!;
    const y = fb[i]!;
    const offA = baseA + x.offset;
    const offB = baseB + y.offset;
    if (x.field.name !== undefined && (offA !== offB || x.size !== y.size)) return false;
    const el = elementType(x.field.type);
    if (el.kind === "record" && el.decl.anonymous && !sameSlots(el.decl, a, b, offA, offB)) return false;
  }
  return true;
}

/** Whether the record, or any record it contains by value, has implicit padding on some target. */
function hasPadding(rec: RecordModel, targets: readonly Target[], memo: Map<RecordModel, boolean>): boolean {
  const known = memo.get(rec);
  if (known !== undefined) return known;
  memo.set(rec, false); // recursion guard (recursive types were rejected before checks run)
  const result =
    modelTargets(targets).some((t) => recordLayout(rec, t).holes.length > 0) ||
    rec.fields.some((f) => containsPadding(f.type, targets, memo));
  memo.set(rec, result);
  return result;
}

function containsPadding(type: Type, targets: readonly Target[], memo: Map<RecordModel, boolean>): boolean {
  const el = elementType(type);
  return el.kind === "record" && hasPadding(el.decl, targets, memo);
}
