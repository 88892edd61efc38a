/**
 * C layout of the model's types on one target: the same rules GCC applies for the Linux ABIs
 * (natural alignment per target data, struct alignment = max member alignment, size rounded up
 * to it; unions overlay at offset 0; `packed` drops member alignment to 1 (not that of
 * aligned_u64 members, see computeRecord); `aligned(N)` raises
 * the record's alignment; a flexible array member has size 0 but keeps its alignment).
 *
 * Bit-fields are not part of the language (botching-up-ioctls: don't), so none are modelled.
 * Callers must have rejected recursive types (ABI013) before asking for a layout.
 */
import type { FieldModel, RecordModel, Scalar, Type } from "../model/model.js";
import type { Target } from "../targets/targets.js";

export interface SizeAlign {
  readonly size: number;
  readonly align: number;
}

export interface FieldLayout extends SizeAlign {
  readonly field: FieldModel;
  readonly offset: number;
}

/** Bytes of a record no member covers. */
export interface Hole {
  readonly offset: number;
  readonly size: number;
  /** Index into `fields` of the member before the hole (-1: at the start, which never happens in C). */
  readonly afterField: number;
  /** True for padding after the last member (tail padding). */
  readonly tail: boolean;
}

export interface RecordLayout extends SizeAlign {
  readonly fields: readonly FieldLayout[];
  readonly holes: readonly Hole[];
}

export function scalarSize(sc: Scalar, target: Target): number {
  return sc.size === "long" ? target.sizes.long : sc.size === "ptr" ? target.sizes.ptr : sc.size;
}

export function scalarAlign(sc: Scalar, target: Target): number {
  if (sc.forcedAlign) return sc.forcedAlign;
  if (sc.size === "long") return target.align.long;
  if (sc.size === "ptr") return target.align.ptr;
  switch (sc.size) {
    case 1: return 1;
    case 2: return target.align.i16;
    case 4: return target.align.i32;
    case 8: return target.align.i64;
  }
}

/**
 * Layouts depend only on a target's data model (scalar sizes and alignments), and the 16 targets
 * share four of them: layouts are cached per data model, so targets that agree share one
 * RecordLayout object (and callers may compare layouts by identity to skip repeated work).
 */
const cache = new Map<string, WeakMap<RecordModel, RecordLayout>>();
const cacheOfTarget = new WeakMap<Target, WeakMap<RecordModel, RecordLayout>>();

/** A string naming the target's data model: equal for targets whose layouts are all equal. */
export function dataModelKey(target: Target): string {
  const { sizes: s, align: a } = target;
  return `${s.long}/${s.ptr}/${a.i16}/${a.i32}/${a.i64}/${a.long}/${a.ptr}`;
}

function layoutCache(target: Target): WeakMap<RecordModel, RecordLayout> {
  let perTarget = cacheOfTarget.get(target);
  if (!perTarget) {
    const key = dataModelKey(target);
    perTarget = cache.get(key);
    if (!perTarget) cache.set(key, (perTarget = new WeakMap()));
    cacheOfTarget.set(target, perTarget);
  }
  return perTarget;
}

export function sizeAlign(type: Type, target: Target): SizeAlign {
  switch (type.kind) {
    case "scalar":
      return { size: scalarSize(type.scalar, target), align: scalarAlign(type.scalar, target) };
    case "enum":
      return { size: scalarSize(type.decl.base, target), align: scalarAlign(type.decl.base, target) };
    case "array": {
      const el = sizeAlign(type.element, target);
      return { size: el.size * (type.length ?? 0), align: el.align };
    }
    case "record":
      return recordLayout(type.decl, target);
  }
}

export function recordLayout(rec: RecordModel, target: Target): RecordLayout {
  const perTarget = layoutCache(target);
  let layout = perTarget.get(rec);
  if (!layout) perTarget.set(rec, (layout = computeRecord(rec, target)));
  return layout;
}

/** The forced alignment a member of this type carries into a packed record (arrays of aligned_u64 too). */
function memberForcedAlign(type: Type): number | undefined {
  switch (type.kind) {
    case "scalar": return type.scalar.forcedAlign;
    case "enum": return type.decl.base.forcedAlign;
    case "array": return memberForcedAlign(type.element);
    case "record": return undefined;
  }
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function computeRecord(rec: RecordModel, target: Target): RecordLayout {
  const fields: FieldLayout[] = [];
  const holes: Hole[] = [];
  let align = 1;
  let end = 0;
  for (const field of rec.fields) {
    const sa = sizeAlign(field.type, target);
    // packed drops member alignment to 1 — except __aligned_u64 & co.: the uapi header spells them
    // `__u64 __attribute__((aligned(8)))` (a macro, so the attribute lands on the member), and a
    // member's own aligned attribute survives packed (GCC: packed struct { u8; __aligned_u64; } is 16).
    const fieldAlign = rec.packed ? (memberForcedAlign(field.type) ?? 1) : sa.align;
    align = Math.max(align, fieldAlign);
    if (rec.record === "union") {
      fields.push({ field, offset: 0, size: sa.size, align: fieldAlign });
      end = Math.max(end, sa.size);
    } else {
      const offset = alignUp(end, fieldAlign);
      if (offset > end) holes.push({ offset: end, size: offset - end, afterField: fields.length - 1, tail: false });
      fields.push({ field, offset, size: sa.size, align: fieldAlign });
      end = offset + sa.size;
    }
  }
  if (rec.aligned !== undefined) align = Math.max(align, rec.aligned);
  const size = alignUp(end, align);
  if (size > end) holes.push({ offset: end, size: size - end, afterField: fields.length - 1, tail: true });
  return { size, align, fields, holes };
}
