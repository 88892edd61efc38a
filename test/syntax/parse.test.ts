import { describe, expect, it } from "vitest";
import type { ConstDecl, EnumDecl, Expr, IoctlDecl, ProtocolDecl, RecordDecl, TypeExpr } from "../../src/syntax/ast.js";
import { abiFiles, FIXTURES, parse } from "./helpers.js";

function constValue(text: string): Expr {
  const { file, messages } = parse(text);
  expect(messages).toEqual([]);
  return (file.decls[0] as ConstDecl).value;
}

/** A compact rendering of an expression tree: every binary node in parentheses. */
function tree(e: Expr): string {
  switch (e.kind) {
    case "Binary":
      return `(${tree(e.left)} ${e.op} ${tree(e.right)})`;
    case "Unary":
      return `${e.op}${tree(e.operand)}`;
    case "Paren":
      return `[${tree(e.inner)}]`;
    case "Int":
    case "Char":
      return e.value.toString();
    case "Name":
      return e.name.name;
    case "Sizeof":
      return `${e.op}(…)`;
  }
}

describe("fixtures from docs/language.md", () => {
  const files = abiFiles(FIXTURES);
  it("has fixtures", () => expect(files.length).toBeGreaterThanOrEqual(8));
  for (const f of files) {
    it(`parses ${f.name.split("/").pop()} without diagnostics`, () => {
      const { file, messages } = parse(f.text, f.name);
      expect(messages).toEqual([]);
      expect(file.decls.length + file.imports.length + (file.family ? 1 : 0)).toBeGreaterThan(0);
    });
  }
});

describe("literals", () => {
  it.each([
    ["1024", 1024n],
    ["0x4e", 0x4en],
    ["0XFF", 255n],
    ["0o17", 15n],
    ["017", 15n],
    ["0b101", 5n],
    ["0x1_0000", 0x10000n],
    ["1_000", 1000n],
    ["10u", 10n],
    ["10UL", 10n],
    ["0xffULL", 255n],
    ["0", 0n],
    ["18446744073709551615", 18446744073709551615n],
  ])("integer %s = %s", (raw, value) => {
    const e = constValue(`const X = ${raw};`);
    expect(e).toMatchObject({ kind: "Int", value, raw });
  });

  it.each([
    ["'G'", 71n],
    ["'\\0'", 0n],
    ["'\\x7f'", 127n],
    ["'\\''", 39n],
    ["'\\\\'", 92n],
    ["'\\n'", 10n],
  ])("char %s = %s", (raw, value) => {
    expect(constValue(`const X = ${raw};`)).toMatchObject({ kind: "Char", value, raw });
  });

  it("unescapes strings and keeps the raw text", () => {
    const { file } = parse('family f = "a\\"b\\\\c\\nd\\te\\x41";');
    expect(file.family?.header).toMatchObject({ value: 'a"b\\c\nd\teA', raw: '"a\\"b\\\\c\\nd\\te\\x41"' });
  });
});

describe("expressions", () => {
  it.each([
    ["1 | 2 ^ 3 & 4", "(1 | (2 ^ (3 & 4)))"],
    ["1 << 2 + 3", "(1 << (2 + 3))"],
    ["1 + 2 * 3 - 4", "((1 + (2 * 3)) - 4)"],
    ["8 / 4 / 2", "((8 / 4) / 2)"],
    ["1 - 2 - 3", "((1 - 2) - 3)"],
    ["-1 + ~2 * !3", "(-1 + (~2 * !3))"],
    ["(1 + 2) * 3", "([(1 + 2)] * 3)"],
    ["- -A", "--A"],
    ["1 << 0 | 1 << 1", "((1 << 0) | (1 << 1))"],
    ["sizeof(u64) + alignof(u32)", "(sizeof(…) + alignof(…))"],
  ])("%s parses as %s", (src, expected) => {
    expect(tree(constValue(`const X = ${src};`))).toBe(expected);
  });

  it("gives every node the span of its text", () => {
    const text = "const X = (A + 2) * 3;";
    const e = constValue(text);
    expect(text.slice(e.span.start, e.span.end)).toBe("(A + 2) * 3");
    if (e.kind !== "Binary") throw new Error("not binary");
    expect(text.slice(e.left.span.start, e.left.span.end)).toBe("(A + 2)");
  });
});

