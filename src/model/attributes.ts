/**
 * Which attributes exist, where each may be written and what arguments it takes (ABI016), and
 * `@allow(CODE, "reason")` (ABI090). The meaning of each attribute is checked where it applies
 * (records, fields, enums, …); this file only checks the shape.
 */
import type { Attribute, AttrArg, Expr, FileNode, Ident, StringLit } from "../syntax/ast.js";
import { CODES, isCode } from "../diagnostics/codes.js";
import type { BuildContext, Site } from "./context.js";
import { didYouMean } from "./suggest.js";

export type Place =
  | "family" | "const" | "enum" | "flags" | "member" | "record" | "inline" | "field" | "alias" | "fd"
  | "ioctl" | "value" | "protocol" | "message" | "command";

type ArgKind = "expr" | "string" | "name";

interface AttrSpec {
  readonly places: readonly Place[];
  /** Positional arguments, exactly this many of these kinds. */
  readonly positional?: readonly ArgKind[];
  /** `key = value` arguments, each optional; at least one when `needKey`. */
  readonly keys?: Readonly<Record<string, ArgKind>>;
  /** Either the positional form or the keyed form (@range). */
  readonly either?: boolean;
  readonly what: string;
}

const DECLS: readonly Place[] = ["const", "enum", "flags", "record", "alias", "fd", "ioctl", "protocol"];

const SPECS: Readonly<Record<string, AttrSpec>> = {
  license: { places: ["family"], positional: ["string"], what: "@license(\"SPDX expression\")" },
  allow: { places: DECLS, what: "@allow(CODE, \"reason\")" },
  bit_index: { places: ["flags"], what: "@bit_index (flags whose values are bit numbers)" },
  sentinel: { places: ["member"], what: "@sentinel (a count or limit member)" },
  packed: { places: ["record", "inline"], what: "@packed" },
  aligned: { places: ["record", "inline"], positional: ["expr"], what: "@aligned(N)" },
  padding: { places: ["field"], what: "@padding" },
  reserved: { places: ["field"], what: "@reserved" },
  ptr: { places: ["field"], keys: { len: "name", to: "name" }, what: "@ptr, @ptr(len = FIELD, to = TYPE)" },
  fd: { places: ["field"], keys: { none: "expr", kind: "name" }, what: "@fd, @fd(none = -1, kind = K)" },
  range: {
    places: ["field", "value"], positional: ["expr", "expr"], keys: { min: "expr", max: "expr" }, either: true,
    what: "@range(MIN, MAX), @range(min = X) or @range(max = X)",
  },
  flags: { places: ["field"], positional: ["name"], what: "@flags(FLAGS_TYPE)" },
  enum: { places: ["field"], positional: ["name"], what: "@enum(ENUM_TYPE)" },
  mmap: { places: ["fd"], positional: ["name"], what: "@mmap(STRUCT)" },
  max_len: { places: ["protocol"], positional: ["expr"], what: "@max_len(N)" },
};

const PLACE_NAMES: Record<Place, string> = {
  family: "a family", const: "a constant", enum: "an enum", flags: "a flags type", member: "an enum member",
  record: "a struct or union", inline: "an inline struct or union", field: "a field", alias: "a type alias",
  fd: "an fd kind", ioctl: "an ioctl", value: "a value clause", protocol: "a protocol",
  message: "a protocol message", command: "a protocol command",
};

/** The well-formed attributes of one attribute list, by name. */
export class AttrSet {
  constructor(private readonly byName: ReadonlyMap<string, Attribute>) {}

  has(name: string): boolean {
    return this.byName.has(name);
  }
  get(name: string): Attribute | undefined {
    return this.byName.get(name);
  }
  arg(name: string, index: number): Expr | StringLit | undefined {
    return this.byName.get(name)?.args.filter((a) => !a.key)[index]?.value;
  }
  keyed(name: string, key: string): AttrArg | undefined {
    return this.byName.get(name)?.args.find((a) => a.key?.name === key);
  }
}

const NO_ATTRS = new AttrSet(new Map());

/** Check names, places and argument shapes (ABI016); the result holds only the good ones. */
export function checkAttributes(cx: BuildContext, file: FileNode, attrs: readonly Attribute[] | undefined, place: Place): AttrSet {
  if (!attrs || attrs.length === 0) return NO_ATTRS; // most fields: nothing to check or allocate
  const good = new Map<string, Attribute>();
  const seen = new Set<string>();
  for (const attr of attrs ?? []) {
    const name = attr.name?.name ?? "";
    const spec = SPECS[name];
    if (!spec) {
      cx.report("ABI016", file, attr.span, {
        message: `unknown attribute @${name}.${didYouMean(name, Object.keys(SPECS))}`,
        hint: `attributes allowed on ${PLACE_NAMES[place]}: ${allowedOn(place)}`,
      });
      continue;
    }
    if (!spec.places.includes(place)) {
      cx.report("ABI016", file, attr.span, {
        message: `@${name} is not allowed on ${PLACE_NAMES[place]}`,
        hint: `@${name} applies to ${spec.places.map((p) => PLACE_NAMES[p]).join(", ")}; ` +
          `attributes allowed here: ${allowedOn(place)}`,
      });
      continue;
    }
    if (name === "allow") continue; // checked by allowances() (ABI090)
    if (seen.has(name)) {
      cx.report("ABI016", file, attr.span, {
        message: `@${name} is given twice`,
        hint: "remove one of them",
      });
      continue;
    }
    seen.add(name);
    const problem = argProblem(attr, spec);
    if (problem) {
      cx.report("ABI016", file, attr.span, { message: `bad arguments to @${name}: ${problem}`, hint: `write ${spec.what}` });
      continue;
    }
    good.set(name, attr);
  }
  return new AttrSet(good);
}

