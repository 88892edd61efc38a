/**
 * Differences between two layouts of "the same" type — an ioctl's argument, a message, an mmap
 * area or a record — field by field along flattened paths, on every compared target.
 *
 * Field identity is the path. A data field whose path vanished is a rename when exactly one new
 * field under the same (possibly renamed) parent has the same storage, offsets and sizes on every
 * target; its children follow it. A new field is classified by the bytes it takes: a union arm
 * within the union's old size, bytes that were padding or reserved (reserved given a meaning), or
 * bytes beyond the old end (appended), or bytes that had another meaning (inserted).
 */
import { at, type LockedField, type LockedType } from "./lock-model.js";
import type { Emit } from "./change.js";
import type { Kind } from "./kinds.js";
import { changedTargets, describeGroups, onTargets, perTargetChanges, sameOn } from "./compare.js";
import { compareRanges, showRange } from "./range.js";

export interface LayoutContext {
  /** Targets both sides cover. */
  readonly targets: readonly string[];
  /** Old name → new name of records and enums that were renamed. */
  readonly renames: ReadonlyMap<string, string>;
  /** New names of flags sets that gained members in this change (a flag announcing new meaning). */
  readonly flagsGrown: ReadonlySet<string>;
}

export interface LayoutWhere {
  readonly family: string;
  readonly subject: string;
  /** How the type is introduced in messages: "argument struct gh_fn_desc". */
  readonly what: string;
  /** The kind for a change of the whole type's size. */
  readonly sizeKind: Extract<Kind, "ioctl-size-changed" | "record-resized">;
}

/** A type name with renamed records/enums replaced by their new names (`gh_vm_status[2]` → `gunyah_vm_status[2]`). */
export function renamedType(name: string, renames: ReadonlyMap<string, string>): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/.exec(name);
  if (!m) return name;
  return (renames.get(m[1]!) ?? m[1]!) + m[2]!;
}

function parentOf(path: string): string {
  const i = Math.max(path.lastIndexOf("."), -1);
  if (i < 0) return "";
  return path.slice(0, i).replace(/\[\]$/, "");
}

function meaningOf(f: LockedField, renames: ReadonlyMap<string, string>) {
  return JSON.stringify({
    role: f.role,
    values: f.values === undefined ? null : renamedType(f.values, renames),
    range: f.range ?? null,
    ptr: f.ptr ? { len: f.ptr.len, to: f.ptr.to === null ? null : renamedType(f.ptr.to, renames) } : null,
    fd: f.fd ?? null,
    string: f.string ?? false,
  });
}

/** Bytes [offset, offset + size) of a field on a target. */
function span(f: LockedField, t: string): [number, number] {
  const o = at(f.offset, t) ?? 0;
  return [o, o + (at(f.size, t) ?? 0)];
}

function within(inner: [number, number], ranges: readonly [number, number][]): boolean {
  for (let b = inner[0]; b < inner[1]; b++) if (!ranges.some(([s, e]) => b >= s && b < e)) return false;
  return true;
}

export function diffLayout(a: LockedType, b: LockedType, where: LayoutWhere, ctx: LayoutContext, emit: Emit): void {
  const { targets } = ctx;
  const base = { family: where.family, subject: where.subject };
  const isRecord = (s: string) => s === "struct" || s === "union";

  if (a.storage !== b.storage) {
    if (isRecord(a.storage) && isRecord(b.storage)) {
      emit({ ...base, kind: "record-kind-changed", message: `${where.what} was a ${a.storage} and is now a ${b.storage}: its members no longer overlap the same way` });
    } else {
      emit({ ...base, kind: "field-retyped", message: `${where.what} stored ${a.storage} and now stores ${b.storage}` });
    }
  }
  const sizes = perTargetChanges(a.size, b.size, targets);
  if (sizes.length > 0) {
    const extra = where.sizeKind === "ioctl-size-changed" ? "; the size is encoded in the number, so the number changes too" : "";
    emit({ ...base, kind: where.sizeKind, targets: changedTargets(sizes), message: `${where.what} changed size (bytes): ${describeGroups(sizes, targets)}${extra}` });
  }
  const aligns = perTargetChanges(a.align, b.align, targets);
  if (aligns.length > 0) {
    emit({ ...base, kind: "record-realigned", targets: changedTargets(aligns), message: `${where.what} changed alignment: ${describeGroups(aligns, targets)}; arrays of it and records containing it change layout` });
  }
  diffFields(a, b, where, ctx, emit);
}

