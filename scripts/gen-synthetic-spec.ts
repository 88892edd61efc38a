/**
 * Synthetic specs for the compiler benchmark (bench/compiler.ts): N declarations spread over
 * families of at most FAMILY_SIZE declarations each, with the mix and shapes real uapi headers
 * have — constants (some computed from others), enums and flags, structs of scalars, arrays,
 * strings, nested named and inline structs, unions, `@ptr`/`@range`/`@flags`/`@enum` fields, an
 * fd kind per family and ioctls of every direction over the family's records.
 *
 * Every record is laid out by hand with explicit `@padding`, every 64-bit field sits at a
 * multiple of 8 and every record's size is a multiple of 8, so the layout is the same on every
 * target: the output should compile without diagnostics (test/bench/synthetic-spec.test.ts
 * checks that at 100 declarations). Output is deterministic for a given count and seed.
 *
 *   npx tsx scripts/gen-synthetic-spec.ts 10000 /tmp/synth-10k     # writes /tmp/synth-10k/*.abi
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { registryRows } from "../src/registry/registry.js";

/** Declarations per family (file): about the size of a large real header such as kvm.h. */
export const FAMILY_SIZE = 500;

/** Fraction of each family's declarations by kind (the rest are structs). */
const MIX = { const: 0.2, enum: 0.05, flags: 0.05, union: 0.06, ioctl: 0.2 } as const;

/** Ioctl type bytes the VFS (or ttys) own: never chosen, so no ABI102/103 noise. */
const AVOID_TYPES = new Set([0x00, 0x01, 0x03, 0x12, 0x15, 0x54, 0x58, 0x66, 0x94]);

/**
 * Type bytes no row of ioctl-number.rst claims (so no ABI100), one per family (so no ABI101):
 * 100 families at 50k declarations fit in the ~125 there are.
 */
const FREE_TYPES: readonly number[] = (() => {
  const used = new Set(registryRows().map((r) => r.type));
  const free: number[] = [];
  for (let t = 0; t < 256; t++) if (!used.has(t) && !AVOID_TYPES.has(t)) free.push(t);
  return free;
})();

/** A small deterministic PRNG (mulberry32): same count and seed, same specs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RecordInfo {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  /** How deep records nest inside it (0: only scalars and arrays of scalars). */
  readonly level: number;
}

interface Scalar {
  readonly type: string;
  readonly size: number;
}

const SCALARS: readonly Scalar[] = [
  { type: "u8", size: 1 }, { type: "u16", size: 2 }, { type: "u32", size: 4 }, { type: "u64", size: 8 },
  { type: "s32", size: 4 }, { type: "s64", size: 8 }, { type: "le32", size: 4 }, { type: "le16", size: 2 },
  { type: "be32", size: 4 }, { type: "le64", size: 8 },
];

/** The largest ioctl argument we generate (the size field holds 13 bits on some targets). */
const MAX_ARG = 4096;

