/**
 * A program of tricky layout cases, built directly as model objects: everything the layout
 * engine must get right on 16 targets (m68k's 2-byte alignment, i386's 4-byte u64, packed,
 * aligned, unions, flexible arrays, nested and anonymous records, arrays of records, enums).
 */
import type { Program } from "../../src/model/model.js";
import { arr, enumOf, inline, ioctl, program, record, ref, sc } from "./model-kit.js";

export function syntheticProgram(): Program {
  const u8u64 = record("t_u8_u64", [["a", sc("u8")], ["b", sc("u64")]]);
  const mix = record("t_mix", [
    ["a", sc("u16")], ["b", sc("u32")], ["c", sc("u64")], ["d", sc("u16")], ["e", sc("u64")], ["f", sc("u8")],
  ]);
  const u16u32 = record("t_u16_u32", [["a", sc("u8")], ["b", sc("u16")], ["c", sc("u8")], ["d", sc("u32")], ["e", sc("u8")]]);
  const nested = record("t_nested", [
    ["x", sc("u8")],
    ["inner", ref(mix)],
    ["y", sc("u32")],
    ["arr", arr(inline("t_nested.arr", [["p", sc("u8")], ["q", sc("u64")], ["r", sc("u16")]]), 3)],
    [undefined, inline("t_nested.<anon>", [["u", sc("u32")], ["v", arr(sc("u8"), 5)]], { union: true })],
    ["z", sc("u8")],
  ]);
  const unionTail = record("t_union_tail", [["a", arr(sc("u8"), 5)], ["b", sc("u32")]], { union: true });
  const union64 = record("t_union64", [["a", sc("u8")], ["b", sc("u64")], ["c", ref(u8u64)]], { union: true });
  const packed = record("t_packed", [["a", sc("u8")], ["b", sc("u32")], ["c", sc("u64")], ["d", sc("u16")]], { packed: true });
  const packedAligned = record("t_packed_aligned_u64", [
    ["a", sc("u8")], ["b", sc("aligned_u64")], ["c", sc("u8")], ["d", arr(sc("aligned_s64"), 2)], ["e", sc("u8")],
  ], { packed: true });
  const packedNested = record("t_packed_nested", [
    ["a", sc("u8")],
    ["in", inline("t_packed_nested.in", [["d", sc("u8")], ["y", sc("aligned_u64")]])],
    ["b", sc("u32")],
  ], { packed: true });
  const packed4 = record("t_packed_aligned4", [["a", sc("u8")], ["b", sc("u32")], ["c", sc("u8")]], { packed: true, aligned: 4 });
  const al16 = record("t_aligned16", [["a", sc("u8")]], { aligned: 16 });
  const al16user = record("t_aligned16_user", [["a", sc("u8")], ["b", ref(al16)], ["c", arr(ref(al16), 2)], ["d", sc("u32")]]);
  const packedAl16 = record("t_packed_has_aligned16", [["a", sc("u8")], ["b", ref(al16)]], { packed: true });
  const famU64 = record("t_fam_u64", [["n", sc("u32")], ["data", arr(sc("u64"), null)]]);
  const famRec = record("t_fam_rec", [["n", sc("u16")], ["items", arr(ref(u8u64), null)]]);
  const famChar = record("t_fam_char", [["len", sc("u8")], ["text", arr(sc("char"), null)]]);
  const chars = record("t_chars", [["name", arr(sc("char"), 13)], ["c", sc("char")], ["x", sc("u32")], ["tag", arr(sc("char"), 3)]]);
  const archdep = record("t_archdep", [
    ["i", sc("int")], ["c", sc("u8")], ["u", sc("uint")], ["l", sc("long")], ["c2", sc("u8")], ["ul", sc("ulong")],
    ["c3", sc("u8")], ["p", sc("ptr")], ["s", sc("s16")],
  ]);
  const endian = record("t_endian", [
    ["a", sc("le16")], ["b", sc("be32")], ["c", sc("le64")], ["d", sc("be64")], ["x", sc("u8")], ["e", sc("aligned_le64")],
    ["y", sc("u8")], ["f", sc("aligned_be64")], ["g", sc("be16")], ["h", sc("s8")], ["i", sc("s32")], ["j", sc("s64")],
  ]);
  const e8 = enumOf("t_e8", "u8");
  const e16 = enumOf("t_e16", "u16");
  const e64 = enumOf("t_e64", "u64");
  const enums = record("t_enums", [
    ["a", { kind: "enum", decl: e8 }], ["b", { kind: "enum", decl: e16 }], ["c", { kind: "enum", decl: e8 }],
    ["d", { kind: "enum", decl: e64 }], ["e", arr({ kind: "enum", decl: e16 }, 3)],
  ]);
  const multi = record("t_multidim", [
    ["m", arr(sc("u16"), 3, 5)], ["c", sc("u8")], ["r", arr(ref(u8u64), 2, 3)], ["q", arr(sc("u32"), 2, 1, 2)],
  ]);
  const deep = record("t_deep", [
    ["hdr", sc("u32")],
    ["expects", arr(inline("t_deep.expects", [
      ["kind", sc("u8")],
      ["blocks", arr(inline("t_deep.expects.blocks", [
        ["len", sc("u32")],
        ["rules", arr(inline("t_deep.expects.blocks.rules", [["off", sc("u16")], ["len", sc("u16")], ["big", sc("u64")]]), 4)],
      ]), 3)],
    ]), 2)],
  ]);
  const anonTop = record("t_anon_members", [
    ["kind", sc("u32")],
    [undefined, inline("t_anon_members.<u>", [
      ["mmio", inline("t_anon_members.mmio", [["phys", sc("u64")], ["data", arr(sc("u8"), 8)], ["len", sc("u32")], ["w", sc("u8")]])],
      ["status", inline("t_anon_members.status", [["code", sc("u32")]], { packed: true })],
      [undefined, inline("t_anon_members.<s>", [["p", sc("u16")], ["q", sc("s64")]])],
    ], { union: true })],
  ]);
  const empty1 = record("t_one_char", [["c", sc("char")]]);

  const records = [
    u8u64, mix, u16u32, nested, unionTail, union64, packed, packedAligned, packedNested, packed4, al16, al16user,
    packedAl16, famU64, famRec, famChar, chars, archdep, endian, enums, multi, deep, anonTop, empty1,
  ];
  const ioctls = [
    ioctl("T_NONE", { dir: "none", magic: 0x47, nr: 0 }),
    ioctl("T_NONE_VALUE", { dir: "none", magic: 0x47, nr: 1, value: "ulong" }),
    ioctl("T_READ_U32", { dir: "read", magic: 0x47, nr: 2, arg: sc("u32") }),
    ioctl("T_WRITE_MIX", { dir: "write", magic: 0x47, nr: 3, arg: ref(mix) }),
    ioctl("T_RW_NESTED", { dir: "readwrite", magic: 0x47, nr: 4, arg: ref(nested) }),
    ioctl("T_WRITE_ARRAY", { dir: "write", magic: 0xaf, nr: 255, arg: arr(sc("u8"), 16) }),
    ioctl("T_READ_LONG", { dir: "read", magic: 0x00, nr: 0x80, arg: sc("long") }),
    ioctl("T_RW_PTR", { dir: "readwrite", magic: 0xff, nr: 7, arg: sc("ptr") }),
    ioctl("T_WRITE_INLINE", {
      dir: "write", magic: 0x47, nr: 8,
      arg: inline("T_WRITE_INLINE.arg", [["a", sc("u8")], ["b", sc("u64")]], { packed: true, aligned: 4 }),
    }),
    ioctl("T_READ_BIG", { dir: "read", magic: 0x47, nr: 9, arg: arr(sc("u8"), 8191) }),
    ioctl("T_RW_ARCHDEP", { dir: "readwrite", magic: 0x47, nr: 10, arg: ref(archdep) }),
    ioctl("T_WRITE_ENUM", { dir: "write", magic: 0x47, nr: 11, arg: { kind: "enum", decl: e16 } }),
    ioctl("T_LEGACY", { dir: "read", arg: sc("int"), legacy: { number: 0x541b, overrides: { powerpc: 0x4004667f, mips: 0x467f } } }),
  ];
  return program([e8, e16, e64, ...records, ...ioctls]);
}