describe("types", () => {
  function fieldType(t: string): TypeExpr {
    const { file, messages } = parse(`struct s { f: ${t}; }`);
    expect(messages).toEqual([]);
    return (file.decls[0] as RecordDecl).fields[0]!.type;
  }

  it("T[a][b] is C's T x[a][b]: the outer array has length a", () => {
    const t = fieldType("u32[2][3]");
    expect(t).toMatchObject({
      kind: "ArrayType",
      length: { value: 2n },
      element: { kind: "ArrayType", length: { value: 3n }, element: { kind: "NamedType", name: { name: "u32" } } },
    });
  });

  it("T[] is a flexible array member", () => {
    const t = fieldType("u8[]");
    expect(t.kind).toBe("ArrayType");
    expect(t.kind === "ArrayType" && t.length).toBeUndefined();
  });

  it("inline records, anonymous members and their attributes", () => {
    const { file, messages } = parse("struct s { r: struct @packed { a: u8; }[4] @padding; union { x: u32; y: u8; } @aligned(4); }");
    expect(messages).toEqual([]);
    const [r, anon] = (file.decls[0] as RecordDecl).fields;
    expect(r).toMatchObject({ name: { name: "r" }, attrs: [{ name: { name: "padding" } }] });
    expect(r!.type).toMatchObject({ kind: "ArrayType", element: { kind: "InlineRecord", record: "struct", attrs: [{ name: { name: "packed" } }] } });
    expect(anon!.name).toBeUndefined();
    expect(anon).toMatchObject({ type: { kind: "InlineRecord", record: "union", fields: [{}, {}] }, attrs: [{ name: { name: "aligned" } }] });
  });
});

