import { describe, expect, it } from "vitest";
import type { RecordDecl } from "../../src/syntax/ast.js";
import { parse } from "./helpers.js";

/** "line:col code message" for each diagnostic, in order. */
function where(text: string): string[] {
  const { diags } = parse(text);
  return diags.sorted().map((d) => {
    const { line, column } = d.loc!.source.position(d.loc!.start);
    return `${line}:${column} ${d.code} ${d.message}`;
  });
}

describe("syntax errors (ABI002) with recovery", () => {
  it("reports every error of a file and keeps the declarations around them", () => {
    const text = [
      "const A = 1;", // 1
      "struct s {", // 2
      "  x: u32", // 3  missing ;
      "  y: u16;", // 4
      "}", // 5
      "const B = ;", // 6  missing expression
      "enum e { P, Q }", // 7
      "ioctl X = write('G', 1, s) { on vm; bogus stuff; }", // 8  not a clause
      "fd vm;", // 9
      "const C = 2 +;", // 10 missing operand
      "type t = u8;", // 11
    ].join("\n");
    expect(where(text)).toEqual([
      '4:3 ABI002 expected ";", found "y"',
      '6:11 ABI002 expected an expression, found ";"',
      '8:37 ABI002 expected a clause (on, returns, value, error or number), found "bogus"',
      '10:14 ABI002 expected an expression, found ";"',
    ]);
    const { file } = parse(text);
    expect(file.decls.map((d) => d.name.name)).toEqual(["A", "s", "e", "X", "vm", "t"]);
    expect((file.decls[1] as RecordDecl).fields.map((f) => f.name?.name)).toEqual(["x", "y"]);
  });

  it("re-syncs at ; inside a record and at the next declaration after a forgotten }", () => {
    const text = ["struct a {", "  x: u32;", "  123;", "  z: u16;", "const B = 1;", "struct c { w: u8; }"].join("\n");
    expect(where(text)).toEqual(['3:3 ABI002 expected a field ("name: type;"), found "123"', '5:1 ABI002 expected "}", found "const"']);
    const { file } = parse(text);
    expect(file.decls.map((d) => d.name.name)).toEqual(["a", "B", "c"]);
    expect((file.decls[0] as RecordDecl).fields.map((f) => f.name?.name)).toEqual(["x", "z"]);
  });

  it("skips junk between declarations", () => {
    const text = "cosnt X = 1;\nconst Y = 2;\n}\nfd f;";
    expect(where(text)).toEqual(['1:1 ABI002 expected a declaration (import, family, const, enum, flags, struct, union, type, fd, ioctl or protocol), found "cosnt"', '3:1 ABI002 expected a declaration (import, family, const, enum, flags, struct, union, type, fd, ioctl or protocol), found "}"']);
    expect(parse(text).file.decls.map((d) => d.name.name)).toEqual(["Y", "f"]);
  });

  it("reports a missing comma between enum members", () => {
    expect(where("enum e { A, B C, }")).toEqual(['1:15 ABI002 expected "," or "}", found "C"']);
  });

  it("reports the end of file", () => {
    expect(where("struct s { x: u32;")).toEqual(['1:19 ABI002 expected "}", found end of file']);
    expect(parse("struct s { x: u32;").file.decls).toHaveLength(1);
  });

  it("validates words the grammar takes as names", () => {
    expect(where("ioctl A = wirte(1, 2, s);")).toEqual(['1:11 ABI002 expected none, read, write, readwrite or legacy, found "wirte"']);
    expect(where("ioctl A = legacy(1, sideways);")).toEqual(['1:21 ABI002 expected a direction (none, read, write or readwrite), found "sideways"']);
    expect(where("ioctl A = none(1, 2) { returns many; }")).toEqual(['1:32 ABI002 expected zero, count, value or fd, found "many"']);
    expect(where("ioctl A = none(1, 2) { returns fd; }")).toEqual(["1:32 ABI002 returns fd needs the kind of the new fd"]);
    expect(where("protocol p = carrier_pigeon { }")).toEqual(['1:14 ABI002 expected pipe, socket or text, found "carrier_pigeon"']);
  });

  it("checks the order of imports, family and declarations", () => {
    expect(where('const A = 1;\nfamily f = "f.h";\nimport "x.abi";\nfamily g = "g.h";')).toEqual([
      "2:1 ABI002 the family line must come before the declarations",
      "3:1 ABI002 imports must come first in a file",
      "4:1 ABI002 a file declares one family",
    ]);
  });

  it("every syntax error has a hint and a non-empty or end-of-file span", () => {
    const { diags } = parse("struct { } const = ; ioctl X = write(;");
    expect(diags.list.length).toBeGreaterThan(0);
    for (const d of diags.list) {
      expect(d.hint).toBeTruthy();
      expect(d.loc).toBeDefined();
    }
  });
});

describe("lexical errors (ABI001)", () => {
  it.each([
    ["const A = 1 $ 2;", "1:13 ABI001 unexpected character \"$\""],
    ["const A = 1; $$", '1:14 ABI001 unexpected characters "$$"'],
    ["const A = 1; \u{1F600}", '1:14 ABI001 unexpected character "\u{1F600}"'],
    ['family f = "linux/f.h;\nconst A = 1;', "1:12 ABI001 unterminated string literal"],
    ["const A = 'G;", "1:11 ABI001 unterminated character literal"],
    ["const A = 1; /* never closed", "1:14 ABI001 unterminated block comment"],
    ["const A = 0x1g;", '1:11 ABI001 invalid integer literal "0x1g"'],
    ["const A = 08;", '1:11 ABI001 invalid integer literal "08"'],
    ["const A = 1__0;", '1:11 ABI001 invalid integer literal "1__0"'],
    ["const A = '';", "1:11 ABI001 empty character literal"],
    ["const A = 'ab';", "1:11 ABI001 character literal 'ab' holds more than one character"],
    ["const A = 'é';", "1:11 ABI001 character literal 'é' is not one byte"],
    ['family f = "a\\qb";', "1:14 ABI001 unknown escape \\q in string"],
    ["const A = '\\xZZ';", "1:12 ABI001 invalid escape in character literal: \\x needs one or two hex digits"],
  ])("%s", (text, expected) => {
    expect(where(text)[0]).toBe(expected);
  });

  it("a stray character does not hide the declarations after it", () => {
    const { file, diags } = parse("const A = 1;\n`\nconst B = 2;");
    expect(diags.list.map((d) => d.code)).toEqual(["ABI001"]);
    expect(file.decls.map((d) => d.name.name)).toEqual(["A", "B"]);
  });
});