/** One family's text: its declarations, in dependency order. */
function family(index: number, count: number, random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const fam = `synth${String(index).padStart(3, "0")}`;
  const FAM = fam.toUpperCase();
  const out: string[] = [`/// Synthetic family ${index} for the compiler benchmark.`, `family ${fam} = "linux/${fam}.h";`, ""];

  const consts: string[] = [];
  const enums: { name: string; first: number; count: number }[] = [];
  const flags: { name: string; bits: number }[] = [];
  const records: RecordInfo[] = [];
  const fdName = `${fam}_dev`;
  let n = 0;

  out.push(`/// The device of family ${index}.`, `fd ${fdName} = "/dev/${fam}";`, "");
  n++;

  const plan: ("const" | "enum" | "flags" | "struct" | "union" | "ioctl")[] = [];
  const want = (kind: keyof typeof MIX): number => Math.max(count >= 20 ? 1 : 0, Math.round((count - 1) * MIX[kind]));
  for (const kind of ["const", "enum", "flags", "union", "ioctl"] as const) for (let i = 0; i < want(kind); i++) plan.push(kind);
  while (plan.length < count - 1) plan.push("struct");
  plan.length = count - 1;
  // Interleave kinds the way headers do, but keep a few constants and records first so later
  // declarations have something to refer to.
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  plan.sort((a, b) => rank(a) - rank(b));
  function rank(k: string): number {
    return k === "const" || k === "enum" || k === "flags" ? 0 : k === "ioctl" ? 2 : 1;
  }

  const typeByte = pickTypeByte(index);
  let nr = 0;

  for (const kind of plan) {
    const id = n++;
    switch (kind) {
      case "const": {
        const name = `${FAM}_C${id}`;
        const value = consts.length > 0 && random() < 0.4 ? `${pick(consts)} * 2 + ${int(1, 9)}` : `0x${int(1, 0xffff).toString(16)}`;
        if (random() < 0.3) out.push(`/// Constant ${id}.`);
        out.push(`const ${name} = ${value};`, "");
        consts.push(name);
        break;
      }
      case "enum": {
        const name = `${fam}_e${id}`;
        const members = int(3, 12);
        out.push(`/// Enum ${id}.`, `enum ${name}: u32 {`);
        for (let m = 0; m < members; m++) out.push(`  ${name.toUpperCase()}_M${m}${m === 0 ? " = 1" : ""},`);
        out.push("}", "");
        enums.push({ name, first: 1, count: members });
        break;
      }
      case "flags": {
        const name = `${fam}_f${id}`;
        const bits = int(2, 10);
        out.push(`/// Flags ${id}.`, `flags ${name}: u32 {`);
        for (let b = 0; b < bits; b++) out.push(`  ${name.toUpperCase()}_B${b} = 1 << ${b},`);
        out.push("}", "");
        flags.push({ name, bits });
        break;
      }
      case "struct":
      case "union": {
        const name = `${fam}_${kind === "struct" ? "s" : "u"}${id}`;
        const rec = kind === "struct" ? struct(name) : union(name);
        out.push(...rec.lines, "");
        records.push(rec.info);
        break;
      }
      case "ioctl": {
        const name = `${FAM}_IOC${id}`;
        const args = records.filter((r) => r.size <= MAX_ARG);
        const dir = args.length === 0 ? "none" : pick(["none", "read", "write", "readwrite", "write", "readwrite"] as const);
        const t = `0x${typeByte.toString(16)}`;
        const slot = nr++;
        if (slot > 255) throw new Error(`family ${fam} has more than 256 ioctls; lower FAMILY_SIZE`);
        const enc = dir === "none" ? `none(${t}, ${slot})` : `${dir}(${t}, ${slot}, ${pick(args).name})`;
        out.push(`/// Ioctl ${id}.`, `ioctl ${name} = ${enc} {`, `  on ${fdName};`);
        if (dir === "none") out.push("  returns value;");
        if (random() < 0.5) out.push(`  error EINVAL "the argument is not valid";`);
        if (random() < 0.3) out.push(`  error EBUSY "the device is busy";`);
        out.push("}", "");
        break;
      }
    }
  }
  return out.join("\n");

  /** A struct of 2–12 members, laid out by hand (explicit padding to natural alignment). */
  function struct(name: string): { lines: string[]; info: RecordInfo } {
    const lines = [`/// Struct ${name}.`, `struct ${name} {`];
    const body = fields(int(2, 12), 0);
    lines.push(...body.lines, "}");
    return { lines, info: { name, size: body.size, align: body.align, level: body.level } };
  }

  /**
   * Members starting at `offset`; returns the lines (indented), the size (a multiple of the
   * alignment, itself 8 when any member needs 8) and the alignment.
   */
  function fields(count: number, depth: number): { lines: string[]; size: number; align: number; level: number } {
    const lines: string[] = [];
    let off = 0;
    let level = 0;
    let align = 1;
    let pads = 0;
    let lastScalarU32: string | undefined;
    const indent = "  ".repeat(depth + 1);
    const place = (a: number): void => {
      const gap = (a - (off % a)) % a;
      if (gap > 0) {
        lines.push(`${indent}pad${pads++}: u8[${gap}] @padding;`);
        off += gap;
      }
      align = Math.max(align, a);
    };
    for (let i = 0; i < count; i++) {
      const f = `f${i}`;
      const r = random();
      // Records of level 0 may go anywhere, level-1 ones only at the top: at most three
      // levels of records in a record, as in real headers (kvm_sregs → kvm_segment).
      const nestable = records.filter((x) => x.size <= 256 && x.level + depth <= 1);
      if (r < 0.1 && nestable.length > 0) {
        // A named struct or union inside, as kvm_sregs holds kvm_segment (kept small: real
        // headers nest a few levels, not a chain of ever larger records).
        const sub = pick(nestable);
        place(sub.align);
        lines.push(`${indent}${f}: ${sub.name};`);
        off += sub.size;
        level = Math.max(level, sub.level + 1);
      } else if (r < 0.16 && depth < 1) {
        // An inline struct array, as uvirtio_block.rules.
        const inner = fields(int(2, 4), depth + 1);
        place(inner.align);
        const len = int(2, 8);
        lines.push(`${indent}${f}: struct {`, ...inner.lines, `${indent}}[${len}];`);
        off += inner.size * len;
        level = Math.max(level, inner.level + 1);
      } else if (r < 0.22) {
        const len = int(4, 64);
        lines.push(`${indent}${f}: char[${len}];`);
        off += len;
      } else if (r < 0.28) {
        const s = pick(SCALARS.filter((x) => x.size <= 4));
        const len = int(2, 16);
        place(s.size);
        lines.push(`${indent}${f}: ${s.type}[${len}];`);
        off += s.size * len;
      } else if (r < 0.34 && enums.length > 0) {
        place(4);
        lines.push(`${indent}${f}: u32 @enum(${pick(enums).name});`);
        off += 4;
      } else if (r < 0.4 && flags.length > 0) {
        place(4);
        lines.push(`${indent}${f}: u32 @flags(${pick(flags).name});`);
        off += 4;
      } else if (r < 0.46 && lastScalarU32 !== undefined && depth === 0) {
        place(8);
        lines.push(`${indent}${f}: u64 @ptr(len = ${lastScalarU32});`);
        off += 8;
        lastScalarU32 = undefined;
      } else if (r < 0.5) {
        place(4);
        lines.push(`${indent}${f}: u32 @range(0, ${int(1, 1000)});`);
        off += 4;
      } else {
        const s = pick(SCALARS);
        place(s.size);
        lines.push(`${indent}${f}: ${s.type};`);
        if (s.type === "u32") lastScalarU32 = f;
        off += s.size;
      }
    }
    place(align); // tail padding, explicit
    return { lines, size: off, align, level };
  }

  /** A union: a few arms and a byte view that fixes its size on every target. */
  function union(name: string): { lines: string[]; info: RecordInfo } {
    const lines = [`/// Union ${name}.`, `union ${name} {`];
    let size = 8;
    let level = 0;
    const arms = int(2, 4);
    for (let i = 0; i < arms; i++) {
      const small = records.filter((x) => x.size <= 256 && x.level === 0);
      if (small.length > 0 && random() < 0.5) {
        const sub = pick(small);
        lines.push(`  a${i}: ${sub.name};`);
        size = Math.max(size, sub.size);
        level = 1;
      } else {
        const s = pick(SCALARS);
        lines.push(`  a${i}: ${s.type};`);
        size = Math.max(size, s.size);
      }
    }
    size = Math.ceil(size / 8) * 8;
    lines.push(`  raw: u8[${size}];`, "}");
    return { lines, info: { name, size, align: 8, level } };
  }
}

