/** ABI050–ABI056 on hand-built models. */
import { describe, expect, it } from "vitest";
import { arr, enumOf, inline, ioctl, program, record, ref, sc } from "../layout/model-kit.js";
import { check, summary } from "./run-rules.js";

const only = (code: string, ...decls: Parameters<typeof program>[0]) => check(program(decls)).filter((d) => d.code === code);

describe("ioctl number fields", () => {
  it("ABI050 nr outside 0..255, ABI051 magic not one byte; legacy numbers exempt", () => {
    const ds = check(program([
      ioctl("NR_BIG", { dir: "none", magic: 0x47, nr: 256 }),
      ioctl("NR_NEG", { dir: "none", magic: 0x47, nr: -1 }),
      ioctl("MAGIC_BIG", { dir: "none", magic: 0x147, nr: 1 }),
      ioctl("FINE", { dir: "none", magic: 0xff, nr: 255 }),
      ioctl("OLD", { dir: "none", legacy: { number: 0x12345 } }),
    ]));
    expect(summary(ds)).toEqual(["ABI050 ioctl NR_BIG", "ABI050 ioctl NR_NEG", "ABI051 ioctl MAGIC_BIG"]);
    expect(ds[0]!.message).toContain("nr 256");
  });

  it("ABI052 names the targets whose size field is too small, with the size", () => {
    const ds = only("ABI052",
      ioctl("BIG13", { dir: "write", magic: 0x47, nr: 1, arg: arr(sc("u8"), 8192) }),
      ioctl("FITS13", { dir: "write", magic: 0x47, nr: 2, arg: arr(sc("u8"), 8191) }),
      ioctl("BIG14", { dir: "write", magic: 0x47, nr: 3, arg: arr(sc("u8"), 16384) }),
    );
    expect(summary(ds)).toEqual(["ABI052 ioctl BIG13", "ABI052 ioctl BIG14"]);
    expect(ds[0]!.message).toBe(
      "argument `u8[8192]` of ioctl `BIG13` is too large for the number's size field: 8192 bytes on " +
      "ppc64le, powerpc, mips, mips64el, sparc64, alpha (at most 8191: 13-bit size field)",
    );
    expect(ds[1]!.message).toContain("16384 bytes on x86_64");
  });

  it("ABI052 follows per-target sizes (long)", () => {
    const ds = only("ABI052", ioctl("LONGS", { dir: "read", magic: 0x47, nr: 1, arg: arr(sc("long"), 1500) }));
    expect(ds).toHaveLength(1);
    expect(ds[0]!.message).toContain("12000 bytes on ppc64le, mips64el, sparc64, alpha");
    expect(ds[0]!.message).not.toContain("powerpc"); // 6000 bytes there
  });
});

describe("ABI053 _IO with a value argument", () => {
  it("warns for none + value, not for legacy, suppressible with @allow", () => {
    const ds = only("ABI053",
      ioctl("CREATE_VM", { dir: "none", magic: 0x47, nr: 0, value: "u32" }),
      ioctl("PLAIN", { dir: "none", magic: 0x47, nr: 1 }),
      ioctl("TCSBRK", { dir: "none", value: "int", legacy: { number: 0x5409 } }),
      ioctl("MERGED", { dir: "none", magic: 0x47, nr: 2, value: "u32", allow: { ABI053: "merged" } }),
    );
    expect(summary(ds)).toEqual(["ABI053 ioctl CREATE_VM", "ABI053 ioctl MERGED"]);
    expect(ds[0]!.severity).toBe("warning");
    expect(ds[0]!.suppressed).toBeUndefined();
    expect(ds[1]!.suppressed).toBe("merged");
  });
});

