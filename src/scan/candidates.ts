/**
 * Which macros of the scanned headers are ioctl numbers, by their text:
 * - object-like macros whose body calls _IO/_IOR/_IOW/_IOWR/_IOC (or their _BAD forms), or a
 *   function-like wrapper of them defined in any scanned header (`DRM_IOWR(nr, type)`);
 * - aliases of those (`#define TIOCINQ FIONREAD`);
 * - legacy bare numbers (`#define TIOCGWINSZ 0x5413`): an integer literal whose type byte and
 *   nr fall in a kernel-registry row that names this header. Without that cross-check every
 *   flag constant would look like an ioctl.
 * This only picks names; every value is computed by the C compiler later.
 */
import type { Registry, RegistryRow } from "../registry/registry.js";
import type { MacroDef } from "./macros.js";

export const IOC_MACROS = ["_IO", "_IOR", "_IOW", "_IOWR", "_IOC", "_IOR_BAD", "_IOW_BAD", "_IOWR_BAD"];

export interface Candidate {
  readonly name: string;
  /** `ioc` = built with an _IO* macro (or alias of one); `legacy` = a registered bare number. */
  readonly kind: "ioc" | "legacy";
}

function callsAny(body: string, names: ReadonlySet<string>): boolean {
  for (const m of body.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) if (names.has(m[1]!)) return true;
  return false;
}

/** Function-like macros that expand to an _IOC call, directly or through each other. */
export function iocWrappers(allDefs: readonly MacroDef[]): Set<string> {
  const wrappers = new Set(IOC_MACROS);
  const fns = allDefs.filter((d) => d.params !== undefined);
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of fns) {
      if (!wrappers.has(d.name) && callsAny(d.body, wrappers)) {
        wrappers.add(d.name);
        grew = true;
      }
    }
  }
  return wrappers;
}

/**
 * How a registry row's path is spelt as an #include name: `include/uapi/linux/x.h` and
 * `uapi/linux/x.h` → `linux/x.h`; `arch/x86/include/uapi/asm/x.h` → `asm/x.h`; and
 * `asm-generic/x.h` → `asm/x.h` (what asm/x.h includes on most arches).
 */
export function includeKey(path: string): string {
  return path
    .replace(/^arch\/[^/]+\/include\/(?:uapi\/)?asm\//, "asm/")
    .replace(/^(?:linux\/uapi\/|include\/uapi\/|include\/|uapi\/)/, "")
    .replace(/^asm-generic\//, "asm/");
}

/** Registry rows per include key (asm-generic/x.h is what asm/x.h includes on most arches). */
export function rowsByHeader(reg: Registry): Map<string, RegistryRow[]> {
  const map = new Map<string, RegistryRow[]>();
  for (const r of reg.rows) {
    for (const h of r.headers) {
      const key = includeKey(h);
      map.set(key, [...(map.get(key) ?? []), r]);
    }
  }
  return map;
}

/** `FOO` or `(FOO)`: the name a macro is an alias of. */
function aliasOf(body: string): string | undefined {
  return /^\(?\s*([A-Za-z_]\w*)\s*\)?$/.exec(body)?.[1];
}

const INT_LITERAL = /^\(?\s*(0[xX][0-9A-Fa-f]+|[1-9]\d*)[uUlL]*\s*\)?$/;

export interface HeaderMacros {
  readonly header: string;
  readonly defs: readonly MacroDef[];
}

/** Candidates per header, given every scanned header's macros. */
export function findCandidates(headers: readonly HeaderMacros[], reg: Registry): Map<string, Candidate[]> {
  const wrappers = iocWrappers(headers.flatMap((h) => h.defs));
  const byHeader = rowsByHeader(reg);
  // A registered bare number: its type byte and nr lie in a row naming this header.
  const legacy = (d: MacroDef, rows: readonly RegistryRow[]): boolean => {
    const lit = INT_LITERAL.exec(d.body);
    if (!lit) return false;
    const v = Number(lit[1]);
    const type = v >> 8;
    const nr = v & 0xff;
    return v >= 0x100 && v <= 0xffff && rows.some((r) => r.type === type && nr >= r.nrFirst && nr <= r.nrLast);
  };
  const known = new Map<string, Candidate["kind"]>();
  const direct = (d: MacroDef, rows: readonly RegistryRow[]): Candidate["kind"] | undefined =>
    callsAny(d.body, wrappers) ? "ioc" : legacy(d, rows) ? "legacy" : undefined;
  const kindOf = (d: MacroDef, rows: readonly RegistryRow[]): Candidate["kind"] | undefined =>
    d.params !== undefined ? undefined : direct(d, rows) ?? known.get(aliasOf(d.body) ?? "");
  // Aliases (`#define TIOCINQ FIONREAD`) take their target's kind; iterate to a fixed point.
  for (let grew = true; grew; ) {
    grew = false;
    for (const h of headers) {
      const rows = byHeader.get(includeKey(h.header)) ?? [];
      for (const d of h.defs) {
        const k = known.has(d.name) ? undefined : kindOf(d, rows);
        if (k) {
          known.set(d.name, k);
          grew = true;
        }
      }
    }
  }
  const out = new Map<string, Candidate[]>();
  for (const h of headers) {
    const rows = byHeader.get(includeKey(h.header)) ?? [];
    const seen = new Set<string>();
    const list: Candidate[] = [];
    for (const d of h.defs) {
      const kind = seen.has(d.name) ? undefined : kindOf(d, rows);
      if (!kind) continue;
      list.push({ name: d.name, kind });
      seen.add(d.name);
    }
    if (list.length) out.set(h.header, list);
  }
  return out;
}
