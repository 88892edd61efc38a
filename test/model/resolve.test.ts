import { describe, expect, it } from "vitest";
import { build } from "./helpers.js";

describe("names across files", () => {
  const files = {
    "b/virtio.abi": `family virtio_gpu = "linux/virtio_gpu.h";
const VIRTIO_GPU_MAX = 16;
struct virtio_gpu_rect { x: le32; y: le32; }
enum virtio_gpu_cmd: u32 { VIRTIO_GPU_CMD_A = 0x100, }
`,
    "a/uvirtio.abi": `import "../b/virtio.abi";
family uvirtio = "linux/uvirtio.h";
struct uvirtio_gpu { rect: virtio_gpu_rect; cmd: virtio_gpu_cmd; data: u8[VIRTIO_GPU_MAX]; }
`,
    "c/deep.abi": `import "a/uvirtio.abi";
family deep = "linux/deep.h";
const DEEP = VIRTIO_GPU_MAX + 1;
`,
  };
  // The test resolver knows files by exact name, so "../b/virtio.abi" is not found (ABI014).
  const b = build(files);

  it("orders families by file path and lists the families each imports", () => {
    expect(b.program.families.map((f) => [f.name, f.file, f.imports])).toEqual([
      ["uvirtio", "a/uvirtio.abi", []],
      ["virtio_gpu", "b/virtio.abi", []],
      ["deep", "c/deep.abi", ["uvirtio"]],
    ]);
  });

  it("reports imports that cannot be resolved", () => {
    // "../b/virtio.abi" is not a key the test resolver knows: ABI014 at the import's path.
    expect(b.codes).toContain("ABI014 1");
  });
});

describe("imports resolve names transitively; unimported names are reported", () => {
  const b = build({
    "virtio.abi": `family virtio_gpu = "linux/virtio_gpu.h";
const VIRTIO_GPU_MAX = 16;
struct virtio_gpu_rect { x: le32; y: le32; }
`,
    "uvirtio.abi": `import "virtio.abi";
family uvirtio = "linux/uvirtio.h";
struct uvirtio_gpu { rect: virtio_gpu_rect; data: u8[VIRTIO_GPU_MAX]; }
`,
    "deep.abi": `import "uvirtio.abi";
family deep = "linux/deep.h";
const DEEP = VIRTIO_GPU_MAX + 1;
`,
    "lonely.abi": `family lonely = "linux/lonely.h";
const LONELY = VIRTIO_GPU_MAX;
`,
  });

  it("resolves a struct and a constant from an imported file to the same model objects", () => {
    const rect = b.decl("record", "virtio_gpu_rect");
    const gpu = b.decl("record", "uvirtio_gpu");
    expect(gpu.fields[0]!.type).toEqual({ kind: "record", decl: rect });
    expect(gpu.fields[1]!.type).toMatchObject({ kind: "array", length: 16 });
    expect(b.decl("const", "DEEP").value).toBe(17n);
    expect(b.program.families.find((f) => f.name === "uvirtio")!.imports).toEqual(["virtio_gpu"]);
  });

  it("reports a name declared only in a file that is not imported, saying where it is", () => {
    const d = b.diags.list.filter((x) => x.code === "ABI010");
    expect(d).toHaveLength(1);
    expect(d[0]!.loc!.source.name).toBe("lonely.abi");
    expect(d[0]!.message).toContain("virtio.abi");
    expect(d[0]!.hint).toContain('import "virtio.abi"');
  });
});

describe("duplicates", () => {
  it("reports a name declared in two files once, pointing at the first", () => {
    const b = build({
      "a.abi": `family a = "a.h";\nconst SHARED = 1;\n`,
      "b.abi": `family b = "b.h";\nstruct SHARED { x: u32; }\n`,
    });
    const d = b.diags.list.filter((x) => x.code === "ABI011");
    expect(d).toHaveLength(1);
    expect(d[0]!.loc!.source.name).toBe("b.abi");
    expect(d[0]!.related![0]!.loc.source.name).toBe("a.abi");
  });

  it("reports two files declaring one family", () => {
    const b = build({ "a.abi": `family same = "a.h";\n`, "b.abi": `family same = "b.h";\n` });
    expect(b.codes).toEqual(["ABI015 1"]);
    expect(b.diags.list[0]!.loc!.source.name).toBe("b.abi");
  });
});