function allowedOn(place: Place): string {
  const names = Object.entries(SPECS).filter(([, s]) => s.places.includes(place)).map(([n]) => `@${n}`);
  return names.length ? names.join(", ") : "none";
}

function kindProblem(arg: AttrArg, kind: ArgKind): string | undefined {
  const v = arg.value;
  if (kind === "string") return v.kind === "String" ? undefined : "expected a string";
  if (v.kind === "String") return "expected a constant expression, not a string";
  if (kind === "name" && v.kind !== "Name") return "expected a name";
  return undefined;
}

function argProblem(attr: Attribute, spec: AttrSpec): string | undefined {
  const positional = attr.args.filter((a) => !a.key);
  const keyed = attr.args.filter((a) => a.key);
  const wantPos = spec.positional ?? [];
  if (spec.either && positional.length > 0 && keyed.length > 0) return "use either positional or key = value arguments, not both";
  const keyedForm = spec.either ? keyed.length > 0 || positional.length === 0 : true;
  if (!spec.either || !keyedForm) {
    if (positional.length !== wantPos.length) {
      return wantPos.length === 0
        ? "takes no positional arguments"
        : `expected ${wantPos.length} argument${wantPos.length === 1 ? "" : "s"}, got ${positional.length}`;
    }
    for (const [i, a] of positional.entries()) {
      const p = kindProblem(a, wantPos[i]!);
      if (p) return p;
    }
  }
  if (spec.either && keyedForm && keyed.length === 0) return "give a range: (MIN, MAX), min = X or max = X";
  const keys = new Set<string>();
  for (const a of keyed) {
    const key = a.key!.name;
    const kind = spec.keys?.[key];
    if (!kind) {
      const known = Object.keys(spec.keys ?? {});
      return known.length ? `unknown key ${key} (known: ${known.join(", ")})` : `takes no ${key} = argument`;
    }
    if (keys.has(key)) return `${key} is given twice`;
    keys.add(key);
    const p = kindProblem(a, kind);
    if (p) return `${key}: ${p}`;
  }
  return undefined;
}

/** `@allow(CODE, "reason")` attributes of a declaration as a map code → reason (ABI090). */
export function allowances(cx: BuildContext, file: FileNode, attrs: readonly Attribute[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const attr of attrs ?? []) {
    if (attr.name?.name !== "allow") continue;
    const [codeArg, reasonArg, ...extra] = attr.args;
    const code = codeArg && !codeArg.key && codeArg.value.kind === "Name" ? codeArg.value.name : undefined;
    const bad = (message: string, hint: string): void => cx.report("ABI090", file, attr.span, { message, hint });
    if (!code) {
      bad("@allow needs the code of a warning as its first argument", "write @allow(ABI0xx, \"why this is fine\")");
      continue;
    }
    if (!isCode(code.name)) {
      bad(`@allow names an unknown code ${code.name}.${didYouMean(code.name, Object.keys(CODES))}`,
        "name the code of the warning to allow, as printed in the warning (ABI0xx)");
      continue;
    }
    if (CODES[code.name].severity !== "warning") {
      bad(`${code.name} is an ${CODES[code.name].severity}, and only warnings can be allowed`,
        "fix the problem instead; errors cannot be suppressed");
      continue;
    }
    if (!reasonArg || reasonArg.key || reasonArg.value.kind !== "String" || !reasonArg.value.value.trim()) {
      bad(`@allow(${code.name}) needs a reason`, `write @allow(${code.name}, "why this is fine"): the reason is shown with the suppressed warning`);
      continue;
    }
    if (extra.length > 0) {
      bad("@allow takes exactly two arguments", `write @allow(${code.name}, "reason")`);
      continue;
    }
    out.set(code.name, reasonArg.value.value);
  }
  return out;
}

/** The name an attribute argument spells, if it is a bare name. */
export function argIdent(v: Expr | StringLit | undefined): Ident | undefined {
  return v?.kind === "Name" ? v.name : undefined;
}

/**
 * The site of a declaration: its file, family and `@allow` map. Computed once per declaration,
 * so ABI090 is reported once however often the declaration is consulted.
 */
export function declSite(cx: BuildContext, file: FileNode, decl: { readonly name: Ident; readonly attrs: readonly Attribute[] }): Site {
  const sites = cx.table<object, Site>("decl-site");
  let site = sites.get(decl);
  if (!site) {
    site = { file, family: cx.familyOf.get(file) ?? "", owner: decl.name?.name ?? "", allow: allowances(cx, file, decl.attrs) };
    sites.set(decl, site);
  }
  return site;
}
