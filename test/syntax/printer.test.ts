import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { printFile } from "../../src/syntax/printer.js";
import { abiFiles, commentTexts, FIXTURES, parse, ROOT, shape } from "./helpers.js";

/** The fixtures and, when they exist, every spec of the project (written concurrently). */
const corpus = [...abiFiles(FIXTURES), ...abiFiles(join(ROOT, "specs"))];
const fmt = (text: string) => printFile(parse(text).file);

describe.each(corpus.map((f) => [f.name.slice(ROOT.length + 1), f.text] as const))("%s", (_name, text) => {
  const first = parse(text);
  const printed = printFile(first.file);
  const again = parse(printed);

  it("formats without diagnostics", () => {
    expect(first.messages).toEqual([]);
    expect(again.messages).toEqual([]);
  });
  it("is idempotent", () => {
    expect(printFile(again.file)).toBe(printed);
  });
  it("round-trips to an equivalent tree", () => {
    expect(shape(again.file)).toEqual(shape(first.file));
  });
  it("keeps every comment, in order", () => {
    expect(commentTexts(printed)).toEqual(commentTexts(text));
  });
});

describe("shipped specs", () => {
  const specs = abiFiles(join(ROOT, "specs"));
  it("exist", () => expect(specs.length).toBeGreaterThan(5));
  it.each(specs.map((f) => [f.name.slice(ROOT.length + 1), f.text] as const))("%s is already in canonical form", (_name, text) => {
    expect(fmt(text)).toBe(text);
  });
});

describe("canonical form", () => {
  it("normalizes spacing, indentation and separators", () => {
    const src = [
      "const   A=1<<2|X ;",
      "enum e:u8{P=1,Q}",
      "struct s@packed{a:u8[2][3]@padding;b:struct{c:u8;};}",
      "ioctl I=write('G',1,s){}",
      "ioctl J = none('G', 2) { on vm ; returns fd vcpu ; }",
      'protocol p=text@max_len(10){command c(a,b){error E "x";}message m=a->b{}}',
      "fd f=\"/dev/f\"@mmap(s);",
      "type t=u32[];",
      "const S = sizeof ( u64 ) + - ( 1 );",
    ].join("\n");
    expect(fmt(src)).toBe(
      [
        "const A = 1 << 2 | X;",
        "enum e: u8 {",
        "  P = 1,",
        "  Q,",
        "}",
        "struct s @packed {",
        "  a: u8[2][3] @padding;",
        "  b: struct {",
        "    c: u8;",
        "  };",
        "}",
        "ioctl I = write('G', 1, s);",
        "ioctl J = none('G', 2) {",
        "  on vm;",
        "  returns fd vcpu;",
        "}",
        "protocol p = text @max_len(10) {",
        "  command c(a, b) {",
        '    error E "x";',
        "  }",
        "  message m = a -> b;",
        "}",
        'fd f = "/dev/f" @mmap(s);',
        "type t = u32[];",
        "const S = sizeof(u64) + -(1);",
        "",
      ].join("\n"),
    );
  });

  it("keeps literals as written and collapses blank lines to one", () => {
    expect(fmt("const A = 0x1_0000u;\n\n\n\nconst B = '\\x7f';\n")).toBe("const A = 0x1_0000u;\n\nconst B = '\\x7f';\n");
  });

  it("places comments: header, doc, brace line, trailing, dangling", () => {
    const src = "// header\n\n///doc\nstruct s {   // brace\n\n  x: u32;   // t\n\n\n  // end\n}\n// eof\n";
    expect(fmt(src)).toBe("// header\n\n/// doc\nstruct s { // brace\n\n  x: u32; // t\n\n  // end\n}\n// eof\n");
  });

  it("keeps a comment written inside an item, before it", () => {
    expect(fmt("const A = 1 /* why */ + 2; // t\n")).toBe("/* why */\nconst A = 1 + 2; // t\n");
  });

  it("keeps comments in their order when an item with a doc comment has comments inside", () => {
    // Before the doc they would come first; between the doc and the item they would detach it.
    expect(fmt("/// d\nconst A = 1 /* why */ + 2; // t\nconst B = 1;\n")).toBe("/// d\nconst A = 1 + 2;\n/* why */\n// t\nconst B = 1;\n");
    expect(fmt("/// d\nfd // a\n/// b\nx;\n")).toBe("/// d\nfd x;\n// a\n/// b\n");
  });

  it("prints an empty file as empty", () => {
    expect(fmt("")).toBe("");
    expect(fmt("\n\n// only\n")).toBe("// only\n");
  });
});