describe("ABI054 shared slot / ABI055 equal numbers", () => {
  // Magic 'G' is also registered to other headers in ioctl-number.rst (ABI100); only the slot rules matter here.
  const slotRules = (ds: ReturnType<typeof check>) => ds.filter((d) => d.code === "ABI054" || d.code === "ABI055");
  const s8 = record("s8", [["a", sc("u64")]]);
  const s16 = record("s16", [["a", sc("u64")], ["b", sc("u64")]]);

  it("same slot, different direction or size: ABI054 at the later one, related to the first", () => {
    const first = ioctl("A_GET", { dir: "read", magic: 0x47, nr: 1, arg: ref(s8) });
    const ds = slotRules(check(program([s8, s16, first,
      ioctl("A_SET", { dir: "write", magic: 0x47, nr: 1, arg: ref(s8) }),
      ioctl("A_BIG", { dir: "read", magic: 0x47, nr: 1, arg: ref(s16) }),
      ioctl("OTHER", { dir: "read", magic: 0x47, nr: 2, arg: ref(s8) }),
    ])));
    expect(summary(ds)).toEqual(["ABI054 ioctl A_SET", "ABI054 ioctl A_BIG"]);
    expect(ds[1]!.message).toContain("(type 0x47 ('G'), nr 1) of `A_GET` (and 1 more)");
    expect(ds[1]!.related?.map((r) => r.loc)).toEqual([first.loc, ds[1]!.related![1]!.loc]);
  });

  it("equal numbers: ABI055 (not also ABI054), with the number and targets", () => {
    const ds = slotRules(check(program([s8,
      ioctl("X1", { dir: "write", magic: 0x47, nr: 5, arg: ref(s8) }),
      ioctl("X2", { dir: "write", magic: 0x47, nr: 5, arg: sc("u64") }),
    ])));
    expect(summary(ds)).toEqual(["ABI055 ioctl X2"]);
    expect(ds[0]!.message).toContain("same number as `X1`: 0x40084705 on x86_64");
    // The 3-bit encodings have WRITE = 4 (bit 31); parisc swaps READ and WRITE (WRITE = 2, bit 31 too).
    expect(ds[0]!.message).toContain("0x80084705 on ppc64le, powerpc, mips, mips64el, sparc64, hppa, alpha");
  });

  it("ABI055 on only the targets where they collide (long vs u32; legacy overrides)", () => {
    const ds = only("ABI055",
      ioctl("L", { dir: "read", magic: 0x47, nr: 9, arg: sc("long") }),
      ioctl("U", { dir: "read", magic: 0x47, nr: 9, arg: sc("u32") }),
      ioctl("OLD1", { dir: "read", legacy: { number: 0x5401 } }),
      ioctl("OLD2", { dir: "read", legacy: { number: 0x7401, overrides: { mips: 0x5401 } } }),
    );
    expect(summary(ds)).toEqual(["ABI055 ioctl U", "ABI055 ioctl OLD2"]);
    expect(ds[0]!.message).toBe(
      "ioctl `U` has the same number as `L`: 0x80044709 on i386, x32, arm, m68k, sh4; 0x40044709 on powerpc, mips, hppa",
    );
    expect(ds[1]!.message).toBe("ioctl `OLD2` has the same number as `OLD1`: 0x00005401 on mips");
  });
});

describe("ABI056 arch-dependent types in an ioctl", () => {
  it("names every path, through nested and anonymous records, and the value argument", () => {
    const inner = record("inner", [["len", sc("ulong")], ["ok", sc("u32")]]);
    const e = enumOf("mode", "u32");
    const arg = record("arg_t", [
      ["fd", sc("int")], ["mode", { kind: "enum", decl: e }], ["in", ref(inner)],
      [undefined, inline("arg_t.<u>", [["p", sc("ptr")], ["q", sc("u64")]], { union: true })],
      ["v", arr(sc("uint"), 2)],
    ]);
    const ds = only("ABI056", e, inner, arg,
      ioctl("SET", { dir: "write", magic: 0x47, nr: 1, arg: ref(arg) }),
      ioctl("VAL", { dir: "none", magic: 0x47, nr: 2, value: "ulong" }),
      ioctl("FIONREAD", { dir: "read", arg: sc("int"), legacy: { number: 0x541b }, allow: { ABI056: "history" } }),
      ioctl("CLEAN", { dir: "write", magic: 0x47, nr: 3, arg: ref(record("clean", [["x", sc("u64")]])) }),
    );
    expect(summary(ds)).toEqual(["ABI056 ioctl SET", "ABI056 ioctl VAL", "ABI056 ioctl FIONREAD"]);
    expect(ds[0]!.message).toBe(
      "ioctl `SET` passes arch-dependent types: `arg.fd` (int), `arg.in.len` (ulong), `arg.p` (ptr), `arg.v[]` (uint)",
    );
    expect(ds[1]!.message).toContain("`value` (ulong)");
    expect(ds[2]!.suppressed).toBe("history");
  });
});