/** The family's own ioctl type byte. */
function pickTypeByte(index: number): number {
  const b = FREE_TYPES[index];
  if (b === undefined) throw new Error(`more families (${index + 1}) than free ioctl type bytes (${FREE_TYPES.length})`);
  return b;
}

/** `decls` declarations as spec files: file name → text. */
export function generateSyntheticSpec(decls: number, seed = 1): Map<string, string> {
  if (!Number.isInteger(decls) || decls < 1) throw new RangeError(`declarations must be a positive integer, got ${decls}`);
  const random = rng(seed);
  const files = new Map<string, string>();
  const families = Math.ceil(decls / FAMILY_SIZE);
  for (let i = 0; i < families; i++) {
    const count = Math.min(FAMILY_SIZE, decls - i * FAMILY_SIZE);
    files.set(`synth${String(i).padStart(3, "0")}.abi`, family(i, count, random));
  }
  return files;
}

/** Writes the files into `dir` (emptied first). */
export function writeSyntheticSpec(dir: string, decls: number, seed = 1): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = generateSyntheticSpec(decls, seed);
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return [...files.keys()].map((n) => join(dir, n));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [count, dir] = process.argv.slice(2);
  if (count === undefined || dir === undefined) {
    console.error("usage: tsx scripts/gen-synthetic-spec.ts <declarations> <output dir>");
    process.exit(2);
  }
  const written = writeSyntheticSpec(dir, Number(count));
  console.log(`wrote ${written.length} spec files (${count} declarations) to ${dir}`);
}
