/**
 * Encoder generation: one straight-line function per record and layout variant,
 * `enc$X$target(v: DataView, o: number, x: XInput, u: rt.Words64)`. Literal offsets from `o`,
 * literal `littleEndian`, a range check before every write, loops only over arrays, nested
 * records through their own function. Little-endian 64-bit fields at an 8-aligned offset are
 * stored through `u`, the buffer's 64-bit words, when the caller has them (the slab does; see
 * rt.Words64 for why), else through the DataView. Bytes no member covers (and union bytes the
 * chosen arm does not) are written as zero so `encodeInto` a dirty buffer gives the same bytes
 * as `encode`.
 *
 * Two functions per record and variant, generated from the same walk:
 * - `enc$X$v` (runs on every encode) checks everything but on a failed check just returns
 *   false: no error construction, no try/catch, no path, so V8 keeps it small and inlines it.
 * - `explain$X$v` (runs only after `enc` returned false) is the same code with checks that
 *   throw the exact error: the path inside this record (`["rules", i0]`), each nested call site
 *   prefixing its own segment on the way out (`rt.at`). It re-encodes from the start and stops at
 *   the same first failing check, so the bytes written before an error are the same too.
 */
import type { FieldModel, RecordModel } from "../../model/model.js";
import { sizeAlign } from "../../layout/layout.js";
import type { Target } from "../../targets/targets.js";
import type { Type } from "../../model/model.js";
import { Body, nameSeg, Off, pathLit } from "./codegen.js";
import { checksOf, scalarChecks, type FieldChecks } from "./checks.js";
import type { FamilyContext } from "./context.js";
import { propAccess } from "./names.js";
import { scalarAccess, storedScalar, type ScalarAccess } from "./scalar.js";
import { fieldShape, recordItems, shapeOf, type Item, type Shape, type UnionItem } from "./shape.js";
import type { Variant } from "./variants.js";

export function describeRecord(rec: RecordModel): string {
  return `${rec.record} ${rec.name}`;
}

/** The encoder function of a record on one variant. */
export function encoderFunction(ctx: FamilyContext, rec: RecordModel, variant: Variant): string {
  const t = variant.target;
  const input = ctx.typeName(rec, true);
  return [true, false]
    .map((fast) => {
      const b = new Body(fast);
      b.push(`if (typeof x !== "object" || x === null) ${b.fail(`rt.objectError([], x, ${JSON.stringify(describeRecord(rec))})`)}`);
      const items = recordItems(rec, t);
      encItems(ctx, b, items, "x", t, false);
      zeroGaps(b, items, 0, sizeAlign({ kind: "record", decl: rec }, t).size);
      if (fast) b.push("return true;");
      const name = ctx.fn(fast ? "enc" : "explain", rec, t);
      return `function ${name}(${encoderParams(input, fast)}): ${fast ? "boolean" : "void"} {\n${b.text()}\n}\n`;
    })
    .join("\n");
}

/** Parameters of an encoder function: the fast one also takes the buffer's 64-bit words (rt.Words64). */
export function encoderParams(input: string, fast: boolean): string {
  return `v: DataView, o: number, x: ${input}${fast ? ", u: rt.Words64" : ""}`;
}

/**
 * The encoder body of a non-record type (an ioctl argument such as `int`), value `x` at `o`:
 * `fast` as for records (returns false on a failed check), else throwing.
 */
export function valueEncoderBody(ctx: FamilyContext, type: Type, t: Target, fast: boolean): string {
  const b = new Body(fast);
  encValue(ctx, b, shapeOf(type), "x", Off.base("o"), [], t, {});
  if (fast) b.push("return true;");
  return b.text();
}

function encItems(ctx: FamilyContext, b: Body, items: readonly Item[], obj: string, t: Target, inArm: boolean): void {
  for (const it of items) {
    if (it.kind === "union") {
      encUnion(ctx, b, it, obj, t);
      continue;
    }
    const f = it.field;
    const val = b.tmp("f");
    // Inside a union arm the input type makes every field optional; the arm check proved it present.
    b.push(`const ${val} = ${propAccess(obj, it.name)}${inArm && f.role === "data" ? "!" : ""};`);
    const off = Off.base("o").plus(it.offset);
    const segs = [nameSeg(it.name)];
    if (f.role === "data") encValue(ctx, b, fieldShape(f), val, off, segs, t, checksOf(f));
    else encPadding(ctx, b, f, val, off, segs, t, it.size);
  }
}

/** `@padding`/`@reserved`: absent → zero; present → encoded, then required to be zero. */
function encPadding(ctx: FamilyContext, b: Body, f: FieldModel, val: string, off: Off, segs: string[], t: Target, size: number): void {
  const shape = fieldShape(f);
  const path = pathLit(segs);
  if (shape.k === "scalar") {
    const a = scalarAccess(storedScalar(shape.type)!, t);
    const zero = a.big ? "0n" : "0";
    b.push(`if (${val} !== undefined && ${val} !== ${zero}) ${b.fail(`rt.nonZeroError(${path}, ${val})`)}`);
    b.push(write(b, a, off, a.big && a.size === 8 ? "0n" : "0"));
    return;
  }
  b.push(`if (${val} === undefined) ${zeroCall(off, size)}`, "else {");
  encValue(ctx, b, shape, val, off, segs, t, checksOf(f));
  b.push(`if (!rt.isZero(v, ${off}, ${size})) ${b.fail(`rt.nonZeroError(${path}, ${val})`)}`, "}");
}

