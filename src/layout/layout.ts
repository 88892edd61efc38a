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
 * One WeakMap entry per record holds its layouts by data-model index (one entry, not one per
 * model: fewer lookups, and less for the garbage collector to trace).
 */
const cache = new WeakMap<RecordModel, (RecordLayout | undefined)[]>();
const modelIndexOf = new WeakMap<Target, number>();
const modelIndexByKey = new Map<string, number>();
let lastTarget: Target | undefined;
let lastIndex = 0;

/** A string naming the target's data model: equal for targets whose layouts are all equal. */
export function dataModelKey(target: Target): string {
  const { sizes: s, align: a } = target;
  return `${s.long}/${s.ptr}/${a.i16}/${a.i32}/${a.i64}/${a.long}/${a.ptr}`;
}

/** A small number naming the target's data model (see dataModelKey). */
function modelIndex(target: Target): number {
  if (target === lastTarget) return lastIndex;
  let i = modelIndexOf.get(target);
  if (i === undefined) {
    const key = dataModelKey(target);
    i = modelIndexByKey.get(key);
    if (i === undefined) modelIndexByKey.set(key, (i = modelIndexByKey.size));
    modelIndexOf.set(target, i);
  }
  lastTarget = target;
  lastIndex = i;
  return i;
}

const modelTargetsOf = new WeakMap<readonly Target[], readonly Target[]>();

/**
 * The first target of each distinct data model among `targets`, in order: every layout fact
 * (sizes, alignments, offsets, holes) is the same for all targets of one model, so a question
 * asked of these answers it for all of `targets`.
 */
export function modelTargets(targets: readonly Target[]): readonly Target[] {
  let out = modelTargetsOf.get(targets);
  if (!out) {
    const seen = new Set<number>();
    out = targets.filter((t) => {
      const i = modelIndex(t);
      return !seen.has(i) && seen.add(i) !== undefined;
    });
    modelTargetsOf.set(targets, out);
  }
  return out;
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
  const i = modelIndex(target);
  let byModel = cache.get(rec);
  if (!byModel) cache.set(rec, (byModel = []));
  let layout = byModel[i];
  if (!layout) {
    layout = computeRecord(rec, target);
    byModel[i] = layout;
  }
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
  // The record laid out on other data models, when it has been: members placed the same share
  // their FieldLayout objects (and a layout whose members all match, its fields array), so four
  // data models do not keep four copies of what is often one layout. (They are read-only.)
  const others = (cache.get(rec) ?? []).filter((l): l is RecordLayout => l !== undefined && l.fields.length === rec.fields.length);
  const allMatch = others.map(() => true);
  const fields: FieldLayout[] = [];
  const holes: Hole[] = [];
  let align = 1;
  let end = 0;
  for (let i = 0; i < rec.fields.length; i++) {
    const field = rec.fields[i]!;
    const type = field.type;
    // sizeAlign inline for scalars and enums (the common members): no object per member.
    const sc = type.kind === "scalar" ? type.scalar : type.kind === "enum" ? type.decl.base : undefined;
    let size: number;
    let memberAlign: number;
    if (sc) {
      size = scalarSize(sc, target);
      memberAlign = scalarAlign(sc, target);
    } else {
      const sa = sizeAlign(type, target);
      size = sa.size;
      memberAlign = sa.align;
    }
    // packed drops member alignment to 1 — except __aligned_u64 & co.: the uapi header spells them
    // `__u64 __attribute__((aligned(8)))` (a macro, so the attribute lands on the member), and a
    // member's own aligned attribute survives packed (GCC: packed struct { u8; __aligned_u64; } is 16).
    const fieldAlign = rec.packed ? (memberForcedAlign(type) ?? 1) : memberAlign;
    align = Math.max(align, fieldAlign);
    let offset: number;
    if (rec.record === "union") {
      offset = 0;
      end = Math.max(end, size);
    } else {
      offset = alignUp(end, fieldAlign);
      if (offset > end) holes.push({ offset: end, size: offset - end, afterField: fields.length - 1, tail: false });
      end = offset + size;
    }
    let same: FieldLayout | undefined;
    for (let k = 0; k < others.length; k++) {
      const prev = others[k]!.fields[i]!;
      if (prev.field === field && prev.offset === offset && prev.size === size && prev.align === fieldAlign) same ??= prev;
      else allMatch[k] = false;
    }
    fields.push(same ?? { field, offset, size, align: fieldAlign });
  }
  if (rec.aligned !== undefined) align = Math.max(align, rec.aligned);
  const size = alignUp(end, align);
  if (size > end) holes.push({ offset: end, size: size - end, afterField: fields.length - 1, tail: true });
  const twin = allMatch.indexOf(true);
  return { size, align, fields: twin >= 0 ? others[twin]!.fields : fields, holes };
}
