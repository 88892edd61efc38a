/**
 * A hand-built model for the C emitter tests: two families (one imports the other) covering
 * what a uapi header can hold — expressions as written, chars, 64-bit and negative constants,
 * enums, bit-index and mask flags, a u64 flags set past int, a typedef, inline and anonymous
 * records, nested arrays, a flexible array member, packed and aligned records, every ioctl
 * direction, a scalar and an array argument, and a legacy number with per-target overrides.
 *
 * Every record is padding-free on every target (the header is compiled with -Wpadded).
 */
import type {
  AliasModel, ConstModel, DeclModel, EnumMemberModel, EnumModel, FamilyModel, FieldModel, IoctlModel, Program,
  RecordModel, Returns, Type,
} from "../../src/model/model.js";
import { SCALARS } from "../../src/model/scalars.js";
import type { BinaryOp, Expr } from "../../src/syntax/ast.js";
import { Source, type Loc } from "../../src/syntax/source.js";

const SPAN = { start: 0, end: 0 };
const loc = (file: string): Loc => ({ source: new Source(file, ""), start: 0, end: 0 });

// Expressions as the parser would build them.
export const int = (raw: string, value?: bigint): Expr =>
  ({ kind: "Int", raw, value: value ?? BigInt(raw.replace(/_/g, "").replace(/[uUlL]+$/, "").replace(/^0o/i, "0o").replace(/^0([0-7]+)$/, "0o$1")), span: SPAN });
export const chr = (c: string): Expr => ({ kind: "Char", raw: `'${c}'`, value: BigInt(c.charCodeAt(0)), span: SPAN });
export const ref = (name: string): Expr => ({ kind: "Name", name: { kind: "Ident", name, span: SPAN }, span: SPAN });
export const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: "Binary", op, left, right, span: SPAN });
export const neg = (operand: Expr): Expr => ({ kind: "Unary", op: "-", operand, span: SPAN });
export const cpl = (operand: Expr): Expr => ({ kind: "Unary", op: "~", operand, span: SPAN });

const sc = (name: string): Type => {
  const scalar = SCALARS.get(name);
  if (!scalar) throw new Error(name);
  return { kind: "scalar", scalar };
};
const arr = (element: Type, length: number | null, lengthExpr?: Expr): Type =>
  ({ kind: "array", element, length, ...(lengthExpr ? { lengthExpr } : {}) });
const recT = (decl: RecordModel): Type => ({ kind: "record", decl });

function builder(family: string, file: string) {
  const l = loc(file);
  const common = (name: string, doc?: string) => ({ name, family, loc: l, allow: new Map<string, string>(), ...(doc ? { doc } : {}) });
  const field = (name: string | undefined, type: Type, extra: Partial<FieldModel> = {}): FieldModel =>
    ({ ...(name === undefined ? {} : { name }), type, role: "data", isString: false, loc: l, ...extra });
  return {
    field,
    konst: (name: string, value: bigint, expr?: Expr, doc?: string, extra: Partial<ConstModel> = {}): ConstModel =>
      ({ ...common(name, doc), kind: "const", value, isChar: false, ...(expr ? { expr } : {}), ...extra }),
    record: (name: string, fields: FieldModel[], extra: Partial<RecordModel> = {}): RecordModel =>
      ({ ...common(name), kind: "record", record: "struct", anonymous: false, fields, packed: false, ...extra }),
    anon: (record: "struct" | "union", name: string, fields: FieldModel[]): RecordModel =>
      ({ ...common(name), kind: "record", record, anonymous: true, fields, packed: false }),
    enumOf: (name: string, flavor: "enum" | "flags", base: string, members: Array<[string, bigint, Expr?, Partial<EnumMemberModel>?]>, extra: Partial<EnumModel> = {}): EnumModel => ({
      ...common(name), kind: "enum", flavor, bitIndex: false, base: SCALARS.get(base)!,
      members: members.map(([n, value, expr, more]) => ({ name: n, value, sentinel: false, loc: l, ...(expr ? { expr } : {}), ...more })),
      ...extra,
    }),
    ioctl: (name: string, dir: IoctlModel["dir"], magic: number, nr: number, arg: Type | undefined, extra: Partial<IoctlModel> = {}): IoctlModel => ({
      ...common(name), kind: "ioctl", dir, magic, nr, ...(arg ? { arg } : {}),
      returns: { what: "zero" } as Returns, errors: [], ...extra,
    }),
    alias: (name: string, type: Type): AliasModel => ({ ...common(name), kind: "alias", type }),
    family: (header: string, decls: DeclModel[], extra: Partial<FamilyModel> = {}): FamilyModel => ({
      name: family, header, license: "GPL-2.0 WITH Linux-syscall-note", file, loc: l, imports: [], decls, ...extra,
    }),
  };
}