function diffFields(a: LockedType, b: LockedType, where: LayoutWhere, ctx: LayoutContext, emit: Emit): void {
  const { targets, renames } = ctx;
  const base = { family: where.family, subject: where.subject };
  const newByPath = new Map(b.fields.map((f) => [f.path, f]));
  const oldPaths = new Set(a.fields.map((f) => f.path));
  const prefixes = new Map<string, string>(); // renamed parent path → new path
  const matched = new Map<LockedField, { to: LockedField; renamed: boolean }>();
  const used = new Set<string>();

  const mapPath = (p: string): string => {
    let best = "";
    for (const k of prefixes.keys()) if ((p.startsWith(k + ".") || p.startsWith(k + "[].")) && k.length > best.length) best = k;
    return best === "" ? p : prefixes.get(best)! + p.slice(best.length);
  };

  for (const o of a.fields) {
    const np = mapPath(o.path);
    const direct = newByPath.get(np);
    if (direct && !used.has(np)) {
      matched.set(o, { to: direct, renamed: false });
      used.add(np);
      continue;
    }
    if (o.role !== "data") continue;
    // A rename: the only unclaimed new data field under the same parent with the same bytes and storage.
    const parent = parentOf(np);
    const cands = b.fields.filter((n) =>
      !used.has(n.path) && !oldPaths.has(n.path) && n.role === "data" && parentOf(n.path) === parent &&
      n.storage === o.storage && sameOn(n.offset, o.offset, targets) && sameOn(n.size, o.size, targets));
    if (cands.length === 1) {
      const n = cands[0]!;
      matched.set(o, { to: n, renamed: true });
      used.add(n.path);
      prefixes.set(o.path, n.path);
    }
  }

  const flag = b.fields.find((f) => f.values !== undefined && ctx.flagsGrown.has(f.values));
  const unmatchedOld = new Set(a.fields.filter((f) => !matched.has(f)).map((f) => f.path));
  for (const o of a.fields) {
    const m = matched.get(o);
    if (m) {
      compareField(o, m.to, m.renamed, flag, where, ctx, emit);
    } else if (o.role === "data" && !unmatchedOld.has(parentOf(o.path))) {
      emit({ ...base, kind: "field-removed", path: o.path, message: `${where.what}: field \`${o.path}\` (${o.type}) was removed; bytes ${describeSpan(o, targets)} no longer mean what they did` });
    }
  }

  const unmatchedNew = new Set(b.fields.filter((f) => !used.has(f.path)).map((f) => f.path));
  const free = new Map(targets.map((t) => [t, a.fields.filter((f) => f.role !== "data").map((f) => span(f, t))]));
  for (const n of b.fields) {
    // New padding says nothing; whatever it displaced is reported on that field.
    if (used.has(n.path) || unmatchedNew.has(parentOf(n.path)) || n.role !== "data") continue;
    const ends = targets.map((t) => ({ t, s: span(n, t), oldSize: at(a.size, t) ?? 0 }));
    const label = `${where.what}: new field \`${n.path}\` (${n.type}, bytes ${describeSpan(n, targets)})`;
    if (n.arm) {
      const grows = ends.filter((e) => e.s[1] > e.oldSize).map((e) => e.t);
      if (grows.length === 0) emit({ ...base, kind: "union-arm-added", path: n.path, message: `${label} is a new union arm within the union's old size` });
      else emit({ ...base, kind: "union-grown", path: n.path, targets: grows, message: `${label} is a new union arm larger than the union was ${onTargets(grows, targets)}: the union grows` });
      continue;
    }
    const beyond = ends.filter((e) => e.s[1] > e.oldSize).map((e) => e.t);
    if (beyond.length > 0) {
      emit({ ...base, kind: "field-appended", path: n.path, targets: beyond, message: `${label} extends past the old end ${onTargets(beyond, targets)}` });
    } else if (ends.every((e) => within(e.s, free.get(e.t)!))) {
      givenMeaning(n, "bytes that were padding or reserved", flag, where, emit, `${label} takes`);
    } else {
      emit({ ...base, kind: "field-inserted", path: n.path, message: `${label} overlaps bytes that had another meaning` });
    }
  }
}

function givenMeaning(n: LockedField, what: string, flag: LockedField | undefined, where: LayoutWhere, emit: Emit, label: string): void {
  const base = { family: where.family, subject: where.subject, path: n.path };
  if (flag) {
    emit({ ...base, kind: "reserved-given-meaning-flagged", message: `${label} ${what}; the new member of ${flag.values} in \`${flag.path}\` says when it is meaningful` });
  } else {
    emit({ ...base, kind: "reserved-given-meaning", message: `${label} ${what}, with no flag saying so: old kernels ignore it and old programs may leave garbage there (add a flag, or a new ioctl)` });
  }
}