describe("models", () => {
  it("names anonymous records after where they are written and keeps them out of decls", () => {
    const b = build(`family t = "t.h";
struct uvirtio_expect {
  n: u32;
  pad: u32 @padding;
  expects: struct { off: u16; len: u16; inner: union { a: u8; b: u8; }; pad: u8; }[4];
  union { x: u64; y: u64; };
}
type boxed = struct { v: u32; };
ioctl IOC = write('x', 1, struct { z: u32; });
`);
    expect(b.codes).toEqual([]);
    const rec = b.decl("record", "uvirtio_expect");
    const arr = rec.fields[2]!.type;
    expect(arr.kind === "array" && arr.length).toBe(4);
    const el = arr.kind === "array" ? arr.element : arr;
    expect(el.kind === "record" && [el.decl.name, el.decl.anonymous, el.decl.record]).toEqual(["uvirtio_expect.expects", true, "struct"]);
    const inner = el.kind === "record" ? el.decl.fields[2]!.type : el;
    expect(inner.kind === "record" && inner.decl.name).toBe("uvirtio_expect.expects.inner");
    const anon = rec.fields[3]!;
    expect(anon.name).toBeUndefined();
    expect(anon.type.kind === "record" && [anon.type.decl.name, anon.type.decl.record]).toEqual(["uvirtio_expect.anon0", "union"]);
    const alias = b.decl("alias", "boxed");
    expect(alias.type.kind === "record" && alias.type.decl.name).toBe("boxed");
    const ioc = b.decl("ioctl", "IOC");
    expect(ioc.arg?.kind === "record" && ioc.arg.decl.name).toBe("IOC.arg");
    expect(b.program.families[0]!.decls.map((d) => d.name)).toEqual(["uvirtio_expect", "boxed", "IOC"]);
  });

  it("keeps alias names on scalars and resolves alias chains", () => {
    const b = build(`family t = "t.h";
type gfn = u64;
type gfn2 = gfn;
type name = char[16];
struct s { a: gfn; b: gfn2; n: name; }
`);
    const f = b.decl("record", "s").fields;
    expect(f[0]!.type).toMatchObject({ kind: "scalar", alias: "gfn", scalar: { name: "u64" } });
    expect(f[1]!.type).toMatchObject({ kind: "scalar", alias: "gfn2", scalar: { name: "u64" } });
    expect(f[2]!.isString).toBe(true);
  });

  it("builds ioctls: numbers, clauses, legacy numbers decoded from the generic encoding", () => {
    const b = build(`family t = "t.h";
const GH_IOCTL_TYPE = 'G';
fd gunyah = "/dev/gunyah";
fd vm;
fd vcpu @mmap(run);
struct run { reason: u32; pad: u32 @padding; }
ioctl GH_CREATE_VM = none(GH_IOCTL_TYPE, 0x0) {
  on gunyah;
  value ulong @range(0, 0);
  returns fd vm;
  error EINVAL "arg is not 0";
}
ioctl FIONREAD = legacy(0x541B, read, int) {
  number[powerpc, mips] = 0x4004667f;
}
`);
    expect(b.codes).toEqual([]);
    const c = b.decl("ioctl", "GH_CREATE_VM");
    expect(c).toMatchObject({ dir: "none", magic: 0x47, nr: 0, errors: [{ errno: "EINVAL", text: "arg is not 0" }] });
    expect(c.on).toBe(b.decl("fd", "gunyah"));
    expect(c.returns).toEqual({ what: "fd", fd: b.decl("fd", "vm") });
    expect(c.value).toMatchObject({ type: { name: "ulong" }, range: { min: 0n, max: 0n } });
    const l = b.decl("ioctl", "FIONREAD");
    expect(l).toMatchObject({ magic: 0x54, nr: 0x1b, legacy: { number: 0x541b } });
    expect([...l.legacy!.overrides]).toEqual([["powerpc", 0x4004667f], ["mips", 0x4004667f]]);
    expect(b.decl("fd", "vcpu").mmap).toBe(b.decl("record", "run"));
    expect(b.decl("fd", "gunyah").path).toBe("/dev/gunyah");
  });

  it("resolves pointer targets, including a struct's own type", () => {
    const b = build(`family t = "t.h";
struct node { value: u64; next: u64 @ptr(to = node); buf: u64 @ptr(len = len, to = u8); len: u32; pad: u32 @padding; }
`);
    expect(b.codes).toEqual([]);
    const node = b.decl("record", "node");
    expect(node.fields[1]!.ptr?.target).toEqual({ kind: "record", decl: node });
    expect(node.fields[2]!.ptr).toMatchObject({ lenField: "len", target: { kind: "scalar", scalar: { name: "u8" } } });
  });

  it("reads record attributes, field roles and annotations", () => {
    const b = build(`family t = "t.h";
fd dev;
flags fl: u32 { F_A = 1, }
struct p @packed @aligned(8) {
  a: u8 @padding;
  r: u8[3] @reserved;
  fd: s32 @fd(none = -1, kind = dev);
  f: u32 @flags(fl);
  n: u16 @range(min = 1);
}
`);
    expect(b.codes).toEqual([]);
    const p = b.decl("record", "p");
    expect([p.packed, p.aligned]).toEqual([true, 8]);
    expect(p.fields.map((f) => f.role)).toEqual(["padding", "reserved", "data", "data", "data"]);
    expect(p.fields[2]!.fd).toEqual({ none: -1n, kind: "dev" });
    expect(p.fields[3]!.values).toBe(b.decl("enum", "fl"));
    expect(p.fields[4]!.range).toEqual({ min: 1n });
  });

  it("builds protocols", () => {
    const b = build(`family t = "t.h";
struct req { a: u32; }
struct rep { b: u32; }
protocol bp = pipe { message sockopt = req -> rep { error EFAULT "bad"; } }
protocol mc = text @max_len(4096) { command map(file) { error EEXIST "already mapped"; } command unmap(file); }
`);
    expect(b.codes).toEqual([]);
    const bp = b.decl("protocol", "bp");
    expect(bp.messages[0]).toMatchObject({ name: "sockopt", request: { kind: "record" }, reply: { kind: "record" }, errors: [{ errno: "EFAULT" }] });
    const mc = b.decl("protocol", "mc");
    expect(mc).toMatchObject({ transport: "text", maxLen: 4096 });
    expect(mc.commands.map((c) => [c.name, c.params])).toEqual([["map", ["file"]], ["unmap", ["file"]]]);
  });

  it("uses the family's license or the default", () => {
    const b = build({ "a.abi": `family a = "a.h" @license("MIT");\n`, "b.abi": `/// B.\nfamily b = "b.h";\n` });
    expect(b.program.families.map((f) => [f.license, f.doc])).toEqual([
      ["MIT", undefined],
      ["GPL-2.0 WITH Linux-syscall-note", "B."],
    ]);
  });
});
