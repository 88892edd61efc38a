/**
 * One struct/union member and its annotations: @padding/@reserved (ABI034), @ptr (ABI070),
 * @range (ABI071), @fd (ABI072), @flags/@enum (ABI073). Argument shapes were checked by
 * attributes.ts; this file checks what they mean for the field's type.
 */
import type { Field, Ident, NamedType } from "../syntax/ast.js";
import type { EnumModel, FieldModel, PtrAnnotation, RecordModel, Scalar, Type } from "./model.js";
import type { BuildContext, Site } from "./context.js";
import { fmtRange, fmtValue, integerScalar, portableRange } from "./context.js";
import { argIdent, checkAttributes, type AttrSet } from "./attributes.js";
import { evaluate } from "./consteval.js";
import { enumOf } from "./enums.js";
import { resolveType } from "./types.js";
import { didYouMean } from "./suggest.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Types a user-space address may be stored in (botching-up-ioctls: pointers as __u64). */
const PTR_SCALARS = new Set(["u64", "aligned_u64", "le64", "aligned_le64"]);

export function buildField(
  cx: BuildContext, site: Site, rec: RecordModel, field: Field, type: Type, siblings: ReadonlyMap<string, Type>,
): FieldModel {
  const attrs = checkAttributes(cx, site.file, field.attrs, "field");
  const name = field.name?.name;
  const label = name ?? "anonymous member";
  const fieldRole = role(cx, site, attrs, type, label);
  const isString = type.kind === "array" && type.element.kind === "scalar" && type.element.scalar.isChar;
  const loc = cx.rep.loc(site.file, field.span);
  // Plain literals (not conditional spreads, which build throwaway objects): same keys, same order.
  const f: Mutable<FieldModel> = name !== undefined
    ? { name, type, role: fieldRole, isString, loc }
    : { type, role: fieldRole, isString, loc };
  if (field.doc) f.doc = field.doc.text;
  if (attrs.has("ptr")) {
    const ptr = pointer(cx, site, attrs, type, label, rec, siblings);
    if (ptr) f.ptr = ptr;
  }
  if (attrs.has("fd")) {
    const fd = fdAnnotation(cx, site, attrs, type, label);
    if (fd) f.fd = fd;
  }
  const range = attrs.has("range") ? rangeOf(cx, site, attrs, integerScalar(type), `field ${label}`) : undefined;
  if (range) f.range = range;
  const values = valuesOf(cx, site, attrs, type, label);
  if (values) f.values = values;
  return f;
}

/** Integers and arrays of integers (char included) may be padding. */
function isIntegerLike(t: Type): boolean {
  if (t.kind === "array") return isIntegerLike(t.element);
  return t.kind === "scalar" && t.scalar.name !== "ptr";
}

function role(cx: BuildContext, site: Site, attrs: AttrSet, type: Type, label: string): FieldModel["role"] {
  const padding = attrs.get("padding");
  const reserved = attrs.get("reserved");
  if (padding && reserved) {
    cx.report("ABI016", site.file, reserved.span, {
      message: `${label} is marked both @padding and @reserved`,
      hint: "@padding: bytes without meaning; @reserved: zero now, may gain a meaning later. Keep one",
    });
  }
  const attr = padding ?? reserved;
  if (!attr) return "data";
  if (!isIntegerLike(type)) {
    cx.report("ABI034", site.file, attr.span, {
      message: `@${attr.name.name} field ${label} is not an integer or an array of integers`,
      hint: "declare padding and reserved space as u8[N] (or another integer type)",
    });
  }
  return padding ? "padding" : "reserved";
}