describe("declarations", () => {
  it("keywords are names wherever a name is expected", () => {
    const { file, messages } = parse(
      "struct s { type: u32; flags: u32; fd: s32; value: u8; error: u8; number: u8; on: u8; struct: u8; union: u8; }\n" +
        "enum type { value, error, }\nfd fd;\nioctl on = write('x', 1, type) { on fd; returns fd fd; value value; error error; }",
    );
    expect(messages).toEqual([]);
    expect((file.decls[0] as RecordDecl).fields.map((f) => f.name?.name)).toEqual(["type", "flags", "fd", "value", "error", "number", "on", "struct", "union"]);
    expect(file.decls.map((d) => d.name.name)).toEqual(["s", "type", "fd", "on"]);
  });

  it("enums: flavor, base, values, attributes", () => {
    const { file } = parse("flags f: u16 @bit_index { A = 0, B @sentinel }");
    const e = file.decls[0] as EnumDecl;
    expect(e).toMatchObject({ flavor: "flags", base: { name: { name: "u16" } }, attrs: [{ name: { name: "bit_index" }, parens: false }] });
    expect(e.members.map((m) => [m.name.name, m.value?.kind, m.attrs.length])).toEqual([
      ["A", "Int", 0],
      ["B", undefined, 1],
    ]);
  });

  it("ioctls: encoded and legacy forms, every clause", () => {
    const { file, messages } = parse(
      "ioctl A = readwrite('G', 0x2, s) @allow(ABI053, \"why\") { on vm; returns fd vcpu; value ulong @range(0, 0); error EINVAL \"bad\"; error EIO; }\n" +
        "ioctl B = legacy(0x541B, read, int) { number[powerpc, mips] = 0x4004667f; }\nioctl C = none(1, 2);",
    );
    expect(messages).toEqual([]);
    const [a, b, c] = file.decls as IoctlDecl[];
    expect(a).toMatchObject({ dir: "readwrite", magic: { kind: "Char" }, nr: { value: 2n }, arg: { name: { name: "s" } } });
    expect(a!.attrs[0]!.args.map((x) => x.value.kind)).toEqual(["Name", "String"]);
    expect(a!.clauses.map((x) => x.kind)).toEqual(["On", "Returns", "Value", "Error", "Error"]);
    expect(a!.clauses[1]).toMatchObject({ what: "fd", fd: { name: "vcpu" } });
    expect(b).toMatchObject({ dir: "read", number: { value: 0x541bn }, arg: { name: { name: "int" } } });
    expect(b!.magic).toBeUndefined();
    expect(b!.clauses[0]).toMatchObject({ kind: "Number", targets: [{ name: "powerpc" }, { name: "mips" }], value: { value: 0x4004667fn } });
    expect(c).toMatchObject({ dir: "none", clauses: [] });
    expect(c!.arg).toBeUndefined();
  });

  it("protocols: messages and commands", () => {
    const { file, messages } = parse("protocol p = text @max_len(4096) { message m = a -> b; message n = c { error E; } command map(file, mode); command reset(); }");
    expect(messages).toEqual([]);
    const p = file.decls[0] as ProtocolDecl;
    expect(p.transport).toBe("text");
    expect(p.items).toMatchObject([
      { kind: "Message", name: { name: "m" }, request: { name: { name: "a" } }, reply: { name: { name: "b" } } },
      { kind: "Message", name: { name: "n" }, clauses: [{ kind: "Error" }] },
      { kind: "Command", params: [{ name: "file" }, { name: "mode" }] },
      { kind: "Command", params: [] },
    ]);
  });

  it("imports, family and attribute forms", () => {
    const { file, messages } = parse('import "a.abi";\nimport "b.abi";\nfamily f = "linux/f.h" @license("MIT");\nfd x @mmap() @fd(kind = k);');
    expect(messages).toEqual([]);
    expect(file.imports.map((i) => i.path.value)).toEqual(["a.abi", "b.abi"]);
    expect(file.family).toMatchObject({ name: { name: "f" }, header: { value: "linux/f.h" }, attrs: [{ name: { name: "license" } }] });
    expect(file.decls[0]!.attrs).toMatchObject([
      { parens: true, args: [] },
      { parens: true, args: [{ key: { name: "kind" }, value: { kind: "Name" } }] },
    ]);
  });
});

describe("comments", () => {
  it("attaches docs, leading, trailing and dangling comments", () => {
    const text = [
      "// header",
      "",
      "/// Doc line one.",
      "///  indented two",
      "struct s { // brace",
      "  // lead x",
      "  x: u32; // trail x",
      "  /// doc y",
      "  y: u32;",
      "  // dangling",
      "}",
      "enum e { A, // after A",
      "}",
      "// end",
    ].join("\n");
    const { file, messages } = parse(text);
    expect(messages).toEqual([]);
    const s = file.decls[0] as RecordDecl;
    expect(s.leading.map((c) => c.text)).toEqual(["// header"]);
    expect(s.doc?.text).toBe("Doc line one.\n indented two");
    const [x, y] = s.fields;
    expect(x!.leading.map((c) => c.text)).toEqual(["// brace", "// lead x"]);
    expect(x!.trailing?.text).toBe("// trail x");
    expect(y!.doc?.text).toBe("doc y");
    expect(s.danglingComments.map((c) => c.text)).toEqual(["// dangling"]);
    expect((file.decls[1] as EnumDecl).members[0]!.trailing?.text).toBe("// after A");
    expect(file.danglingComments.map((c) => c.text)).toEqual(["// end"]);
  });

  it("a /// run not directly before an item stays an ordinary comment", () => {
    const { file } = parse("/// not a doc\n\nconst A = 1;\nstruct s {\n  x: u8;\n  /// orphan\n}\n");
    expect(file.decls[0]!.doc).toBeUndefined();
    expect(file.decls[0]!.leading.map((c) => c.text)).toEqual(["/// not a doc"]);
    expect((file.decls[1] as RecordDecl).danglingComments.map((c) => c.text)).toEqual(["/// orphan"]);
  });
});
