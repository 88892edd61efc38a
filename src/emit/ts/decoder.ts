/**
 * Decoder generation: `dec$X$target(v: DataView, o: number, s: boolean): X` reads every field at
 * a literal offset and returns one object literal with the fields in declaration order (stable
 * shapes). The caller has done the one bounds check for the whole record.
 *
 * `s` (strict): report non-zero `@padding`/`@reserved` bytes. Union arms are decoded with
 * `s = false`: every arm overlays the same bytes, so one arm's padding is another's data.
 */
import type { RecordModel, Type } from "../../model/model.js";
import { sizeAlign } from "../../layout/layout.js";
import type { Target } from "../../targets/targets.js";
import { Body, nameSeg, Off, pathLit } from "./codegen.js";
import type { FamilyContext } from "./context.js";
import { propKey } from "./names.js";
import { scalarAccess, storedScalar } from "./scalar.js";
import { fieldShape, recordItems, shapeOf, type Item, type Shape } from "./shape.js";
import { shapeType } from "./ts-types.js";
import type { Variant } from "./variants.js";

/** A value expression plus the statements that must run before it. */
interface Read {
  readonly pre: string[];
  readonly expr: string;
}

export function decoderFunction(ctx: FamilyContext, rec: RecordModel, variant: Variant): string {
  const t = variant.target;
  const b = new Body();
  const props = decItems(ctx, b, recordItems(rec, t), t, "s");
  const name = ctx.fn("dec", rec, t);
  return `function ${name}(v: DataView, o: number, s: boolean): ${ctx.typeName(rec, false)} {\n${b.text()}\nreturn {\n${props.join(",\n")}\n};\n}\n`;
}

/** Body of the decoder of a non-record type, returning the value at `o`. */
export function valueDecoderBody(ctx: FamilyContext, type: Type, t: Target): string {
  const b = new Body();
  const r = decValue(ctx, b, shapeOf(type), Off.base("o"), [], t, "s");
  return [...r.pre, `return ${r.expr};`].join("\n");
}

/** `name: expr` entries for the items; checks and helper locals go to `b`. */
function decItems(ctx: FamilyContext, b: Body, items: readonly Item[], t: Target, strict: string): string[] {
  const props: string[] = [];
  for (const it of items) {
    if (it.kind === "union") {
      for (const arm of it.arms) props.push(...decItems(ctx, b, arm.items, t, "false"));
      continue;
    }
    const f = it.field;
    const off = Off.base("o").plus(it.offset);
    const segs = [nameSeg(it.name)];
    if (f.role !== "data" && strict !== "false") {
      const shape = fieldShape(f);
      const sc = shape.k === "scalar" ? storedScalar(shape.type) : undefined;
      const nonZero = sc && it.size === scalarAccess(sc, t).size
        ? `${read(scalarAccess(sc, t), off)} !== ${scalarAccess(sc, t).big && it.size === 8 ? "0n" : "0"}`
        : `!rt.isZero(v, ${off}, ${it.size})`;
      b.push(`if (${strict} && ${nonZero}) throw rt.decodeNonZero(${pathLit(segs)});`);
    }
    const r = decValue(ctx, b, fieldShape(f), off, segs, t, strict);
    b.push(...r.pre);
    props.push(`${propKey(it.name)}: ${r.expr}`);
  }
  return props;
}

function read(a: ReturnType<typeof scalarAccess>, off: Off): string {
  if (a.size === 1) return `v.get${a.method}(${off})`;
  return `v.get${a.method}(${off}, ${a.littleEndian})`;
}

/** Arrays up to this many elements are read as one array literal, longer ones in a loop. */
const UNROLL = 16;

function decValue(ctx: FamilyContext, b: Body, shape: Shape, off: Off, segs: string[], t: Target, strict: string): Read {
  switch (shape.k) {
    case "scalar": {
      const a = scalarAccess(storedScalar(shape.type)!, t);
      const r = read(a, off);
      return { pre: [], expr: a.big && a.size === 4 ? `BigInt(${r})` : r };
    }
    case "string":
      return { pre: [], expr: `rt.readString(v, ${off}, ${shape.length})` };
    case "bytes":
      return { pre: [], expr: `rt.readBytes(v, ${off}, ${shape.length})` };
    case "flex":
      return { pre: [], expr: "undefined as never" };
    case "record": {
      const call = `${ctx.fn("dec", shape.rec, t)}(v, ${off}, ${strict})`;
      if (strict === "false" || !mayThrow(shape.rec)) return { pre: [], expr: call };
      const r = b.tmp("r");
      return {
        pre: [
          `let ${r}: ${ctx.typeName(shape.rec, false)};`,
          `try { ${r} = ${call}; } catch (e) { throw rt.at(e, ${segs.join(", ")}); }`,
        ],
        expr: r,
      };
    }
    case "array": {
      const stride = sizeAlign(shape.element, t).size;
      const el = shapeOf(shape.element, shape.plain);
      if (shape.length <= UNROLL) {
        const reads = Array.from({ length: shape.length }, (_, k) => decValue(ctx, b, el, off.plus(k * stride), [...segs, String(k)], t, strict));
        if (reads.every((r) => r.pre.length === 0)) return { pre: [], expr: `[${reads.map((r) => r.expr).join(", ")}]` };
      }
      const i = `i${b.depth++}`;
      const arr = b.tmp("a");
      const inner = new Body();
      inner.depth = b.depth;
      const r = decValue(ctx, inner, el, off.index(i, stride), [...segs, i], t, strict);
      b.depth--;
      return {
        pre: [
          `const ${arr}: ${shapeTypeOf(ctx, shape)} = [];`,
          `for (let ${i} = 0; ${i} < ${shape.length}; ${i}++) {`,
          ...inner.lines,
          ...r.pre,
          `${arr}.push(${r.expr});`,
          "}",
        ],
        expr: arr,
      };
    }
  }
}

function shapeTypeOf(ctx: FamilyContext, shape: Shape & { k: "array" }): string {
  return shapeType(ctx, shape, false);
}

const throwsCache = new WeakMap<RecordModel, boolean>();

/** Whether a strict decode of the record can fail (padding or reserved outside unions). */
export function mayThrow(rec: RecordModel): boolean {
  const known = throwsCache.get(rec);
  if (known !== undefined) return known;
  throwsCache.set(rec, false);
  const typeThrows = (type: Type): boolean =>
    type.kind === "array" ? typeThrows(type.element) : type.kind === "record" ? mayThrow(type.decl) : false;
  const result =
    rec.record === "struct" &&
    rec.fields.some((f) => f.role !== "data" || (f.name === undefined && f.type.kind === "record" ? mayThrow(f.type.decl) : typeThrows(f.type)));
  throwsCache.set(rec, result);
  return result;
}