function pointer(
  cx: BuildContext, site: Site, attrs: AttrSet, type: Type, label: string, rec: RecordModel, siblings: ReadonlyMap<string, Type>,
): PtrAnnotation | undefined {
  const at = attrs.get("ptr")!;
  let ok = true;
  if (type.kind !== "scalar" || !PTR_SCALARS.has(type.scalar.name)) {
    cx.report("ABI070", site.file, at.span, {
      message: `@ptr field ${label} must be a 64-bit integer (u64, aligned_u64 or le64)`,
      hint: "store user-space addresses in a u64 so 32-bit and 64-bit processes share the layout",
    });
    ok = false;
  }
  const ptr: Mutable<PtrAnnotation> = {};
  const len = argIdent(attrs.keyed("ptr", "len")?.value);
  if (len) {
    const lenType = siblings.get(len.name);
    if (len.name === label) {
      cx.report("ABI070", site.file, len.span, {
        message: `@ptr(len = ${len.name}) names the pointer field itself`,
        hint: "name the sibling field that holds the buffer's length in bytes",
      });
      ok = false;
    } else if (!lenType) {
      cx.report("ABI070", site.file, len.span, {
        message: `@ptr(len = ${len.name}): ${rec.record} ${rec.name} has no member ${len.name}.${didYouMean(len.name, siblings.keys())}`,
        hint: "name the sibling field that holds the buffer's length in bytes",
      });
      ok = false;
    } else if (!integerScalar(lenType) || lenType.kind !== "scalar") {
      cx.report("ABI070", site.file, len.span, {
        message: `@ptr(len = ${len.name}): ${len.name} is not an integer field`,
        hint: "the length field must be an integer (u32, u64, …)",
      });
      ok = false;
    } else {
      ptr.lenField = len.name;
    }
  }
  const to = argIdent(attrs.keyed("ptr", "to")?.value);
  if (to) {
    // Resolved after every declaration: a pointer may point at its own struct (a linked list).
    const named: NamedType = { kind: "NamedType", name: to, span: to.span };
    cx.deferred.push(() => {
      const target = resolveType(cx, named, { ...site, owner: `${site.owner}.to` });
      if (target) ptr.target = target;
    });
  }
  return ok ? ptr : undefined;
}

/** Integer fields that can hold an fd: not char, not ptr, not an enum. */
function fdScalar(type: Type): Scalar | undefined {
  return type.kind === "scalar" && type.scalar.name !== "ptr" && !type.scalar.isChar ? type.scalar : undefined;
}

function fdAnnotation(cx: BuildContext, site: Site, attrs: AttrSet, type: Type, label: string): FieldModel["fd"] | undefined {
  const at = attrs.get("fd")!;
  const sc = fdScalar(type);
  if (!sc) {
    cx.report("ABI072", site.file, at.span, {
      message: `@fd field ${label} is not an integer`,
      hint: "an fd is held in an integer field (s32 or u32, as the kernel's int fd)",
    });
    return undefined;
  }
  const out: { none?: bigint; kind?: string } = {};
  const noneArg = attrs.keyed("fd", "none");
  if (noneArg && noneArg.value.kind !== "String") {
    const v = evaluate(cx, noneArg.value, site, sc);
    const r = portableRange(sc);
    if (v !== undefined && (v < r.min || v > r.max)) {
      cx.report("ABI072", site.file, noneArg.span, {
        message: `@fd(none = ${v}) is outside the range of ${sc.name} (${fmtRange(r)})`,
        hint: sc.signed ? "use a value the field can hold" : `use a signed type (s32) for none = -1, or a value the field can hold`,
      });
      return undefined;
    }
    if (v !== undefined) out.none = v;
  }
  const kind = argIdent(attrs.keyed("fd", "kind")?.value);
  if (kind) {
    const sym = cx.symbols.find(kind, site.file, "fd kind", ["fd"]);
    if (sym) out.kind = sym.name;
  }
  return out;
}

/**
 * `@range(MIN, MAX)`, `@range(min = X)`, `@range(max = X)` on an integer of type `sc` (ABI071).
 * Shared by fields and ioctl `value` clauses.
 */
