/**
 * `abigen decode <number>`: what an ioctl number means on a target — its dir/type/nr/size
 * fields under the target's encoding, the registry rows that own its (type, nr), whether the
 * VFS intercepts it, which installed-header macros have the same number, and which spec
 * ioctls (of a compiled specs directory) have it.
 */
import { existsSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { declsOf, type Program } from "../model/model.js";
import { ioctlNumber } from "../layout/ioctl-numbers.js";
import { formatLoc } from "../syntax/source.js";
import { decodeIoctl, hex32 } from "../targets/ioctl-encoding.js";
import { findTarget, hostTarget, TARGETS, type Target } from "../targets/targets.js";
import type { IoctlDir } from "../syntax/ast.js";
import { hexByte, registry, typeLabel, type Registry, type RegistryRow } from "./registry.js";
import { vfsIntercepted, type VfsHit } from "./vfs.js";
import type { ScanEntry, ScanResult } from "../scan/scan.js";
import { IOC_MACRO } from "../targets/ioctl-macros.js";

export interface Decoded {
  readonly number: number;
  readonly target: string;
  readonly encoding: Target["ioctl"]["name"];
  /** undefined when the direction bits are not a valid value for this encoding. */
  readonly dir: IoctlDir | undefined;
  readonly dirBits: number;
  readonly type: number;
  readonly nr: number;
  readonly size: number;
  readonly registry: readonly RegistryRow[];
  readonly vfs: readonly VfsHit[];
  /** Header macros with exactly this number (only when the scan was made for this target). */
  readonly headers: readonly ScanEntry[];
  /** Header macros with the same (type, nr) but another number: same slot, other dir or size. */
  readonly sameSlot: readonly ScanEntry[];
  /** Spec ioctls whose number on this target is this one (only when specs were given). */
  readonly specs: readonly SpecHit[];
  /** Spec ioctls with the same (type, nr) but another number on this target. */
  readonly specSameSlot: readonly SpecHit[];
}

export interface SpecHit {
  readonly name: string;
  readonly family: string;
  /** `specs/kvm.abi:366:1`. */
  readonly location: string;
  /** Its number on the decoded target. */
  readonly number: number;
}

/** Every spec ioctl with its number on `t`. */
function specNumbers(program: Program, t: Target): SpecHit[] {
  return program.families.flatMap((f) => declsOf(f, "ioctl").map((io) => ({
    name: io.name, family: f.name, location: formatLoc(io.loc), number: ioctlNumber(io, t),
  })));
}

export function decodeNumber(n: number, target: Target | string, opts: { scan?: ScanResult; registry?: Registry; specs?: Program } = {}): Decoded {
  const t = typeof target === "string" ? findTarget(target) : target;
  if (!t) throw new Error(`unknown target ${String(target)}`);
  const number = n >>> 0;
  const d = decodeIoctl(t.ioctl, number);
  const reg = opts.registry ?? registry();
  const entries = opts.scan?.entries ?? [];
  const exactOk = opts.scan?.target === t.name;
  const specs = opts.specs ? specNumbers(opts.specs, t) : [];
  const slotOf = (x: number) => decodeIoctl(t.ioctl, x);
  return {
    number, target: t.name, encoding: t.ioctl.name, ...d,
    registry: reg.rowsFor(d.type, d.nr),
    vfs: vfsIntercepted(number, t),
    headers: exactOk ? entries.filter((e) => e.number === number) : [],
    sameSlot: entries.filter((e) => e.type === d.type && e.nr === d.nr && !(exactOk && e.number === number)),
    specs: specs.filter((h) => h.number === number),
    specSameSlot: specs.filter((h) => h.number !== number && slotOf(h.number).type === d.type && slotOf(h.number).nr === d.nr),
  };
}

/** The number as the _IOx() call that makes it on this target. */
export function asMacro(d: Decoded): string {
  const ty = typeLabel(d.type);
  const nr = hexByte(d.nr);
  if (d.dir === undefined) return `_IOC(${d.dirBits} /* not a valid direction */, ${ty}, ${nr}, ${d.size})`;
  if (d.dir === "none") return d.size === 0 ? `_IO(${ty}, ${nr})` : `_IOC(_IOC_NONE, ${ty}, ${nr}, ${d.size})`;
  return `${IOC_MACRO[d.dir]}(${ty}, ${nr}, <${d.size} bytes>)`;
}

export function formatDecoded(d: Decoded, scanNote?: string): string {
  const lines = [
    `${hex32(d.number)} on ${d.target} (${d.encoding} encoding)`,
    `  ${asMacro(d)}`,
    `  dir=${d.dir ?? "invalid"} (bits ${d.dirBits})  type=${typeLabel(d.type)} (0x${d.type.toString(16)})  nr=0x${d.nr.toString(16)} (${d.nr})  size=${d.size}`,
  ];
  if (d.registry.length === 0) lines.push(`  registry: no row for type ${typeLabel(d.type)} nr 0x${d.nr.toString(16)} (unallocated)`);
  for (const [i, r] of d.registry.entries()) {
    lines.push(`  ${i === 0 ? "registry:" : "         "} ${r.code} ${r.seq.padEnd(5)} ${r.include || "(no file)"}${r.comment ? `  — ${r.comment}` : ""}  [ioctl-number.rst:${r.line}]`);
  }
  if (d.vfs.length === 0) lines.push("  VFS: not intercepted by do_vfs_ioctl()");
  for (const h of d.vfs) {
    const c = h.command;
    const reach = c.reachesDriver === "never" ? "never reaches a driver" : c.reachesDriver === "non-regular" ? "reaches a driver for non-regular files" : "reaches a driver only if the inode has no fileattr ops";
    lines.push(`  VFS: ${c.name} — ${c.handledBy.replace(/`/g, "")}; ${reach}`);
  }
  for (const e of d.headers) lines.push(`  header: ${e.name} (${e.header})`);
  for (const e of d.sameSlot) lines.push(`  same type/nr: ${e.name} = ${hex32(e.number)} (${e.header})`);
  for (const h of d.specs) lines.push(`  spec: ${h.name} (family ${h.family}, ${h.location})`);
  for (const h of d.specSameSlot) lines.push(`  spec, same type/nr: ${h.name} = ${hex32(h.number)} (family ${h.family}, ${h.location})`);
  if (scanNote) lines.push(`  ${scanNote}`);
  return lines.join("\n");
}

/** Decimal, 0x hex, 0o octal or 0b binary; a negative value is taken as a signed 32-bit int. */
export function parseNumber(s: string): number | undefined {
  const m = /^(-)?(0x[0-9a-f]+|0o[0-7]+|0b[01]+|\d+)$/i.exec(s.trim());
  if (!m) return undefined;
  const v = BigInt(m[2]!) * (m[1] ? -1n : 1n);
  if (v > 0xffffffffn || v < -0x80000000n) return undefined;
  return Number(BigInt.asUintN(32, v));
}

export interface DecodeIo {
  out(s: string): void;
  err(s: string): void;
}

export const DECODE_USAGE = `usage: abigen decode <number> [--target t | --all-targets] [--json] [--scan] [--specs DIR | --no-specs]
  Explain an ioctl number: its _IOC fields on the target (default: the host), the
  ioctl-number.rst rows for its type and nr, whether the VFS intercepts it, which
  installed-header macros use it (from a cached \`abigen scan\`; --scan runs one if needed),
  and which spec ioctls have it (specs from DIR; default ./specs when it exists).`;

export async function decodeCommand(argv: string[], io: DecodeIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        target: { type: "string" }, "all-targets": { type: "boolean", default: false },
        json: { type: "boolean", default: false }, scan: { type: "boolean", default: false },
        specs: { type: "string" }, "no-specs": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    io.err(`abigen decode: ${(e as Error).message}\n${DECODE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(DECODE_USAGE);
    return 0;
  }
  const n = positionals.length === 1 ? parseNumber(positionals[0]!) : undefined;
  if (n === undefined) {
    io.err(`abigen decode: give one number (0x… or decimal, at most 32 bits)\n${DECODE_USAGE}`);
    return 2;
  }
  let targets: Target[];
  if (values["all-targets"]) targets = [...TARGETS];
  else if (values.target !== undefined) {
    const t = findTarget(values.target);
    if (!t) {
      io.err(`abigen decode: unknown target ${values.target} (one of ${TARGETS.map((x) => x.name).join(", ")})`);
      return 2;
    }
    targets = [t];
  } else targets = [hostTarget()];

  // The scan module spawns compilers; load it only here, so decodeNumber stays cheap to import.
  const { cachedScan, scanHeaders } = await import("../scan/scan.js");
  const scan = values.scan ? await scanHeaders({}) : cachedScan({});
  const notes = scan ? [] : ["headers: not looked up (no cached scan; run `abigen scan` or pass --scan)"];
  const specs = await loadSpecs(values.specs, values["no-specs"], notes);
  if (specs === "usage") {
    io.err(`abigen decode: --specs ${values.specs}: no such directory`);
    return 2;
  }
  const note = notes.length > 0 ? notes.join("\n  ") : undefined;
  const decoded = targets.map((t) => decodeNumber(n, t, { scan, specs }));
  if (values.json) io.out(JSON.stringify(decoded.length === 1 ? decoded[0] : decoded, null, 1));
  else io.out(decoded.map((d) => formatDecoded(d, note)).join("\n\n"));
  return 0;
}

/**
 * The compiled specs to look numbers up in: `--specs DIR`, or ./specs when it exists. Specs
 * that do not compile are skipped with a note (decode still answers from the other sources).
 */
async function loadSpecs(dir: string | undefined, none: boolean, notes: string[]): Promise<Program | undefined | "usage"> {
  if (none) return undefined;
  const path = dir ?? "specs";
  const isDir = existsSync(path) && statSync(path).isDirectory();
  if (!isDir) {
    if (dir !== undefined) return "usage";
    notes.push("specs: not looked up (no ./specs directory; pass --specs DIR)");
    return undefined;
  }
  // The compiler pulls in the whole front end; load it only when specs are used.
  const { compileSpecs } = await import("../compiler.js");
  const result = compileSpecs([path]);
  if (!result.program) {
    notes.push(`specs: ${path} does not compile (run \`abigen ${path}\`); spec ioctls not looked up`);
    return undefined;
  }
  return result.program;
}
