/**
 * `c/test/<family>_layout.c`: the companion of each generated header that lets anyone check it
 * with their own compiler. It includes the header and, in one block per group of targets whose
 * asserts are identical (selected by the compiler's predefined macros, target-macros.ts), asserts
 * with C11 _Static_assert what abigen computed: every record's size and alignment, the offset and size of every member along nested
 * paths (`expects[1].blocks[2].rules[3].len`), and every ioctl number. Constants and enum values
 * are asserted once, outside the blocks: their C spelling (c-expr.ts) must keep the value.
 *
 * Arrays are entered at index min(k, length - 1) for the k-th subscript of a path, so different
 * levels use different indices and a stride mixed up between levels shows.
 */
import type { AliasModel, EnumModel, FamilyModel, Program, RecordModel, Type } from "../../model/model.js";
import { declsOf } from "../../model/model.js";
import { dataModelKey, recordLayout, sizeAlign } from "../../layout/layout.js";
import { ioctlNumber } from "../../layout/ioctl-numbers.js";
import { hex32 } from "../../targets/ioctl-encoding.js";
import type { Target } from "../../targets/targets.js";
import type { OutputFiles } from "../output.js";
import { cIntValue, fitsInt } from "./c-int.js";
import { exactCondition } from "./target-macros.js";
import { template } from "./templates.js";

/** Where a family's layout test goes under generated/. */
export function layoutTestPath(f: FamilyModel): string {
  return `c/test/${f.name}_layout.c`;
}

function assert(cond: string, what: string): string {
  return `_Static_assert(${cond}, "${what.replace(/["\\]/g, "")}");`;
}

// The message leaves the target out: one block of asserts serves every target with the same
// layouts (the block's #if names them), and the compiler reporting a failure is the target.
function check(expr: string, value: number | bigint): string {
  const cond = `${expr} == ${value}`;
  return assert(cond, cond);
}

/**
 * Where the size, alignment and member asserts go. Their expressions depend on the family alone
 * (a record has the same fields on every target), only the values depend on the target: so the
 * values alone tell whether two targets' asserts are the same, without building their text.
 */
interface Sink {
  /** `sizeof(root)` */
  size(root: string, value: number): void;
  /** `_Alignof(root)` */
  align(root: string, value: number): void;
  /** `offsetof(root, path)` */
  offset(root: string, path: string, value: number): void;
  /** the size of member `path` of `root` */
  memberSize(root: string, path: string, value: number): void;
  /** the alignment of member `path` of `root` */
  memberAlign(root: string, path: string, value: number): void;
}

class TextSink implements Sink {
  readonly out: string[] = [];
  size(root: string, value: number): void {
    this.out.push(check(`sizeof(${root})`, value));
  }
  align(root: string, value: number): void {
    this.out.push(check(`_Alignof(${root})`, value));
  }
  offset(root: string, path: string, value: number): void {
    this.out.push(check(`offsetof(${root}, ${path})`, value));
  }
  memberSize(root: string, path: string, value: number): void {
    this.out.push(check(`sizeof(((${root} *)0)->${path})`, value));
  }
  memberAlign(root: string, path: string, value: number): void {
    this.out.push(check(`_Alignof(__typeof__(((${root} *)0)->${path}))`, value));
  }
}

/** Keeps the values only: what tells two targets' asserts apart, without any text. */
class ValueSink implements Sink {
  readonly values: number[] = [];
  size(_root: string, value: number): void {
    this.values.push(value);
  }
  align(_root: string, value: number): void {
    this.values.push(value);
  }
  offset(_root: string, _path: string, value: number): void {
    this.values.push(value);
  }
  memberSize(_root: string, _path: string, value: number): void {
    this.values.push(value);
  }
  memberAlign(_root: string, _path: string, value: number): void {
    this.values.push(value);
  }
}

/** The anonymous record under any array layers of a type, if that is what it is. */
function anonRecord(t: Type): RecordModel | undefined {
  while (t.kind === "array") t = t.element;
  return t.kind === "record" && t.decl.anonymous ? t.decl : undefined;
}

/**
 * Asserts for the members of `rec` placed at `base` bytes into `root`, addressed in C by `path`
 * ("" at the top). `depth` counts the array subscripts already on the path.
 */
function memberAsserts(root: string, rec: RecordModel, path: string, base: number, depth: number, target: Target, out: Sink): void {
  for (const fl of recordLayout(rec, target).fields) {
    const f = fl.field;
    const offset = base + fl.offset;
    if (f.name === undefined) {
      // Anonymous member: its fields are the parent's in C.
      const inner = anonRecord(f.type);
      if (inner) memberAsserts(root, inner, path, offset, depth, target, out);
      continue;
    }
    const p = path === "" ? f.name : `${path}.${f.name}`;
    out.offset(root, p, offset);
    const flexible = f.type.kind === "array" && f.type.length === null;
    if (!flexible) out.memberSize(root, p, fl.size);
    typeAsserts(root, f.type, p, offset, depth, target, out);
  }
}

