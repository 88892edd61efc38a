/**
 * Builds VfsData from the .md text: the mechanically parsed command tables plus two things
 * the .md does not give in table form, written down here:
 * - the per-arch FIO* definitions (arch/X/include/uapi/asm/ioctls.h). The .md's note gives
 *   sparc/sh/powerpc/alpha and mips; arm, m68k and s390 also predefine FIOQSIZE as 0x545E,
 *   which the note omits. test/registry/vfs.test.ts checks every one against each target's
 *   own headers through its cross compiler.
 * - the member layout of each argument type (from the kernel's uapi headers), so that sizes
 *   can be computed per target (struct space_resv is 48 bytes, or 44 where s64 aligns to 4).
 */
import { parseVfsMarkdown } from "./vfs-md.js";
import type { CMember, VfsCommand, VfsData, VfsDefinition } from "./vfs-data.js";

const F_STYLE = ["alpha", "powerpc", "ppc64le", "sh4", "sparc64"];
const MIPS = ["mips", "mips64el"];
const f = (dir: "none" | "read" | "write", nr: number, ctype: string | null): VfsDefinition => ({
  kind: "ioc",
  dir,
  type: 0x66,
  nr,
  ctype,
});
const lit = (value: number): VfsDefinition => ({ kind: "literal", value });

const OVERRIDES: Record<string, { targets: string[]; definition: VfsDefinition }[]> = {
  FIOCLEX: [
    { targets: F_STYLE, definition: f("none", 1, null) },
    { targets: MIPS, definition: lit(0x6601) },
  ],
  FIONCLEX: [
    { targets: F_STYLE, definition: f("none", 2, null) },
    { targets: MIPS, definition: lit(0x6602) },
  ],
  FIOASYNC: [
    { targets: F_STYLE, definition: f("write", 125, "int") },
    { targets: MIPS, definition: lit(0x667d) },
  ],
  FIONBIO: [
    { targets: F_STYLE, definition: f("write", 126, "int") },
    { targets: MIPS, definition: lit(0x667e) },
  ],
  FIONREAD: [
    { targets: F_STYLE, definition: f("read", 127, "int") },
    { targets: MIPS, definition: lit(0x467f) },
  ],
  FIOQSIZE: [
    { targets: F_STYLE, definition: f("read", 128, "loff_t") },
    { targets: MIPS, definition: lit(0x667f) },
    { targets: ["arm", "m68k", "s390x"], definition: lit(0x545e) },
  ],
};

const m = (kind: CMember["kind"], count?: number): CMember => (count === undefined ? { kind } : { kind, count });
const CTYPES: Record<string, CMember[]> = {
  int: [m("u32")],
  long: [m("long")],
  loff_t: [m("u64")],
  // linux/fiemap.h; fm_extents[] is struct fiemap_extent (u64 members): flexible, but it aligns.
  "struct fiemap": [m("u64"), m("u64"), m("u32"), m("u32"), m("u32"), m("u32"), m("u64", 0)],
  "struct file_clone_range": [m("u64"), m("u64"), m("u64"), m("u64")],
  // info[] is struct file_dedupe_range_info (s64/u64 members).
  "struct file_dedupe_range": [m("u64"), m("u64"), m("u16"), m("u16"), m("u32"), m("u64", 0)],
  "struct fsxattr": [m("u32"), m("u32"), m("u32"), m("u32"), m("u32"), m("u8", 8)],
  "struct fsuuid2": [m("u8"), m("u8", 16)],
  "struct fs_sysfs_path": [m("u8"), m("u8", 128)],
  "struct space_resv": [m("u16"), m("u16"), m("u64"), m("u64"), m("u32"), m("u32"), m("u32", 4)],
};

export function buildVfsData(md: string): { data: VfsData; skipped: { line: number; name: string; reason: string }[] } {
  const { commands, skipped } = parseVfsMarkdown(md);
  const withOverrides: VfsCommand[] = commands.map((c) => ({ ...c, archOverrides: OVERRIDES[c.name] ?? [] }));
  for (const c of withOverrides) {
    const ctypes = [c.definition, ...c.archOverrides.map((o) => o.definition)].flatMap((d) =>
      d.kind === "ioc" && d.ctype ? [d.ctype] : [],
    );
    for (const t of ctypes) if (!CTYPES[t]) throw new Error(`${c.name}: no layout for ${t}; add it to CTYPES`);
  }
  const data: VfsData = { source: "shared/data/vfs-intercepted-ioctls.md", ctypes: CTYPES, commands: withOverrides };
  return { data, skipped };
}

// One type and one command per line: readable diffs when the .md changes.
const lines = (entries: string[]) => entries.map((e) => "    " + e).join(",\n");
export function formatVfsData(data: VfsData): string {
  return `{
  "source": ${JSON.stringify(data.source)},
  "ctypes": {
${lines(Object.entries(data.ctypes).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`))}
  },
  "commands": [
${lines(data.commands.map((c) => JSON.stringify(c)))}
  ]
}
`;
}
