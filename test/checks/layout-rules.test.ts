/** ABI060 implicit padding, ABI061 layout differs, ABI062 unaligned 64-bit integers — on hand-built models. */
import { describe, expect, it } from "vitest";
import { findTarget } from "../../src/targets/targets.js";
import { arr, inline, program, record, ref, sc } from "../layout/model-kit.js";
import { at, check, summary } from "./run-rules.js";

const codes = (ds: ReturnType<typeof check>, code: string) => ds.filter((d) => d.code === code);

describe("ABI060 implicit padding", () => {
  it("reports a gap once, at the field before it, grouping targets by gap", () => {
    const run = record("run", [["immediate_exit", sc("u8")], ["exit_reason", sc("u32")]]);
    const ds = codes(check(program([run])), "ABI060");
    expect(summary(ds)).toEqual(["ABI060 field run.immediate_exit"]);
    const msg = ds[0]!.message;
    // u32 aligns to 4 everywhere but m68k, where it aligns to 2.
    expect(msg).toContain("3 bytes (offsets 1..3) on x86_64, i386, x32");
    expect(msg).toContain("1 byte (offset 1) on m68k");
    expect(msg).toContain("after `immediate_exit` in struct `run`");
    expect(ds[0]!.hint).toContain("add `pad0: u8[3] @padding;` after immediate_exit");
  });

  it("reports tail padding at the record, naming only the targets that have it", () => {
    const t = record("tail", [["a", sc("u64")], ["b", sc("u32")]]);
    const ds = codes(check(program([t])), "ABI060");
    expect(summary(ds)).toEqual(["ABI060 record tail"]);
    expect(ds[0]!.message).toMatch(/^4 bytes of implicit padding at the end of struct `tail` \(offsets 12\.\.15\) on x86_64, x32, aarch64, arm,/);
    expect(ds[0]!.message).not.toMatch(/i386|sh4|m68k/); // u64 aligns to 4 (2) there: size 12, no gap
    expect(ds[0]!.hint).toContain("as the last field of tail");
  });

  it("says 'every target' when all agree, and checks anonymous records and unions", () => {
    const u = record("u", [["a", arr(sc("u8"), 5)], ["b", sc("u32")]], { union: true });
    const host = record("host", [["hdr", sc("u32")], ["in", inline("host.in", [["x", sc("u16")], ["y", sc("u8")]])]]);
    const ds = codes(check(program([u, host])), "ABI060");
    expect(summary(ds)).toEqual(["ABI060 record u", "ABI060 record host.in"]);
    expect(ds[1]!.message).toBe("1 byte of implicit padding at the end of anonymous struct `host.in` (offset 3) on every target");
  });

  it("accepts explicit padding and packed records", () => {
    const ok = record("ok", [["a", sc("u8")], ["pad", arr(sc("u8"), 7), "padding"], ["b", sc("aligned_u64")]]);
    const packed = record("pk", [["a", sc("u8")], ["b", sc("u32")]], { packed: true });
    expect(check(program([ok, packed]))).toEqual([]);
  });

  it("only looks at the targets being checked", () => {
    const t = record("t", [["a", sc("u32")], ["b", sc("u64")]]);
    expect(codes(check(program([t]), [findTarget("i386")!, findTarget("sh4")!]), "ABI060")).toEqual([]);
  });
});

describe("ABI061 layout differs between targets", () => {
  it("names the first differing field and the target groups", () => {
    const t = record("t", [["id", sc("u32")], ["n", sc("int")], ["cookie", sc("long")]]);
    const ds = codes(check(program([t])), "ABI061");
    expect(summary(ds)).toEqual(["ABI061 record t"]);
    // int aligns to 2 on m68k but sits at 4 anyway; long is 8 bytes on LP64.
    expect(ds[0]!.message).toContain("size 16 on x86_64");
    expect(ds[0]!.message).toContain("vs 12 on i386, x32, arm");
    expect(ds[0]!.message).toContain("first differing field `cookie`: size 8 on x86_64");
    expect(ds[0]!.severity).toBe("warning");
  });

  it("is not reported for a difference in alignment alone", () => {
    const t = record("t", [["a", sc("u64")], ["b", sc("s64")]]);
    expect(check(program([t]))).toEqual([]);
  });

  it("is not reported when implicit padding (ABI060) explains it", () => {
    const t = record("t", [["a", sc("u32")], ["b", sc("u64")]]);
    const outer = record("outer", [["x", ref(t)]]);
    expect(summary(check(program([t, outer])).filter((d) => d.code !== "ABI062"))).toEqual(["ABI060 field t.a"]);
  });

  it("looks inside embedded anonymous records, and honours @allow", () => {
    const t = record("t", [["in", inline("t.in", [["p", sc("ptr")]])]], { allow: { ABI061: "compat handled" } });
    const ds = codes(check(program([t])), "ABI061");
    expect(ds).toHaveLength(1);
    expect(ds[0]!.message).toContain("first differing field `in`");
    expect(ds[0]!.suppressed).toBe("compat handled");
  });
});

describe("ABI062 64-bit integer not 8-aligned", () => {
  it("reports a u64 at offset 4 on i386/sh4 and 2 on m68k, not aligned_u64", () => {
    const t = record("t", [["a", sc("u32")], ["b", sc("u64")], ["c", sc("u32")], ["d", sc("aligned_u64")]]);
    const ds = codes(check(program([t])), "ABI062");
    expect(summary(ds)).toEqual(["ABI062 field t.b"]);
    expect(ds[0]!.message).toBe("`b` (u64) in struct `t` is not 8-byte aligned: at offset 4 on i386, m68k, sh4");
  });

  it("reports a misplaced record at the embedding field, and its own problems only in it", () => {
    const inner = record("inner", [["x", sc("u64")]]);
    const bad = record("bad_inner", [["h", sc("u16")], ["y", sc("s64")]]);
    const outer = record("outer", [["h", sc("u32")], ["i", ref(inner)], ["j", ref(bad)]]);
    const ds = codes(check(program([inner, bad, outer])), "ABI062");
    expect(summary(ds)).toEqual(["ABI062 field bad_inner.y", "ABI062 field outer.i"]);
    expect(ds[1]!.message).toContain("`i.x` (u64)");
  });

  it("checks every element of an array of records whose stride is not a multiple of 8", () => {
    const el = record("el", [["v", sc("u64")], ["w", sc("u32")]]); // 12 bytes on i386
    const t = record("arr_host", [["items", arr(ref(el), 2)]]);
    const ds = codes(check(program([el, t]), [findTarget("i386")!]), "ABI062");
    expect(summary(ds)).toEqual(["ABI062 field arr_host.items"]);
    expect(ds[0]!.message).toContain("`items[1].v` (u64)");
    expect(ds[0]!.message).toContain("at offset 12 on i386");
  });

  it("finds u64s inside anonymous members and reports at the inner field", () => {
    const t = record("t", [["a", sc("u32")], [undefined, inline("t.<u>", [["q", sc("be64")]], { union: true })]]);
    const ds = codes(check(program([t]), [findTarget("m68k")!]), "ABI062");
    expect(summary(ds)).toEqual(["ABI062 field t.<u>.q"]);
    expect(ds[0]!.message).toContain("`q` (be64)");
  });
});

describe("diagnostics carry real locations", () => {
  it("every layout diagnostic has a loc and a hint", () => {
    const t = record("t", [["a", sc("u8")], ["b", sc("long")], ["c", sc("u64")]]);
    for (const d of check(program([t]))) {
      expect(at(d)).toBeDefined();
      expect(d.hint).toBeTruthy();
    }
  });
});