/** Descend into a member's type: index arrays, then enter records (named ones too: strides). */
function typeAsserts(root: string, type: Type, path: string, offset: number, depth: number, target: Target, out: Sink): void {
  if (type.kind === "array") {
    const k = depth + 1;
    const i = type.length === null ? 0 : Math.min(k, type.length - 1);
    const p = `${path}[${i}]`;
    const off = offset + i * sizeAlign(type.element, target).size;
    if (type.length !== null) out.offset(root, p, off);
    typeAsserts(root, type.element, p, off, k, target, out);
    return;
  }
  if (type.kind !== "record") return;
  const rec = type.decl;
  if (rec.anonymous) {
    const l = recordLayout(rec, target);
    out.memberAlign(root, path, l.align);
  }
  memberAsserts(root, rec, path, offset, depth, target, out);
}

function recordAsserts(rec: RecordModel, target: Target, out: Sink): void {
  const root = `${rec.record} ${rec.name}`;
  const l = recordLayout(rec, target);
  out.size(root, l.size);
  out.align(root, l.align);
  memberAsserts(root, rec, "", 0, 0, target, out);
}

function aliasAsserts(a: AliasModel, target: Target, out: Sink): void {
  const sa = sizeAlign(a.type, target);
  out.size(a.name, sa.size);
  out.align(a.name, sa.align);
  // A typedef of an inline record is the only C name that record has.
  if (a.type.kind === "record" && a.type.decl.anonymous) memberAsserts(a.name, a.type.decl, "", 0, 0, target, out);
}

/** Size, alignment and member asserts: they depend only on the target's data model. */
function layoutAsserts(f: FamilyModel, target: Target, out: Sink): void {
  for (const d of f.decls) {
    if (d.kind === "record") recordAsserts(d, target, out);
    else if (d.kind === "alias") aliasAsserts(d, target, out);
  }
}

function ioctlAsserts(f: FamilyModel, target: Target): string[] {
  return declsOf(f, "ioctl").map((io) => {
    const n = hex32(ioctlNumber(io, target));
    return assert(`${io.name} == ${n}u`, `${io.name} == ${n}`);
  });
}

interface Block {
  readonly targets: Target[];
  readonly asserts: string[];
}

/**
 * One block per group of targets whose asserts are identical (in the order of each group's first
 * target), so a family laid out alike everywhere is asserted once, not 16 times.
 */
function targetBlocks(f: FamilyModel, targets: readonly Target[]): Block[] {
  // Targets are grouped by cheap keys: the layout asserts' values (one short id per distinct
  // value list, computed once per data model) and the ioctl numbers. Text is built once per block.
  const layoutIds = new Map<string, number>();
  const idOfModel = new Map<string, number>();
  const ioctls = declsOf(f, "ioctl");
  const groups = new Map<string, Target[]>();
  for (const t of targets) {
    const model = dataModelKey(t);
    let id = idOfModel.get(model);
    if (id === undefined) {
      const sink = new ValueSink();
      layoutAsserts(f, t, sink);
      const values = sink.values.join(",");
      id = layoutIds.get(values);
      if (id === undefined) layoutIds.set(values, (id = layoutIds.size));
      idOfModel.set(model, id);
    }
    const key = `${id}|${ioctls.map((io) => hex32(ioctlNumber(io, t))).join(",")}`;
    const g = groups.get(key);
    if (g) g.push(t);
    else groups.set(key, [t]);
  }
  return [...groups.values()].map((ts) => {
    const sink = new TextSink();
    layoutAsserts(f, ts[0]!, sink);
    return { targets: ts, asserts: [...sink.out, ...ioctlAsserts(f, ts[0]!)] };
  });
}

/**
 * `#if`/`#elif` condition and trailing comment of a block: the target's exact test, or for a group
 * one parenthesised test per target, one per line, each with its name (so a reader, or a grep for
 * the target's name, finds it).
 */
function blockHead(targets: readonly Target[]): { condition: string; name: string } {
  const last = targets[targets.length - 1]!;
  if (targets.length === 1) return { condition: exactCondition(last), name: last.name };
  const lines = targets.slice(0, -1).map((t) => `(${exactCondition(t)}) /* ${t.name} */ \\\n    || `);
  return { condition: lines.join("") + `(${exactCondition(last)})`, name: last.name };
}

function enumValueAsserts(e: EnumModel): string[] {
  return e.members.map((m) => {
    const v = cIntValue(m.value, e.flavor === "flags");
    return assert(`${m.name} == ${v}`, `${m.name} == ${v}`);
  });
}

function constantAsserts(f: FamilyModel): string[] {
  const out: string[] = [];
  for (const d of f.decls) {
    if (d.kind === "const") {
      const v = cIntValue(d.value, !fitsInt(d.value));
      out.push(assert(`${d.name} == ${v}`, `${d.name} == ${v}`));
    } else if (d.kind === "enum") out.push(...enumValueAsserts(d));
  }
  return out;
}

export function familyLayoutTest(f: FamilyModel, targets: readonly Target[]): string {
  return template("c/layout-test.c.hbs")({
    source: f.file,
    header: f.header,
    file: layoutTestPath(f).replace(/^c\//, "generated/c/"),
    targetNames: targets.map((t) => t.name).join(", "),
    constants: constantAsserts(f),
    targets: targetBlocks(f, targets).map((b) => ({ ...blockHead(b.targets), asserts: b.asserts })),
  });
}

/** Every family's layout test, keyed by its path under generated/. */
export function emitCLayoutTests(program: Program, targets: readonly Target[]): OutputFiles {
  const files: OutputFiles = new Map();
  for (const f of program.families) files.set(layoutTestPath(f), familyLayoutTest(f, targets));
  return files;
}
