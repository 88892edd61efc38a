/**
 * Codec variants: one encoder/decoder pair per distinct layout. Two targets share a variant when
 * the type has the same size, offsets, scalar widths and byte order on both — then the generated
 * code is identical, so it is generated once. (Codec objects also differ by ALIGN; see codecs.ts.)
 */
import type { Scalar, Type } from "../../model/model.js";
import { recordLayout } from "../../layout/layout.js";
import type { Target } from "../../targets/targets.js";
import { scalarAccess, storedScalar } from "./scalar.js";
import { targetSuffix } from "./names.js";

const keys = new WeakMap<Target, WeakMap<object, string>>();
/** Scalar keys per target (scalarAccess computes ranges too: too slow to repeat per field). */
const scalarKeys = new WeakMap<Target, Map<Scalar, string>>();
/**
 * Record layout strings → short ids. A record's key names each nested record by its id instead
 * of repeating the nested key, so keys stay a few dozen characters however deep records nest
 * (spelled out, they grew with the whole tree, and building and hashing them was most of the
 * TS emitter's own time at 10k declarations). Equal ids ⇔ equal spelled-out keys, inductively.
 */
const interned = new Map<string, string>();

/** A string equal for two targets exactly when the type's generated code is the same. */
export function layoutKey(type: Type, target: Target): string {
  const sc = storedScalar(type);
  if (sc) {
    let perTarget = scalarKeys.get(target);
    if (!perTarget) scalarKeys.set(target, (perTarget = new Map()));
    let key = perTarget.get(sc);
    if (key === undefined) {
      const a = scalarAccess(sc, target);
      perTarget.set(sc, (key = `${a.method}${a.littleEndian ? "<" : ">"}${a.big ? "n" : ""}`));
    }
    return key;
  }
  if (type.kind === "array") return `${type.length ?? ""}*(${layoutKey(type.element, target)})`;
  if (type.kind !== "record") throw new Error("unreachable");
  let perTarget = keys.get(target);
  if (!perTarget) keys.set(target, (perTarget = new WeakMap()));
  const known = perTarget.get(type.decl);
  if (known !== undefined) return known;
  const l = recordLayout(type.decl, target);
  // Alignment is left out: it changes no read or write once offsets and size are known.
  const spelled = `{${l.size}:${l.fields.map((f) => `${f.offset}=${layoutKey(f.field.type, target)}`).join(",")}}`;
  let key = interned.get(spelled);
  if (key === undefined) interned.set(spelled, (key = `#${interned.size}`));
  perTarget.set(type.decl, key);
  return key;
}

export interface Variant {
  /** Identifier suffix: the first target's name. */
  readonly id: string;
  readonly targets: readonly Target[];
  /** The target whose layout the code is generated from. */
  readonly target: Target;
}

/** Targets grouped by layout, in target order. */
export function variantsOf(type: Type, targets: readonly Target[]): Variant[] {
  const byKey = new Map<string, Target[]>();
  for (const t of targets) {
    const k = layoutKey(type, t);
    const list = byKey.get(k);
    if (list) list.push(t);
    else byKey.set(k, [t]);
  }
  return [...byKey.values()].map((ts) => ({ id: targetSuffix(ts[0]!.name), targets: ts, target: ts[0]! }));
}

/** The variant a target uses. */
export function variantFor(variants: readonly Variant[], target: Target): Variant {
  const v = variants.find((x) => x.targets.includes(target));
  if (!v) throw new Error(`abigen ts emitter: no variant for target ${target.name}`);
  return v;
}
