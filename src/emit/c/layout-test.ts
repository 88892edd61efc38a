/**
 * `c/test/<family>_layout.c`: the companion of each generated header that lets anyone check it
 * with their own compiler. It includes the header and asserts with C11 _Static_assert what abigen
 * computed: every record's size and alignment, the offset and size of every member along nested
 * paths (`expects[1].blocks[2].rules[3].len`), and every ioctl number. A check whose value is the
 * same on every target is stated once; the others go in one block per group of targets with the
 * same values (selected by the compiler's predefined macros, target-macros.ts). Constants and
 * enum values are asserted once too: their C spelling (c-expr.ts) must keep the value.
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
import { emitFamilies, type FamilyEmitter, type OutputFiles } from "../output.js";
import { cIntValue, fitsInt } from "./c-int.js";
import { exactCondition } from "./target-macros.js";
import { template } from "./templates.js";

/** Where a family's layout test goes under generated/. */
export function layoutTestPath(f: FamilyModel): string {
  return `c/test/${f.name}_layout.c`;
}

/**
 * One check: `ABIGEN_EQ(expr, value);`. The file defines ABIGEN_EQ as a _Static_assert whose
 * message the preprocessor spells from the same tokens (`#expr " == " #value`), so the message
 * a failing compiler prints is the condition, without writing every condition twice.
 */
function check(expr: string, value: number | bigint | string): string {
  return `ABIGEN_EQ(${expr}, ${value});`;
}

/**
 * Where the size, alignment and member asserts go. Their expressions depend on the family alone
 * (a record has the same fields on every target), only the values depend on the target: so the
 * expressions are built once per family and the values once per data model.
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

/** Keeps the expressions only (the same on every target). */
class ExprSink implements Sink {
  readonly out: string[] = [];
  size(root: string): void {
    this.out.push(`sizeof(${root})`);
  }
  align(root: string): void {
    this.out.push(`_Alignof(${root})`);
  }
  offset(root: string, path: string): void {
    this.out.push(`offsetof(${root}, ${path})`);
  }
  memberSize(root: string, path: string): void {
    this.out.push(`sizeof(((${root} *)0)->${path})`);
  }
  memberAlign(root: string, path: string): void {
    this.out.push(`_Alignof(__typeof__(((${root} *)0)->${path}))`);
  }
}

/** Keeps the values only, in the same order as ExprSink's expressions. */
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

interface Block {
  readonly targets: Target[];
  readonly asserts: string[];
}

/**
 * Every size, alignment, offset and ioctl-number check of the family, split in two: the checks
 * whose value is the same on every target, stated once (`common`), and one block per group of
 * targets with the same values for the rest (in the order of each group's first target). A
 * family laid out alike everywhere is then mostly `common`, its blocks only the alignments and
 * numbers that do differ; every target's compiler still checks every value.
 */
function targetChecks(f: FamilyModel, targets: readonly Target[]): { common: string[]; blocks: Block[] } {
  const exprSink = new ExprSink();
  if (targets.length > 0) layoutAsserts(f, targets[0]!, exprSink);
  const ioctls = declsOf(f, "ioctl");
  const exprs = [...exprSink.out, ...ioctls.map((io) => io.name)];
  // Layout values depend only on the target's data model: computed once per model.
  const byModel = new Map<string, number[]>();
  const values = targets.map((t): (number | string)[] => {
    const model = dataModelKey(t);
    let layout = byModel.get(model);
    if (layout === undefined) {
      const sink = new ValueSink();
      layoutAsserts(f, t, sink);
      byModel.set(model, (layout = sink.values));
    }
    return [...layout, ...ioctls.map((io) => `${hex32(ioctlNumber(io, t))}u`)];
  });
  const first = values[0] ?? [];
  const varies = exprs.map((_, i) => values.some((v) => v[i] !== first[i]));
  const common = exprs.flatMap((e, i) => (varies[i] ? [] : [check(e, first[i]!)]));
  const differing = exprs.flatMap((_, i) => (varies[i] ? [i] : []));
  const groups = new Map<string, Block>();
  targets.forEach((t, ti) => {
    const v = values[ti]!;
    const key = differing.map((i) => v[i]).join(",");
    const g = groups.get(key);
    if (g) g.targets.push(t);
    else groups.set(key, { targets: [t], asserts: differing.map((i) => check(exprs[i]!, v[i]!)) });
  });
  return { common, blocks: [...groups.values()] };
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
  return e.members.map((m) => check(m.name, cIntValue(m.value, e.flavor === "flags")));
}

function constantAsserts(f: FamilyModel): string[] {
  const out: string[] = [];
  for (const d of f.decls) {
    if (d.kind === "const") out.push(check(d.name, cIntValue(d.value, !fitsInt(d.value))));
    else if (d.kind === "enum") out.push(...enumValueAsserts(d));
  }
  return out;
}

export function familyLayoutTest(f: FamilyModel, targets: readonly Target[]): string {
  const { common, blocks } = targetChecks(f, targets);
  // Joined here rather than iterated in the template: tens of thousands of lines per family.
  const lines = (ls: readonly string[]): string => ls.join("\n");
  return template("c/layout-test.c.hbs")({
    source: f.file,
    header: f.header,
    file: layoutTestPath(f).replace(/^c\//, "generated/c/"),
    targetNames: targets.map((t) => t.name).join(", "),
    constants: lines(constantAsserts(f)),
    common: lines(common),
    targets: blocks.map((b) => ({ ...blockHead(b.targets), asserts: lines(b.asserts) })),
  });
}

/** Every family's layout test, keyed by its path under generated/. */
export function emitCLayoutTests(program: Program, targets: readonly Target[]): OutputFiles {
  return emitFamilies(program, cLayoutTestEmitter(targets));
}

/** One family's layout test at a time. */
export function cLayoutTestEmitter(targets: readonly Target[]): FamilyEmitter {
  return (f, into) => {
    into.set(layoutTestPath(f), familyLayoutTest(f, targets));
  };
}
