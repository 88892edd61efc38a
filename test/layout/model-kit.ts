/**
 * Building checked-model objects by hand, for layout and rule tests that must not depend on the
 * parser and model builder. Every declaration and field gets its own Source named after it, so a
 * test can tell where a diagnostic points (`d.loc.source.name === "field mix.c"`).
 */
import type {
  ArrayType, DeclModel, EnumModel, FieldModel, IoctlModel, Program, RecordModel, RecordType, ScalarName, ScalarType, Type,
} from "../../src/model/model.js";
import type { IoctlDir } from "../../src/syntax/ast.js";
import { SCALARS } from "../../src/model/scalars.js";
import { Source, type Loc } from "../../src/syntax/source.js";

export function locFor(what: string): Loc {
  const source = new Source(what, what);
  return { source, start: 0, end: what.length };
}

export function sc(name: ScalarName): ScalarType {
  const scalar = SCALARS.get(name);
  if (!scalar) throw new Error(`no scalar ${name}`);
  return { kind: "scalar", scalar };
}

/** `T[n]`; `arr(T, n, m)` is C's `T[n][m]`; `null` is a flexible array member. */
export function arr(element: Type, ...lengths: (number | null)[]): ArrayType {
  const [first, ...rest] = lengths;
  if (first === undefined) throw new Error("arr needs a length");
  return { kind: "array", element: rest.length ? arr(element, ...rest) : element, length: first };
}

export function ref(decl: RecordModel): RecordType {
  return { kind: "record", decl };
}

export type FieldSpec = [name: string | undefined, type: Type, role?: FieldModel["role"]];

export interface RecordOptions {
  packed?: boolean;
  aligned?: number;
  union?: boolean;
  allow?: Record<string, string>;
}

const FAMILY = "kit";

function fields(owner: string, specs: readonly FieldSpec[]): FieldModel[] {
  return specs.map(([name, type, role]) => ({
    name, type, role: role ?? "data", isString: false, loc: locFor(`field ${owner}.${name ?? "<anon>"}`),
  }));
}

export function record(name: string, specs: readonly FieldSpec[], opts: RecordOptions = {}): RecordModel {
  return {
    kind: "record", name, family: FAMILY, loc: locFor(`record ${name}`), allow: new Map(Object.entries(opts.allow ?? {})),
    record: opts.union ? "union" : "struct", anonymous: false, fields: fields(name, specs),
    packed: opts.packed ?? false, ...(opts.aligned !== undefined ? { aligned: opts.aligned } : {}),
  };
}

/** An anonymous inline record; `name` is the synthetic `parent.field` name the builder would give it. */
export function inline(name: string, specs: readonly FieldSpec[], opts: RecordOptions = {}): RecordType {
  return ref({ ...record(name, specs, opts), anonymous: true });
}

export function enumOf(name: string, base: ScalarName): EnumModel {
  return {
    kind: "enum", name, family: FAMILY, loc: locFor(`enum ${name}`), allow: new Map(), flavor: "enum", bitIndex: false,
    base: sc(base).scalar, members: [{ name: `${name.toUpperCase()}_A`, value: 1n, sentinel: false, loc: locFor("member") }],
  };
}

export interface IoctlSpec {
  dir: IoctlDir;
  magic?: number;
  nr?: number;
  arg?: Type;
  value?: ScalarName;
  legacy?: { number: number; overrides?: Record<string, number> };
  allow?: Record<string, string>;
}

export function ioctl(name: string, spec: IoctlSpec): IoctlModel {
  const legacy = spec.legacy && { number: spec.legacy.number, overrides: new Map(Object.entries(spec.legacy.overrides ?? {})) };
  return {
    kind: "ioctl", name, family: FAMILY, loc: locFor(`ioctl ${name}`), allow: new Map(Object.entries(spec.allow ?? {})),
    dir: spec.dir,
    magic: spec.magic ?? (legacy ? (legacy.number >>> 8) & 0xff : 0),
    nr: spec.nr ?? (legacy ? legacy.number & 0xff : 0),
    ...(spec.arg ? { arg: spec.arg } : {}),
    ...(spec.value ? { value: { type: sc(spec.value).scalar } } : {}),
    ...(legacy ? { legacy } : {}),
    returns: { what: "zero" }, errors: [],
  };
}

export function program(decls: readonly DeclModel[]): Program {
  return {
    families: [{ name: FAMILY, header: "linux/kit.h", license: "GPL-2.0", file: "kit.abi", loc: locFor("family"), imports: [], decls }],
  };
}
