/**
 * The sources a conflict check compared the specs against, and how to say so: a reader of a
 * clean report must know whether the installed headers were looked at at all.
 */
import type { ScanResult } from "../scan/scan.js";
import type { Registry } from "../registry/registry.js";
import { vfsData } from "../registry/vfs.js";

export interface SourcesUsed {
  readonly spec: { readonly families: number; readonly ioctls: number };
  readonly registry: { readonly rows: number };
  readonly vfs: { readonly commands: number };
  readonly installed:
    | { readonly used: true; readonly dir: string; readonly target: string; readonly ioctls: number; readonly cached: boolean }
    | { readonly used: false; readonly why: string };
}

export function sourcesUsed(families: number, ioctls: number, reg: Registry, scan: ScanResult | undefined, whyNoScan: string): SourcesUsed {
  return {
    spec: { families, ioctls },
    registry: { rows: reg.rows.length },
    vfs: { commands: vfsData().commands.length },
    installed: scan
      ? { used: true, dir: scan.dir, target: scan.target, ioctls: scan.entries.length, cached: scan.fromCache }
      : { used: false, why: whyNoScan },
  };
}

/** One line: `sources: 26 spec ioctls; ioctl-number.rst (285 rows); 25 VFS commands; installed headers …`. */
export function sourcesLine(s: SourcesUsed): string {
  const installed = s.installed.used
    ? `installed headers in ${s.installed.dir} (${s.installed.ioctls} ioctls, ${s.installed.target} numbers, ${s.installed.cached ? "cached scan" : "fresh scan"})`
    : `installed headers not checked (${s.installed.why})`;
  return `sources: ${s.spec.ioctls} spec ioctls in ${s.spec.families} families; ioctl-number.rst (${s.registry.rows} rows); ` +
    `${s.vfs.commands} VFS-intercepted commands; ${installed}`;
}

export const NO_SCAN_CACHED = "no cached scan: run `abigen scan` once, or pass --scan";