function write(b: Body, a: ScalarAccess, off: Off, val: string): string {
  if (a.size === 1) return `v.set${a.method}(${off}, ${val});`;
  // long/ulong/ptr on a 32-bit target: a bigint in TS, 4 bytes in memory (range already checked).
  const conv = a.big && a.size === 4 ? `Number(${val})` : val;
  const viaView = `v.set${a.method}(${off}, ${conv}, ${a.littleEndian});`;
  // A little-endian 64-bit field through the buffer's words when the caller gave them and the
  // offset is 8-aligned: an inlined store instead of a builtin call (see rt.Words64).
  if (b.fast && a.size === 8 && a.littleEndian) return `if (u !== undefined && ((${off}) & 7) === 0) u[(${off}) >>> 3] = ${val}; else ${viaView}`;
  return viaView;
}

function encValue(ctx: FamilyContext, b: Body, shape: Shape, val: string, off: Off, segs: string[], t: Target, checks: FieldChecks): void {
  const path = pathLit(segs);
  switch (shape.k) {
    case "scalar": {
      const a = scalarAccess(storedScalar(shape.type)!, t);
      b.push(...scalarChecks(ctx, b, a, shape.type, checks, val, path), write(b, a, off, val));
      return;
    }
    case "string":
      b.push(
        `{ const r = rt.writeString(v, ${off}, ${shape.length}, ${val}); if (r !== undefined) ${b.fail(`new rt.EncodeError(${path}, r)`)} }`,
      );
      return;
    case "bytes":
      b.push(
        `if (!(${val} instanceof Uint8Array) || ${val}.length !== ${shape.length}) ${b.fail(`rt.bytesError(${path}, ${val}, ${shape.length})`)}`,
        `rt.writeBytes(v, ${off}, ${val});`,
      );
      return;
    case "array": {
      const stride = sizeAlign(shape.element, t).size;
      const i = `i${b.depth++}`;
      const e = b.tmp("e");
      b.push(
        `if (!Array.isArray(${val}) || ${val}.length !== ${shape.length}) ${b.fail(`rt.arrayError(${path}, ${val}, ${shape.length})`)}`,
        `for (let ${i} = 0; ${i} < ${shape.length}; ${i}++) {`,
        `const ${e} = ${val}[${i}]!;`,
      );
      encValue(ctx, b, shapeOf(shape.element, shape.plain), e, off.index(i, stride), [...segs, i], t, checks);
      b.push("}");
      b.depth--;
      return;
    }
    case "record":
      if (b.fast) b.push(`if (!${ctx.fn("enc", shape.rec, t)}(v, ${off}, ${val}, u)) return false;`);
      else b.push(`try { ${ctx.fn("explain", shape.rec, t)}(v, ${off}, ${val}); } catch (e) { throw rt.at(e, ${segs.join(", ")}); }`);
      return;
    case "flex":
      return;
  }
}

function encUnion(ctx: FamilyContext, b: Body, u: UnionItem, obj: string, t: Target): void {
  const present = u.arms.map((arm) => {
    const p = b.tmp("p");
    const cond = arm.names.map((n) => `${propAccess(obj, n)} !== undefined`).join(" || ");
    b.push(`const ${p} = ${cond === "" ? "false" : cond};`);
    return p;
  });
  const labels = u.arms.map((a) => (a.names.length === 1 ? a.names[0]! : `{${a.names.join(", ")}}`));
  b.push(
    `if (${present.map((p) => `(${p} ? 1 : 0)`).join(" + ")} !== 1) ${b.fail(`rt.unionError([], ${JSON.stringify(u.rec.name)}, ${JSON.stringify(labels)}, [${present.join(", ")}])`)}`,
  );
  u.arms.forEach((arm, i) => {
    const last = i === u.arms.length - 1;
    b.push(i === 0 ? `if (${present[i]}) {` : last ? "} else {" : `} else if (${present[i]}) {`);
    encItems(ctx, b, arm.items, obj, t, true);
    zeroGaps(b, arm.items, u.offset, u.size);
  });
  b.push("}");
}

function zeroCall(off: Off, size: number): string {
  return `rt.zero(v, ${off}, ${size});`;
}

/** Zero every byte of [start, start + size) that no item covers. */
export function zeroGaps(b: Body, items: readonly Item[], start: number, size: number): void {
  const spans = items.map((it) => [it.offset, it.offset + it.size] as const).sort((x, y) => x[0] - y[0]);
  let pos = start;
  const gap = (from: number, to: number): void => {
    if (to - from > 16) return b.push(zeroCall(Off.base("o").plus(from), to - from));
    // Widest stores first: a zero reads the same in either byte order and needs no alignment.
    for (let at = from; at < to; ) {
      const w = to - at >= 4 ? 4 : to - at >= 2 ? 2 : 1;
      b.push(`v.setUint${w * 8}(${Off.base("o").plus(at)}, 0);`);
      at += w;
    }
  };
  for (const [s, e] of spans) {
    if (s > pos) gap(pos, s);
    pos = Math.max(pos, e);
  }
  if (pos < start + size) gap(pos, start + size);
}