export function rangeOf(
  cx: BuildContext, site: Site, attrs: AttrSet, sc: Scalar | undefined, what: string,
): { min?: bigint; max?: bigint } | undefined {
  const at = attrs.get("range");
  if (!at) return undefined;
  if (!sc) {
    cx.report("ABI071", site.file, at.span, {
      message: `@range on ${what}, which is not an integer`,
      hint: "@range applies to integer fields and values",
    });
    return undefined;
  }
  const minArg = attrs.arg("range", 0) ?? attrs.keyed("range", "min")?.value;
  const maxArg = attrs.arg("range", 1) ?? attrs.keyed("range", "max")?.value;
  const r = portableRange(sc);
  const bound = (arg: typeof minArg): bigint | undefined | null => {
    if (!arg || arg.kind === "String") return undefined;
    const v = evaluate(cx, arg, site, sc);
    if (v === undefined) return null;
    if (v < r.min || v > r.max) {
      cx.report("ABI071", site.file, arg.span, {
        message: `@range bound ${fmtValue(v)} is outside the range of ${sc.name} (${fmtRange(r)}) in ${what}`,
        hint: "a bound the type cannot hold is meaningless; drop it or use a wider type",
      });
      return null;
    }
    return v;
  };
  const min = bound(minArg);
  const max = bound(maxArg);
  if (min === null || max === null) return undefined;
  if (min !== undefined && max !== undefined && min > max) {
    cx.report("ABI071", site.file, at.span, {
      message: `@range(${min}, ${max}) is empty: the minimum is larger than the maximum`,
      hint: "swap the bounds",
    });
    return undefined;
  }
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

/** `@flags(F)` / `@enum(E)`: F must be flags, E an enum, and every value must fit the field (ABI073). */
function valuesOf(cx: BuildContext, site: Site, attrs: AttrSet, type: Type, label: string): EnumModel | undefined {
  const which = attrs.has("flags") ? "flags" : attrs.has("enum") ? "enum" : undefined;
  if (!which) return undefined;
  if (attrs.has("flags") && attrs.has("enum")) {
    cx.report("ABI073", site.file, attrs.get("enum")!.span, {
      message: `${label} is marked both @flags and @enum`,
      hint: "a field holds either bits of a flags type or a value of an enum; keep one",
    });
    return undefined;
  }
  const ident: Ident | undefined = argIdent(attrs.arg(which, 0));
  if (!ident) return undefined;
  const sym = cx.symbols.find(ident, site.file, which === "flags" ? "flags type" : "enum",
    ["enum", "const", "member", "record", "alias", "fd", "ioctl", "protocol"]);
  if (!sym) return undefined;
  if (sym.kind !== "enum" || sym.decl.flavor !== which) {
    const is = sym.kind === "enum" ? `${sym.decl.flavor === "flags" ? "a flags type" : "an enum"}` : `not ${which === "flags" ? "a flags type" : "an enum"}`;
    cx.report("ABI073", site.file, ident.span, {
      message: `@${which}(${ident.name}): ${ident.name} is ${is}`,
      hint: which === "flags" ? "name a `flags` declaration (or use @enum for an enum)" : "name an `enum` declaration (or use @flags for flags)",
    });
    return undefined;
  }
  const model = enumOf(cx, sym, { file: site.file, span: ident.span });
  if (!model) return undefined;
  const sc = integerScalar(type);
  if (!sc || sc.isChar) {
    cx.report("ABI073", site.file, ident.span, {
      message: `@${which} field ${label} is not an integer`,
      hint: `store ${which} values in an integer field such as ${model.base.name}`,
    });
    return undefined;
  }
  const r = portableRange(sc);
  const members = model.members.filter((m) => !m.sentinel);
  const offender = which === "flags"
    ? (() => {
        const all = members.reduce((acc, m) => acc | (m.mask ?? 0n), 0n);
        return all < r.min || all > r.max ? `together its bits make ${fmtValue(all)}, which is` : undefined;
      })()
    : (() => {
        const m = members.find((x) => x.value < r.min || x.value > r.max);
        return m && `${m.name} = ${fmtValue(m.value)} is`;
      })();
  if (offender) {
    cx.report("ABI073", site.file, ident.span, {
      message: `${which} ${model.name} does not fit field ${label} of type ${sc.name}: ${offender} outside ${fmtRange(r)}`,
      hint: `widen the field (${model.name}'s base type is ${model.base.name}) or drop the values that do not fit`,
    });
    return undefined;
  }
  return model;
}
