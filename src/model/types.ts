/**
 * Type expressions → model types: builtin scalars, declared structs/unions/enums/flags, aliases
 * (the alias name kept on scalars), arrays with evaluated lengths (ABI030, ABI031, ABI032) and
 * anonymous inline records.
 */
import type { ArrayType as ArrayTypeExpr, TypeExpr } from "../syntax/ast.js";
import type { Scalar, Type } from "./model.js";
import { SCALARS } from "./scalars.js";
import { TARGETS } from "../targets/targets.js";
import { modelTargets, sizeAlign } from "../layout/layout.js";
import type { BuildContext, Ref, Site } from "./context.js";
import { checkAttributes, declSite } from "./attributes.js";
import type { Sym } from "./resolve.js";
import { evaluate } from "./consteval.js";
import { enumOf } from "./enums.js";
import { anonymousRecord, hasFlexibleTail, recordOf } from "./records.js";

/** Largest array length, and largest array or record size in bytes on any target. */
export const MAX_LENGTH = 1n << 24n;
export const MAX_BYTES = 16 * 1024 * 1024;

/**
 * The one Type object of a builtin scalar: types are read-only and compared by content, so every
 * `u32` field shares it (saves an object per field).
 */
const SCALAR_TYPES = new Map<Scalar, Type>();
function scalarType(scalar: Scalar): Type {
  let t = SCALAR_TYPES.get(scalar);
  if (!t) SCALAR_TYPES.set(scalar, (t = { kind: "scalar", scalar }));
  return t;
}

/** Resolve a type written at `site`; undefined when it has an error (already reported). */
export function resolveType(cx: BuildContext, te: TypeExpr | undefined, site: Site): Type | undefined {
  if (!te) return undefined;
  switch (te.kind) {
    case "NamedType": {
      const name = te.name?.name ?? "";
      const scalar = SCALARS.get(name);
      if (scalar) return scalarType(scalar);
      const sym = cx.symbols.find(te.name, site.file, "type", ["record", "enum", "alias"]);
      const ref: Ref = { file: site.file, span: te.name.span };
      if (!sym) return undefined;
      if (sym.kind === "record") {
        const decl = recordOf(cx, sym, ref);
        return decl && { kind: "record", decl };
      }
      if (sym.kind === "enum") {
        const decl = enumOf(cx, sym, ref);
        return decl && { kind: "enum", decl };
      }
      const t = aliasOf(cx, sym, ref);
      return t?.kind === "scalar" ? { kind: "scalar", scalar: t.scalar, alias: sym.name } : t;
    }
    case "InlineRecord": {
      const decl = anonymousRecord(cx, te, site);
      return decl && { kind: "record", decl };
    }
    case "ArrayType":
      return resolveArray(cx, te, site);
  }
  return undefined;
}

/** The type a `type NAME = T;` alias stands for. */
export function aliasOf(cx: BuildContext, sym: Extract<Sym, { kind: "alias" }>, ref: Ref | undefined): Type | undefined {
  return cx.memo(sym.decl, sym.name, "type", ref, () => {
    checkAttributes(cx, sym.file, sym.decl.attrs, "alias");
    return resolveType(cx, sym.decl.type, declSite(cx, sym.file, sym.decl));
  });
}

/**
 * `T[a][b]` is written left to right but means, as in C, `a` arrays of `b` T's: the first
 * dimension written is the outermost. Only that one may be flexible (`T[][4]`).
 */
function resolveArray(cx: BuildContext, te: ArrayTypeExpr, site: Site): Type | undefined {
  // The parser nests as C means it: the outermost node is the first dimension written.
  const written: ArrayTypeExpr[] = [];
  let inner: TypeExpr = te;
  while (inner.kind === "ArrayType") {
    written.push(inner);
    inner = inner.element;
  }
  const element = resolveType(cx, inner, site);
  let ok = element !== undefined;
  if (element?.kind === "record" && hasFlexibleTail(element.decl)) {
    cx.report("ABI032", site.file, inner.span, {
      message: `${element.decl.record} ${element.decl.name} ends in a flexible array member and cannot be an array element`,
      hint: "give its last member a fixed length, or make this a single member at the end of the struct",
    });
    ok = false;
  }
  const lengths: (number | null)[] = [];
  for (const [i, dim] of written.entries()) {
    if (!dim.length) {
      if (i > 0) {
        cx.report("ABI032", site.file, dim.span, {
          message: "only the first dimension of an array may be flexible ([])",
          hint: "write the length of this dimension",
        });
        ok = false;
      }
      lengths.push(null);
      continue;
    }
    const n = evaluate(cx, dim.length, site);
    if (n === undefined) {
      ok = false;
    } else if (n <= 0n) {
      cx.report("ABI030", site.file, dim.length.span, {
        message: `array length ${n} is not positive`,
        hint: "an array has at least one element; for a variable-length tail write T[] as the last member",
      });
      ok = false;
    } else if (n > MAX_LENGTH) {
      cx.report("ABI031", site.file, dim.length.span, {
        message: `array length ${n} is larger than 2^24`,
        hint: "pass large buffers by pointer (u64 @ptr(len = …)) instead of inline",
      });
      ok = false;
    }
    lengths.push(n === undefined ? 0 : Number(n));
  }
  if (!ok || !element) return undefined;
  let type: Type = element;
  for (let i = lengths.length - 1; i >= 0; i--) {
    const lengthExpr = written[i]!.length;
    type = { kind: "array", element: type, length: lengths[i]!, ...(lengthExpr ? { lengthExpr } : {}) };
  }
  // Sizes are a data-model fact: one target per model answers for all (the common case).
  const anyTooBig = modelTargets(TARGETS).some((t) => sizeAlign(type, t).size > MAX_BYTES);
  const tooBig = anyTooBig ? TARGETS.filter((t) => sizeAlign(type, t).size > MAX_BYTES) : [];
  if (tooBig.length > 0) {
    cx.report("ABI031", site.file, te.span, {
      message: `array of ${sizeAlign(type, tooBig[0]!).size} bytes on ${tooBig.map((t) => t.name).join(", ")} exceeds 16 MiB`,
      hint: "pass large buffers by pointer (u64 @ptr(len = …)) instead of inline",
    });
    return undefined;
  }
  return type;
}
