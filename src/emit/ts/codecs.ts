/**
 * The exported codec of a record (or of an ioctl's non-record argument type): one `rt.Codec`
 * object per layout variant, and the export choosing the host's, with `forTarget(name)`.
 */
import type { RecordModel, Type } from "../../model/model.js";
import { sizeAlign } from "../../layout/layout.js";
import { SLAB_MAX } from "../../runtime/codec.js";
import type { FamilyContext } from "./context.js";
import { fnName } from "./context.js";
import { decoderFunction, valueDecoderBody } from "./decoder.js";
import { describeRecord, encoderFunction, encoderParams, valueEncoderBody } from "./encoder.js";
import { propKey, targetSuffix } from "./names.js";
import { render } from "./templates.js";
import { valueType } from "./ts-types.js";
import { variantsOf, type Variant } from "./variants.js";

interface CodecSpec {
  /** Exported name (also the TS type's name for records). */
  readonly name: string;
  readonly cname: string;
  readonly what: string;
  readonly type: string;
  readonly input: string;
  readonly variants: readonly Variant[];
  readonly typeOfCodec: Type;
  readonly fnBase: string;
  readonly doc: string;
}

/** One codec object per distinct (function variant, size, alignment); targets map onto them. */
function renderCodec(ctx: FamilyContext, spec: CodecSpec): string {
  const objects = new Map<string, { const: string; variant: Variant; size: number; align: number; targets: string[] }>();
  const byTarget = ctx.targets.map((t) => {
    const variant = spec.variants.find((v) => v.targets.includes(t))!;
    const sa = sizeAlign(spec.typeOfCodec, t);
    const key = `${variant.id}/${sa.size}/${sa.align}`;
    let obj = objects.get(key);
    if (!obj) objects.set(key, (obj = { const: `${spec.name}$${targetSuffix(t.name)}`, variant, size: sa.size, align: sa.align, targets: [] }));
    obj.targets.push(t.name);
    return { target: propKey(t.name), const: obj.const };
  });
  // Targets that differ from an earlier object only in alignment reuse its methods.
  const firstOfVariant = new Map<string, string>();
  const variants = [...objects.values()].map((o) => {
    const base = firstOfVariant.get(`${o.variant.id}/${o.size}`);
    if (base === undefined) firstOfVariant.set(`${o.variant.id}/${o.size}`, o.const);
    return {
      const: o.const,
      base: base ?? "",
      targets: JSON.stringify(o.targets),
      size: o.size,
      align: o.align,
      // Small results come from the runtime's slab (rt.Slab).
      slab: o.size < SLAB_MAX,
      enc: fnName("enc", spec.fnBase, o.variant.id),
      explain: fnName("explain", spec.fnBase, o.variant.id),
      dec: fnName("dec", spec.fnBase, o.variant.id),
    };
  });
  return render("codec", {
    ...spec,
    cname: JSON.stringify(spec.cname),
    what: JSON.stringify(spec.what),
    variants,
    byTarget,
  });
}

/** The codec export of a record: `export const UvirtioSetup: rt.TargetCodec<…> = …`. */
export function recordCodec(ctx: FamilyContext, rec: RecordModel, doc: string): string {
  const name = ctx.recordIdent(rec);
  ctx.need(rec);
  return renderCodec(ctx, {
    name,
    cname: rec.name,
    what: describeRecord(rec),
    type: ctx.typeName(rec, false),
    input: ctx.typeName(rec, true),
    variants: ctx.variants(rec),
    typeOfCodec: { kind: "record", decl: rec },
    fnBase: name,
    doc,
  });
}

/** Encoder and decoder functions of every variant of a record. */
export function recordFunctions(ctx: FamilyContext, rec: RecordModel): string {
  return ctx.variants(rec).map((v) => encoderFunction(ctx, rec, v) + "\n" + decoderFunction(ctx, rec, v)).join("\n");
}

/**
 * A codec for a non-record type (`int` of FIONREAD, `u32[4]`): the value itself is encoded.
 * Returns the codec export and its functions.
 */
export function valueCodec(ctx: FamilyContext, name: string, cname: string, type: Type, doc: string): { codec: string; functions: string } {
  const variants = variantsOf(type, ctx.targets);
  const ts = valueType(ctx, type, false);
  const tsIn = valueType(ctx, type, true);
  const functions = variants
    .map((v) =>
      [
        `function ${fnName("enc", name, v.id)}(${encoderParams(tsIn, true)}): boolean {\n${valueEncoderBody(ctx, type, v.target, true)}\n}`,
        `function ${fnName("explain", name, v.id)}(${encoderParams(tsIn, false)}): void {\n${valueEncoderBody(ctx, type, v.target, false)}\n}`,
        `function ${fnName("dec", name, v.id)}(v: DataView, o: number, s: boolean): ${ts} {\nvoid s;\n${valueDecoderBody(ctx, type, v.target)}\n}`,
      ].join("\n\n"),
    )
    .join("\n\n");
  const codec = renderCodec(ctx, {
    name, cname, what: cname, type: ts, input: tsIn, variants, typeOfCodec: type, fnBase: name, doc,
  });
  return { codec, functions };
}
