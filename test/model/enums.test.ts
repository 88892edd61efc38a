import { describe, expect, it } from "vitest";
import { build } from "./helpers.js";

const members = (b: ReturnType<typeof build>, name: string) =>
  b.decl("enum", name).members.map((m) => ({ name: m.name, value: m.value, mask: m.mask, sentinel: m.sentinel }));

describe("enums and flags", () => {
  it("auto-increments enum members from the previous value, starting at 0", () => {
    const b = build(`family t = "t.h";
enum e: u32 { A, B, C = 10, D, E = B + 100, F, }
`);
    expect(b.codes).toEqual([]);
    expect(members(b, "e").map((m) => [m.name, m.value])).toEqual([
      ["A", 0n], ["B", 1n], ["C", 10n], ["D", 11n], ["E", 101n], ["F", 102n],
    ]);
    expect(b.decl("enum", "e").base.name).toBe("u32");
  });

  it("defaults the base type to u32 and keeps aliases of fixed-size integers", () => {
    const b = build(`family t = "t.h";
enum d { X = 0xffffffff, }
type small = u8;
enum s: small { Y = 255, }
`);
    expect(b.codes).toEqual([]);
    expect(b.decl("enum", "d").base.name).toBe("u32");
    expect(b.decl("enum", "s").base.name).toBe("u8");
  });

  it("gives mask-form flags the next free bit above every earlier mask", () => {
    const b = build(`family t = "t.h";
flags f: u64 { R = 1 << 0, W = 1 << 1, X, RWX = 0x70, Y, HIGH = 1 << 40, Z, }
flags g: u8 { FIRST, SECOND, }
`);
    expect(b.codes).toEqual([]);
    expect(members(b, "f").map((m) => [m.name, m.value, m.mask])).toEqual([
      ["R", 1n, 1n], ["W", 2n, 2n], ["X", 4n, 4n], ["RWX", 0x70n, 0x70n], ["Y", 0x80n, 0x80n],
      ["HIGH", 1n << 40n, 1n << 40n], ["Z", 1n << 41n, 1n << 41n],
    ]);
    expect(members(b, "g").map((m) => m.value)).toEqual([1n, 2n]);
  });

  it("keeps bit numbers as values of @bit_index flags and the bits as masks; a sentinel has no mask", () => {
    const b = build(`family t = "t.h";
flags f: u16 @bit_index { STICK = 0, OTHER = 3, NEXT, MAX @sentinel, }
`);
    expect(b.codes).toEqual([]);
    expect(b.decl("enum", "f").bitIndex).toBe(true);
    expect(members(b, "f")).toEqual([
      { name: "STICK", value: 0n, mask: 1n, sentinel: false },
      { name: "OTHER", value: 3n, mask: 8n, sentinel: false },
      { name: "NEXT", value: 4n, mask: 16n, sentinel: false },
      { name: "MAX", value: 5n, mask: undefined, sentinel: true },
    ]);
  });

  it("evaluates ~ in the base type and checks every value against it", () => {
    const b = build(`family t = "t.h";
flags f: u16 { ALL = ~0, }
enum s: s8 { LOW = -128, HIGH = 127, }
enum bad: s8 { OVER = 128, UNDER = -129, }
`);
    expect(members(b, "f")[0]!.value).toBe(0xffffn);
    expect(b.codes).toEqual(["ABI040 4", "ABI040 4"]);
  });

  it("warns about shared values but not for sentinels, and honours @allow", () => {
    const b = build(`family t = "t.h";
enum e: u8 { A = 1, B = 1, C = 2, COUNT = 2 @sentinel, }
enum f: u8 @allow(ABI042, "old name kept") { OLD = 1, NEW = 1, }
`);
    const dup = b.diags.list.filter((d) => d.code === "ABI042");
    expect(dup.map((d) => [d.severity, d.suppressed])).toEqual([["warning", undefined], ["warning", "old name kept"]]);
    expect(dup[0]!.related?.[0]?.message).toBe("A is declared here");
  });

  it("enum members are global names usable in any expression", () => {
    const b = build(`family t = "t.h";
enum e: u8 { A = 3, B, }
const C = B * 2;
struct s { data: u8[A]; pad: u8; }
`);
    expect(b.codes).toEqual([]);
    expect(b.decl("const", "C").value).toBe(8n);
    const t = b.decl("record", "s").fields[0]!.type;
    expect(t).toMatchObject({ kind: "array", length: 3 });
  });

  it("stores an enum-typed field as an EnumType pointing at the model", () => {
    const b = build(`family t = "t.h";
enum e: u16 { A, }
struct s { kind: e; pad: u16; }
`);
    const f = b.decl("record", "s").fields[0]!;
    expect(f.type.kind).toBe("enum");
    expect(f.type.kind === "enum" && f.type.decl).toBe(b.decl("enum", "e"));
  });
});