function describeSpan(f: LockedField, targets: readonly string[]): string {
  const spans = new Map<string, string[]>();
  for (const t of targets) {
    const [s, e] = span(f, t);
    const k = `${s}..${e - 1}`;
    spans.set(k, [...(spans.get(k) ?? []), t]);
  }
  if (spans.size === 1) return [...spans.keys()][0]!;
  return [...spans].map(([k, ts]) => `${k} on ${ts.join(", ")}`).join("; ");
}

function compareField(
  o: LockedField, n: LockedField, renamed: boolean, flag: LockedField | undefined, where: LayoutWhere, ctx: LayoutContext, emit: Emit,
): void {
  const { targets, renames } = ctx;
  const base = { family: where.family, subject: where.subject, path: n.path };
  const field = `${where.what}: field \`${n.path}\``;

  if (renamed) {
    const before = meaningOf(o, renames);
    const after = meaningOf(n, renames);
    if (before === after) {
      emit({ ...base, kind: "field-renamed", message: `${where.what}: field \`${o.path}\` is now \`${n.path}\` (same offset, size and type): binaries are unaffected, source using the old name breaks` });
    } else {
      emit({ ...base, kind: "field-renamed-new-meaning", message: `${where.what}: field \`${o.path}\` became \`${n.path}\` with a different meaning (${describeMeaning(o)} → ${describeMeaning(n)}); old programs still write the old meaning there` });
    }
    return;
  }

  // Padding and reserved bytes have no meaning to keep: they may shrink or move as fields take them.
  if (o.role !== "data" && n.role !== "data") return;
  if (o.role !== "data") {
    givenMeaning(n, `was ${o.role} and now has a meaning`, flag, where, emit, field);
    return;
  }

  const moved = perTargetChanges(o.offset, n.offset, targets);
  if (moved.length > 0) emit({ ...base, kind: "field-moved", targets: changedTargets(moved), message: `${field} moved: offset ${describeGroups(moved, targets)}` });
  const resized = perTargetChanges(o.size, n.size, targets);
  if (resized.length > 0) emit({ ...base, kind: "field-resized", targets: changedTargets(resized), message: `${field} changed size (bytes, ${o.type} → ${n.type}): ${describeGroups(resized, targets)}` });
  if (o.storage !== n.storage && resized.length === 0) {
    emit({ ...base, kind: "field-retyped", message: `${field} stores ${n.storage} instead of ${o.storage} (${o.type} → ${n.type}): same size, different meaning of the bits` });
  } else if (o.storage === n.storage && renamedType(o.type, renames) !== n.type) {
    emit({ ...base, kind: "field-type-renamed", message: `${field} is spelled ${n.type} instead of ${o.type}; it stores the same ${n.storage}` });
  }

  if (n.role !== "data") {
    emit({ ...base, kind: "field-meaning-removed", message: `${field} was data and is now ${n.role}: programs that set it are ignored or rejected` });
    return;
  }

  const ov = o.values === undefined ? undefined : renamedType(o.values, renames);
  if (ov !== n.values) {
    if (ov === undefined) emit({ ...base, kind: "values-narrowed", message: `${field} must now hold values of ${n.values}; any value was accepted before` });
    else if (n.values === undefined) emit({ ...base, kind: "values-widened", message: `${field} no longer restricts its values to ${o.values}` });
    else emit({ ...base, kind: "values-changed", message: `${field} holds values of ${n.values} instead of ${o.values}` });
  }

  const rc = compareRanges(o.range, n.range);
  if (rc === "narrowed") emit({ ...base, kind: "range-narrowed", message: `${field}: range ${showRange(o.range)} → ${showRange(n.range)} rejects values that were valid` });
  else if (rc === "widened") emit({ ...base, kind: "range-widened", message: `${field}: range ${showRange(o.range)} → ${showRange(n.range)} accepts more values` });

  const annot = (f: LockedField) => JSON.stringify({
    ptr: f.ptr ? { len: f.ptr.len, to: f.ptr.to === null ? null : renamedType(f.ptr.to, renames) } : null, fd: f.fd ?? null, string: f.string ?? false,
  });
  if (annot(o) !== annot(n)) {
    emit({ ...base, kind: "field-annotation-changed", message: `${field} changed what it holds: ${describeMeaning(o)} → ${describeMeaning(n)}` });
  }
}

function describeMeaning(f: LockedField): string {
  const parts: string[] = [f.role];
  if (f.values) parts.push(`values ${f.values}`);
  if (f.range) parts.push(`range ${showRange(f.range)}`);
  if (f.ptr) parts.push(`pointer${f.ptr.len ? ` (len ${f.ptr.len})` : ""}`);
  if (f.fd) parts.push(`fd${f.fd.none !== null ? ` (none = ${f.fd.none})` : ""}${f.fd.kind ? ` of ${f.fd.kind}` : ""}`);
  if (f.string) parts.push("string");
  return parts.join(", ");
}
