import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { build, value } from "./helpers.js";

const MIN = -(1n << 63n);
const MAX = (1n << 64n) - 1n;

describe("constant expressions", () => {
  it("follow C precedence and C integer division", () => {
    expect(value("1 | 2 ^ 3 & 4 << 1 + 2 * 3").value).toBe(1n | (2n ^ (3n & (4n << (1n + 2n * 3n)))));
    expect(value("-7 / 2").value).toBe(-3n); // truncation toward zero, as C
    expect(value("-7 % 2").value).toBe(-1n);
    expect(value("(1 + 2) * 3").value).toBe(9n);
    expect(value("!0 + !5 + +3").value).toBe(4n);
    expect(value("0x1_0000 + 0o17 + 0b101 + 017 + 10u").value).toBe(0x10000n + 15n + 5n + 15n + 10n);
  });

  it("evaluates characters and remembers that a constant is a character", () => {
    const b = build(`family t = "t.h";\nconst T = 'G';\nconst U = T;\nconst N = 71;\nconst E = '\\x7f' + 1;\n`);
    expect(b.decl("const", "T")).toMatchObject({ value: 71n, isChar: true });
    expect(b.decl("const", "U")).toMatchObject({ value: 71n, isChar: true });
    expect(b.decl("const", "N")).toMatchObject({ value: 71n, isChar: false });
    expect(b.decl("const", "E")).toMatchObject({ value: 128n, isChar: false });
  });

  it("complements in 64 bits unless a type narrows it", () => {
    expect(value("~0").value).toBe(MAX);
    expect(value("~0", "u32").value).toBe(0xffff_ffffn);
    expect(value("~0", "s32").value).toBe(-1n);
    expect(value("~1", "u8").value).toBe(0xfen);
    expect(value("~-1").value).toBe(0n);
  });

  it("accepts exactly the 64-bit range for every intermediate (ABI020)", () => {
    expect(value("0xffff_ffff_ffff_ffff").value).toBe(MAX);
    expect(value("-0x8000_0000_0000_0000").value).toBe(MIN);
    expect(value("0xffff_ffff_ffff_ffff + 1").codes).toEqual(["ABI020"]);
    expect(value("-0x8000_0000_0000_0000 - 1").codes).toEqual(["ABI020"]);
    // The final value fits but an intermediate does not.
    expect(value("(0xffff_ffff_ffff_ffff + 1) - 1").codes).toEqual(["ABI020"]);
    expect(value("1 << 63").value).toBe(1n << 63n);
  });

  it("range-checks typed constants against their type", () => {
    expect(value("255", "u8").value).toBe(255n);
    expect(value("256", "u8").codes).toEqual(["ABI020"]);
    expect(value("-129", "s8").codes).toEqual(["ABI020"]);
    expect(value("-1", "u64").codes).toEqual(["ABI020"]);
    // long is 4 bytes on some targets: the value must fit there too.
    expect(value("0x1_0000_0000", "ulong").codes).toEqual(["ABI020"]);
    expect(value("1", "names_no_such_type").codes).toEqual(["ABI010"]);
  });

  it("reports division by zero, bad shifts and target-dependent sizeof", () => {
    expect(value("1 / 0").codes).toEqual(["ABI021"]);
    expect(value("1 % (2 - 2)").codes).toEqual(["ABI021"]);
    expect(value("1 << 64").codes).toEqual(["ABI022"]);
    expect(value("1 >> -1").codes).toEqual(["ABI022"]);
    expect(value("1 << 63 >> 63").value).toBe(1n);
    expect(value("sizeof(long)").codes).toEqual(["ABI023"]);
    expect(value("sizeof(u64)").value).toBe(8n);
    expect(value("alignof(aligned_u64)").value).toBe(8n);
    expect(value("alignof(u64)").codes).toEqual(["ABI023"]); // 4 on i386, 2 on m68k
  });

  it("computes sizeof of declared records with the layout engine", () => {
    const b = build(`family t = "t.h";
struct s { a: u32; b: u16; c: u8[2]; d: aligned_u64; }
const S = sizeof(s);
const A = alignof(s);
const U = sizeof(union { x: u32; y: u8[8]; });
const V = sizeof(union { x: u32; y: u8[6]; });
`);
    expect(b.decl("const", "S").value).toBe(16n);
    expect(b.decl("const", "A").value).toBe(8n);
    expect(b.decl("const", "U").value).toBe(8n);
    // 6 bytes rounded up to the u32's alignment: 8, but 6 on m68k where u32 aligns to 2.
    expect(b.codes).toEqual(["ABI023 6"]);
  });

  it("uses constants and enum members declared later, and reports cycles once", () => {
    const b = build(`family t = "t.h";
const A = B * 2;
const B = E_TWO + 1;
enum e: u8 { E_ONE = 1, E_TWO, }
const X = Y;
const Y = X;
`);
    expect(b.decl("const", "A").value).toBe(6n);
    expect(b.codes).toEqual(["ABI013 6"]);
  });

  it("agrees with bigint arithmetic whenever no intermediate leaves 64 bits (property)", () => {
    const operand = fc.bigInt({ min: -(1n << 40n), max: 1n << 40n });
    fc.assert(
      fc.property(operand, operand, operand, fc.constantFrom("+", "-", "*", "&", "|", "^"), (a, b, c, op) => {
        const lit = (v: bigint): string => (v < 0n ? `(${v})` : `${v}`);
        const apply = (x: bigint, y: bigint): bigint =>
          op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : op === "&" ? x & y : op === "|" ? x | y : x ^ y;
        const inner = apply(a, b);
        const want = apply(inner, c);
        const ok = [inner, want].every((v) => v >= MIN && v <= MAX);
        const got = value(`(${lit(a)} ${op} ${lit(b)}) ${op} ${lit(c)}`);
        return ok ? got.value === want : got.codes.includes("ABI020");
      }),
      { numRuns: 200 },
    );
  });
});