export function fixtureProgram(): Program {
  const b = builder("demo_base", "specs/demo_base.abi");
  const pair = b.record("demo_pair", [b.field("a", sc("le32")), b.field("b", sc("le32"))]);
  const base = b.family("linux/demo_base.h", [b.konst("DEMO_BASE_LEN", 4n, int("4")), pair]);

  const d = builder("demo", "specs/demo.abi");
  const state = d.enumOf("demo_state", "enum", "u32", [
    ["DEMO_A", 1n, int("1"), { doc: "The first state." }], ["DEMO_B", 2n], ["DEMO_C", 3n],
  ], { doc: "States. Sentence two of the description." });
  const bitFlags = d.enumOf("demo_flags", "flags", "u16", [
    ["DEMO_F_X", 0n, int("0"), { mask: 1n }], ["DEMO_F_MAX", 1n, undefined, { sentinel: true }],
  ], { bitIndex: true });
  const mask = d.enumOf("demo_mask", "flags", "u32", [
    ["DEMO_M_R", 1n, bin("<<", int("1"), int("0"))],
    ["DEMO_M_W", 2n, bin("<<", int("1"), int("1"))],
    ["DEMO_M_X", 4n],
    ["DEMO_M_RWX", 7n, bin("|", bin("|", ref("DEMO_M_R"), ref("DEMO_M_W")), ref("DEMO_M_X"))],
  ]);
  const wide = d.enumOf("demo_wide", "flags", "u64", [
    ["DEMO_W_LOW", 1n, int("1")], ["DEMO_W_HIGH", 1n << 40n, bin("<<", int("1"), int("40"))],
  ]);
  const word = d.alias("demo_word", sc("u32"));
  const wordT: Type = { kind: "scalar", scalar: SCALARS.get("u32")!, alias: "demo_word" };

  const rules = d.anon("struct", "demo_rec.rules", [d.field("off", sc("u16")), d.field("len", sc("u16"))]);
  const rec = d.record("demo_rec", [
    d.field("len", sc("u32"), { doc: "Length in bytes; 0 ends the list." }),
    d.field("flags", sc("u16"), { values: mask }),
    d.field("unused", sc("u16"), { role: "padding" }),
    d.field("data", sc("u64"), { ptr: {} }),
    d.field("rules", arr(recT(rules), 8, ref("DEMO_MAX"))),
  ], { doc: "One block (48 bytes)." });
  const expect = d.anon("struct", "demo_outer.expects", [
    d.field("name", arr(sc("char"), 64, int("64")), { isString: true, doc: "Name; empty ends the table." }),
    d.field("recs", arr(recT(rec), 2, int("2"))),
  ]);
  const outer = d.record("demo_outer", [
    d.field("expects", arr(recT(expect), 4, bin("-", ref("DEMO_MAX"), int("4")))),
  ], { doc: "A table of blocks." });

  const mmio = d.anon("struct", "demo_run.mmio", [
    d.field("phys", sc("u64")), d.field("data", arr(sc("u8"), 8, int("8"))), d.field("len", sc("u32")),
    d.field("is_write", sc("u8")), d.field("__pad", arr(sc("u8"), 3, int("3")), { role: "padding" }),
  ]);
  const status = d.anon("struct", "demo_run.status", [
    d.field("st", { kind: "enum", decl: state }), d.field("pair", recT(pair)), d.field("words", arr(wordT, 2, int("2"))),
  ]);
  const runUnion = d.anon("union", "demo_run.union", [
    d.field("mmio", recT(mmio), { doc: "An MMIO exit." }), d.field("status", recT(status)),
  ]);
  const run = d.record("demo_run", [
    d.field("immediate_exit", sc("u8")),
    d.field("padding", arr(sc("u8"), 7, int("7")), { role: "padding" }),
    d.field("exit_reason", sc("u32"), { values: state }),
    d.field("state", { kind: "enum", decl: state }),
    d.field(undefined, recT(runUnion)),
  ], { doc: "The shared run page." });
  const packed = d.record("demo_packed", [d.field("a", sc("u8")), d.field("b", sc("u32"))], { packed: true });
  const aligned = d.record("demo_aligned", [d.field("a", sc("u64")), d.field("b", sc("u64"))], { aligned: 16 });
  const flex = d.record("demo_flex", [
    d.field("n", sc("u32")), d.field("pad", sc("u32"), { role: "reserved" }), d.field("data", arr(sc("aligned_u64"), null)),
  ], { record: "struct" });
  // DEMO_ROWS is declared last (the language allows it); C needs it before demo_grid.
  const grid = d.record("demo_grid", [d.field("m", arr(arr(sc("u16"), 3, int("3")), 2, ref("DEMO_ROWS")))]);
  const msi = d.record("demo_irq", [d.field("vec", sc("u32")), d.field("fd", sc("int"), { fd: { none: -1n } })]);
  const both = d.record("demo_both", [d.field("x", sc("u32")), d.field("y", sc("u32"))], { record: "union" });

  const ty: Expr = ref("DEMO_TYPE");
  const fam = d.family("linux/demo.h", [
    d.konst("DEMO_TYPE", 68n, chr("D"), "Ioctl magic.", { isChar: true }),
    d.konst("DEMO_MAX", 8n, int("8")),
    d.konst("DEMO_BASE", 0x10n, int("0x10")),
    d.konst("DEMO_NR2", 0x11n, bin("+", ref("DEMO_BASE"), int("1"))),
    d.konst("DEMO_BIG", 1n << 40n, bin("<<", int("1"), int("40")), "Needs a 64-bit literal in C."),
    d.konst("DEMO_NEG", -1n, neg(int("1"))),
    d.konst("DEMO_MASK", 0xffffffffn, cpl(int("0")), undefined, { type: SCALARS.get("u32")! }),
    d.konst("DEMO_BIN", 10n, int("0b101_0")),
    d.konst("DEMO_SHIFTS", 48n, bin("|", bin("<<", int("1"), int("4")), bin("<<", int("1"), int("5")))),
    d.konst("DEMO_IMPORTED", 8n, bin("*", ref("DEMO_BASE_LEN"), int("2"))),
    d.konst("DEMO_MIN64", -(1n << 63n)),
    state, bitFlags, mask, wide, word, rec, outer, run, packed, aligned, flex, grid, msi, both,
    d.ioctl("DEMO_IO", "none", 0x44, 0, undefined, { magicExpr: ty, nrExpr: int("0"), doc: "Probe.", errors: [{ errno: "EINVAL", text: "arg is not 0" }] }),
    d.ioctl("DEMO_SET", "write", 0x44, 0x11, recT(rec), { magicExpr: ty, nrExpr: ref("DEMO_NR2") }),
    d.ioctl("DEMO_GET", "read", 0x44, 2, recT(outer), { magicExpr: chr("D"), nrExpr: int("2") }),
    d.ioctl("DEMO_RW", "readwrite", 0x44, 3, sc("u32"), { magicExpr: ty, nrExpr: int("3") }),
    d.ioctl("DEMO_ARR", "write", 0x44, 4, arr(sc("u8"), 16, int("16")), { magicExpr: ty, nrExpr: int("4") }),
    d.ioctl("DEMO_RUN", "readwrite", 0x44, 5, recT(run)),
    d.ioctl("DEMO_IRQ", "write", 0x44, 6, recT(msi)),
    d.ioctl("DEMO_KVMISH", "none", 0xae, 0x40, undefined, { magicExpr: int("0xAE"), nrExpr: int("0x40") }),
    d.ioctl("DEMO_FIONREAD", "read", 0x54, 0x1b, sc("int"), {
      legacy: {
        number: 0x541b,
        overrides: new Map(["powerpc", "ppc64le", "mips", "mips64el", "sparc64", "alpha"].map((t) => [t, 0x4004667f])),
      },
    }),
    d.konst("DEMO_ROWS", 2n, int("2")),
  ], { imports: ["demo_base"], doc: "A demo family.\n\nSecond paragraph." });
  return { families: [base, fam] };
}
