import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildVfsData } from "../../src/registry/vfs-build.js";
import { encodeDefinition, vfsData, vfsIntercepted, vfsNumbers } from "../../src/registry/vfs.js";
import { DIR3, GENERIC, PARISC, TARGETS, findTarget, type IoctlEncoding, type Target } from "../../src/targets/targets.js";
import { cValues, haveCompiler } from "../helpers/c-values.js";
import { readShared } from "../helpers/shared.js";

const MD = readShared("vfs-intercepted-ioctls.md");
const data = vfsData();
const target = (name: string) => findTarget(name)!;

describe("data/vfs-intercepted.json", () => {
  it("is what scripts/vfs-from-md.ts makes from the .md", () => {
    const { data: fresh, skipped } = buildVfsData(MD);
    expect(JSON.parse(JSON.stringify(fresh))).toEqual(data);
    // The one row that names a range of commands (the i386 FS_IOC_RESVSP_32 family) is not a
    // command of its own: i386's numbers come from its own 44-byte struct space_resv.
    expect(skipped.map((s) => s.name)).toEqual(["(i386 layout) FS_IOC_RESVSP_32 etc."]);
    expect(data.commands.length).toBe(25);
    expect(data.commands.filter((c) => c.scope === "regular").map((c) => c.name)).toEqual([
      "FIBMAP", "FS_IOC_RESVSP", "FS_IOC_UNRESVSP", "FS_IOC_RESVSP64", "FS_IOC_UNRESVSP64", "FS_IOC_ZERO_RANGE",
    ]);
  });

  it("records whether a command can reach a driver", () => {
    const by = new Map(data.commands.map((c) => [c.name, c.reachesDriver]));
    expect(by.get("FIFREEZE")).toBe("never");
    expect(by.get("FIOASYNC")).toBe("never");
    expect(by.get("FIONREAD")).toBe("non-regular");
    expect(by.get("FS_IOC_GETFLAGS")).toBe("conditional");
    expect(by.get("FIBMAP")).toBe("non-regular");
  });

  // The .md prints each value under three encodings; 64-bit layouts unless it says ILP32.
  const model = (base: string, enc: IoctlEncoding): Target => ({ ...target(base), ioctl: enc });
  const columns = [
    ["generic", GENERIC],
    ["dir3", DIR3],
    ["parisc", PARISC],
  ] as const;
  for (const [col, enc] of columns) {
    it(`our encoder reproduces the .md's ${col} column`, () => {
      let checked = 0;
      for (const c of data.commands) {
        const printed = c.printed[col];
        printed.forEach((p, i) => {
          const abi = p.qualifier === "ILP32" || (i === 1 && printed.length === 2) ? model("arm", enc) : model("x86_64", enc);
          expect(encodeDefinition(c.definition, abi), `${c.name} ${col} ${p.qualifier ?? ""}`).toBe(p.value);
          checked++;
        });
      }
      expect(checked).toBeGreaterThan(15);
    });
  }
});

// Kernel structs as the uapi headers declare them, for commands the installed headers predate.
const PRELUDE = `
#include <sys/types.h>
#include <linux/types.h>
#include <linux/fiemap.h>
#include <linux/ioctl.h>
#include <asm/ioctls.h>
#include <linux/fs.h>
struct t_fiemap_extent { __u64 fe_logical, fe_physical, fe_length, fe_reserved64[2]; __u32 fe_flags, fe_reserved[3]; };
struct t_fiemap { __u64 fm_start, fm_length; __u32 fm_flags, fm_mapped_extents, fm_extent_count, fm_reserved;
  struct t_fiemap_extent fm_extents[]; };
struct t_file_clone_range { __s64 src_fd; __u64 src_offset, src_length, dest_offset; };
struct t_file_dedupe_range_info { __s64 dest_fd; __u64 dest_offset, bytes_deduped; __s32 status; __u32 reserved; };
struct t_file_dedupe_range { __u64 src_offset, src_length; __u16 dest_count, reserved1; __u32 reserved2;
  struct t_file_dedupe_range_info info[]; };
struct t_fsxattr { __u32 fsx_xflags, fsx_extsize, fsx_nextents, fsx_projid, fsx_cowextsize; unsigned char fsx_pad[8]; };
struct t_fsuuid2 { __u8 len; __u8 uuid[16]; };
struct t_fs_sysfs_path { __u8 len; __u8 name[128]; };
struct t_space_resv { __s16 l_type, l_whence; __s64 l_start, l_len; __s32 l_sysid; __u32 l_pid; __s32 l_pad[4]; };
typedef long long t_loff_t;
`;

/** The kernel's own macro when the target's headers define it, else the .md's definition text. */
function truthExpr(name: string, text: string): string {
  const code = /`([^`]+)`/.exec(text)![1]!.replace(/struct (\w+)/g, "struct t_$1").replace(/\bloff_t\b/, "t_loff_t");
  return `\n#ifdef ${name}\n${name}\n#else\n${code}\n#endif\n`;
}

describe("per-target numbers agree with each target's C compiler", () => {
  for (const t of TARGETS) {
    const ok = haveCompiler(t.cc);
    if (!ok) console.warn(`SKIPPED: ${t.cc} is not installed; VFS numbers for ${t.name} not checked`);
    it.skipIf(!ok)(t.name, () => {
      const hits = vfsNumbers(t);
      const truth = cValues(hits.map((h) => truthExpr(h.command.name, h.command.text)), { cc: t.cc, prelude: PRELUDE });
      const ours = hits.map((h) => `${h.command.name}=0x${h.number.toString(16)}`);
      expect(ours).toEqual(hits.map((h, i) => `${h.command.name}=0x${truth[i]!.toString(16)}`));
    });
  }
});

describe("vfsIntercepted", () => {
  it("finds FIFREEZE by number and nothing for a free number", () => {
    expect(vfsIntercepted(0xc0045877, "x86_64").map((h) => h.command.name)).toEqual(["FIFREEZE"]);
    expect(vfsIntercepted(0xc0045876, "x86_64")).toEqual([]);
  });
  it("uses the target's own sizes: struct space_resv is 44 bytes on i386", () => {
    const resvsp = (t: string) => vfsNumbers(t).find((h) => h.command.name === "FS_IOC_RESVSP")!.number;
    expect(vfsIntercepted(resvsp("i386"), "i386").map((h) => h.command.name)).toEqual(["FS_IOC_RESVSP"]);
    expect(resvsp("i386")).not.toBe(resvsp("x86_64"));
    expect(vfsIntercepted(resvsp("x86_64"), "i386")).toEqual([]);
  });
});
