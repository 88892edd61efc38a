/**
 * Enums and flags: the base type (ABI043), member values (auto-increment, next free bit,
 * `@bit_index`, `@sentinel`) and their checks (ABI040, ABI041, ABI042).
 *
 * Members are evaluated one at a time, on demand, so a member may use earlier members of its own
 * enum (`B = A + 1`) without that looking like a cycle.
 */
import type { EnumDecl, EnumMember, FileNode } from "../syntax/ast.js";
import type { EnumMemberModel, EnumModel, Scalar } from "./model.js";
import type { BuildContext, Ref, Site } from "./context.js";
import { fmtRange, fmtValue, portableRange } from "./context.js";
import type { Sym } from "./resolve.js";
import { checkAttributes, declSite } from "./attributes.js";
import { evaluate } from "./consteval.js";
import { resolveType } from "./types.js";
import { SCALARS } from "./scalars.js";

const FIXED_INTEGERS = new Set(["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"]);

interface MemberValue {
  readonly value: bigint;
  readonly mask?: bigint;
}

/** Per-enum facts every member needs; computed once. */
interface EnumInfo {
  readonly site: Site;
  readonly base: Scalar;
  readonly bitIndex: boolean;
}

function infoOf(cx: BuildContext, decl: EnumDecl, file: FileNode): EnumInfo {
  const infos = cx.table<EnumDecl, EnumInfo>("enum-info");
  let info = infos.get(decl);
  if (info) return info;
  const attrs = checkAttributes(cx, file, decl.attrs, decl.flavor === "flags" ? "flags" : "enum");
  const site = declSite(cx, file, decl);
  info = { site, base: SCALARS.get("u32")!, bitIndex: decl.flavor === "flags" && attrs.has("bit_index") };
  infos.set(decl, info); // before resolving the base: the base cannot depend on the enum's members
  if (decl.base) {
    const t = resolveType(cx, decl.base, site);
    const sc = t?.kind === "scalar" ? t.scalar : undefined;
    if (sc && FIXED_INTEGERS.has(sc.name)) {
      info = { ...info, base: sc };
      infos.set(decl, info);
    } else if (t) {
      cx.report("ABI043", file, decl.base.span, {
        message: `the base type of ${decl.flavor} ${decl.name.name} must be a fixed-size integer, not ${describeType(t)}`,
        hint: "use one of u8, u16, u32, u64, s8, s16, s32, s64 (byte-order and arch-dependent types are not allowed)",
      });
    }
  }
  return info;
}

function describeType(t: NonNullable<ReturnType<typeof resolveType>>): string {
  switch (t.kind) {
    case "scalar": return t.alias ? `${t.alias} (${t.scalar.name})` : t.scalar.name;
    case "enum": return `${t.decl.flavor} ${t.decl.name}`;
    case "record": return `${t.decl.record} ${t.decl.name}`;
    case "array": return "an array";
  }
}

/** The value of one member (from a name in an expression). */
export function memberOf(cx: BuildContext, sym: Extract<Sym, { kind: "member" }>, ref: Ref | undefined): MemberValue | undefined {
  return memberValue(cx, sym.decl, sym.file, sym.index, ref);
}

function memberValue(cx: BuildContext, decl: EnumDecl, file: FileNode, index: number, ref: Ref | undefined): MemberValue | undefined {
  const member = decl.members[index];
  if (!member) return undefined;
  return cx.memo(member, member.name.name, "constant", ref, () => computeMember(cx, decl, file, index, member));
}

function isSentinel(m: EnumMember): boolean {
  return m.attrs?.some((a) => a.name?.name === "sentinel") ?? false;
}

