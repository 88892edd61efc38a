/**
 * The kernel's ioctl-number registry as data: which (type, nr) ranges are allocated, and
 * which are free. Loaded from data/registry/ioctl-number.json (see
 * scripts/registry-from-rst.ts for how it is made).
 */
import { readFileSync } from "node:fs";
import type { RegistryRow } from "./rst-table.js";

export type { RegistryRow } from "./rst-table.js";

const DEFAULT_FILE = new URL("../../data/registry/ioctl-number.json", import.meta.url);

let cached: readonly RegistryRow[] | undefined;

/** The committed registry (read once). */
export function registryRows(): readonly RegistryRow[] {
  cached ??= JSON.parse(readFileSync(DEFAULT_FILE, "utf8")) as RegistryRow[];
  return cached;
}

/** `0x07`: a byte (type or nr) as the diagnostics and command outputs write it. */
export function hexByte(n: number): string {
  return "0x" + n.toString(16).padStart(2, "0");
}

/** `'G'` for printable type bytes, `0xae` otherwise: how diagnostics and command outputs name a type. */
export function typeLabel(type: number): string {
  return type >= 0x21 && type <= 0x7e ? `'${String.fromCharCode(type)}'` : hexByte(type);
}

export class Registry {
  private readonly byType = new Map<number, RegistryRow[]>();

  constructor(readonly rows: readonly RegistryRow[] = registryRows()) {
    for (const r of rows) {
      const list = this.byType.get(r.type) ?? [];
      list.push(r);
      this.byType.set(r.type, list);
    }
  }

  /** Rows whose range holds (type, nr), in file order. */
  rowsFor(type: number, nr: number): RegistryRow[] {
    return (this.byType.get(type) ?? []).filter((r) => nr >= r.nrFirst && nr <= r.nrLast);
  }

  /** Rows whose range overlaps [nrFirst, nrLast] of `type`. */
  rowsOverlapping(type: number, nrFirst: number, nrLast: number): RegistryRow[] {
    return (this.byType.get(type) ?? []).filter((r) => r.nrFirst <= nrLast && nrFirst <= r.nrLast);
  }

  /**
   * Unallocated slots of `width` consecutive numbers, aligned to `width` rounded up to a power
   * of two (the registry's own blocks are aligned like that: 00-1F, 40-7F, …). Without `type`,
   * every type code is searched; codes with no row at all come first, since a whole free
   * code leaves room to grow. One slot per free gap (its first aligned one) is returned, with
   * the gap it sits in.
   */
  freeRanges(opts: { type?: number; width?: number; exclude?: (type: number) => boolean } = {}): FreeSlot[] {
    const width = opts.width ?? 32;
    if (!Number.isInteger(width) || width < 1 || width > 256) throw new RangeError(`width must be 1..256, not ${width}`);
    let align = 1;
    while (align < width) align *= 2;
    const types = opts.type === undefined ? [...Array(256).keys()] : [opts.type];
    const slots: FreeSlot[] = [];
    for (const type of types) {
      if (opts.exclude?.(type)) continue;
      const used = new Array<boolean>(256).fill(false);
      for (const r of this.byType.get(type) ?? []) for (let n = r.nrFirst; n <= r.nrLast; n++) used[n] = true;
      for (let gapFirst = 0; gapFirst < 256; ) {
        if (used[gapFirst]) { gapFirst++; continue; }
        let gapLast = gapFirst;
        while (gapLast + 1 < 256 && !used[gapLast + 1]) gapLast++;
        const first = Math.ceil(gapFirst / align) * align;
        if (first + width - 1 <= gapLast) {
          slots.push({ type, nrFirst: first, nrLast: first + width - 1, gapFirst, gapLast, typeUnused: !this.byType.has(type) });
        }
        gapFirst = gapLast + 1;
      }
    }
    return slots.sort((a, b) => Number(b.typeUnused) - Number(a.typeUnused) || a.type - b.type || a.nrFirst - b.nrFirst);
  }
}

export interface FreeSlot {
  readonly type: number;
  readonly nrFirst: number;
  readonly nrLast: number;
  /** The whole unallocated run the slot was taken from. */
  readonly gapFirst: number;
  readonly gapLast: number;
  /** No registry row uses this type code at all. */
  readonly typeUnused: boolean;
}

let defaultRegistry: Registry | undefined;

/** The committed registry. */
export function registry(): Registry {
  defaultRegistry ??= new Registry();
  return defaultRegistry;
}

/** Rows of the committed registry whose range holds (type, nr). */
export function rowsFor(type: number, nr: number): RegistryRow[] {
  return registry().rowsFor(type, nr);
}

/** Free slots of the committed registry; see Registry.freeRanges. */
export function freeRanges(type?: number, width = 32): FreeSlot[] {
  return registry().freeRanges({ type, width });
}