function computeMember(cx: BuildContext, decl: EnumDecl, file: FileNode, index: number, member: EnumMember): MemberValue | undefined {
  const info = infoOf(cx, decl, file);
  const { base, bitIndex } = info;
  const sentinel = isSentinel(member);
  const range = portableRange(base);
  const width = BigInt(typeof base.size === "number" ? base.size * 8 : 32);
  const span = member.value?.span ?? member.name.span;
  let v: bigint | undefined;
  if (member.value) {
    v = evaluate(cx, member.value, info.site, base);
  } else if (decl.flavor === "flags" && !bitIndex) {
    // Next free bit: just above the highest bit any earlier member uses.
    let used = 0n;
    for (let i = 0; i < index; i++) used |= memberValue(cx, decl, file, i, undefined)?.mask ?? 0n;
    let bit = 0n;
    while (used > 0n && used >> bit !== 0n) bit++;
    v = 1n << bit;
  } else if (index === 0) {
    v = 0n;
  } else {
    const prev = memberValue(cx, decl, file, index - 1, undefined);
    v = prev === undefined ? undefined : prev.value + 1n;
  }
  if (v === undefined) return undefined;
  const name = member.name.name;
  if (bitIndex) {
    const limit = sentinel ? width : width - 1n;
    if (v < 0n || v > limit) {
      cx.report("ABI041", file, span, {
        message: `bit index ${v} of ${name} is outside 0…${limit} for base type ${base.name}`,
        hint: sentinel
          ? `a @sentinel count may be at most the width of ${base.name} (${width})`
          : `bit indexes of a ${base.name} go from 0 to ${width - 1n}; use a wider base type`,
      });
      return undefined;
    }
    return { value: v, ...(sentinel ? {} : { mask: 1n << v }) };
  }
  if (v < range.min || v > range.max) {
    cx.report("ABI040", file, span, {
      message: `value ${fmtValue(v)} of ${name} does not fit the base type ${base.name} (${fmtRange(range)})`,
      hint: v < 0n && !base.signed
        ? `negative values need a signed base type (${decl.flavor} ${decl.name.name}: s32)`
        : `change the value or declare a wider base type (${decl.flavor} ${decl.name.name}: ${base.signed ? "s64" : "u64"})`,
    });
    return undefined;
  }
  return decl.flavor === "flags" && !sentinel ? { value: v, mask: v } : { value: v };
}

export function enumOf(cx: BuildContext, sym: Extract<Sym, { kind: "enum" }>, ref: Ref | undefined): EnumModel | undefined {
  return cx.memo(sym.decl, sym.name, "type", ref, () => buildEnum(cx, sym.decl, sym.file));
}

function buildEnum(cx: BuildContext, decl: EnumDecl, file: FileNode): EnumModel {
  const info = infoOf(cx, decl, file);
  const members: EnumMemberModel[] = [];
  const byValue = new Map<bigint, EnumMember>();
  for (const [i, m] of (decl.members ?? []).entries()) {
    const mattrs = checkAttributes(cx, file, m.attrs, "member");
    const sentinel = mattrs.has("sentinel");
    // Duplicate member names are caught by the global namespace (C enum constants are global).
    const mv = memberValue(cx, decl, file, i, undefined);
    if (mv && !sentinel) {
      const other = byValue.get(mv.value);
      if (other) {
        cx.warn("ABI042", info.site, m.span, {
          message: `${m.name.name} has the same value (${fmtValue(mv.value)}) as ${other.name.name}`,
          hint: `give it its own value, or acknowledge a deliberate alias with @allow(ABI042, "reason") on ${decl.name.name}`,
          related: [{ message: `${other.name.name} is declared here`, loc: cx.rep.loc(file, other.span) }],
        });
      } else {
        byValue.set(mv.value, m);
      }
    }
    members.push({
      name: m.name.name, value: mv?.value ?? 0n, sentinel, loc: cx.rep.loc(file, m.span),
      ...(m.value ? { expr: m.value } : {}),
      ...(mv?.mask !== undefined ? { mask: mv.mask } : {}),
      ...(m.doc ? { doc: m.doc.text } : {}),
    });
  }
  return {
    kind: "enum", name: decl.name.name, family: info.site.family, loc: cx.rep.loc(file, decl.span),
    allow: info.site.allow, flavor: decl.flavor, bitIndex: info.bitIndex, base: info.base, members,
    ...(decl.doc ? { doc: decl.doc.text } : {}),
  };
}
