/** In-memory specs and C-computed installed-header scans for the conflict tests. */
import { compileWithHost } from "../../src/compiler.js";
import type { Program } from "../../src/model/model.js";
import type { ScanEntry, ScanResult } from "../../src/scan/scan.js";
import { decodeIoctl } from "../../src/targets/ioctl-encoding.js";
import { findTarget, TARGETS, type Target } from "../../src/targets/targets.js";
import { cValues } from "../helpers/c-values.js";

/** Compile spec texts (name → text) held in memory; fails the test on any compile error. */
export function compileMemory(files: Record<string, string>, targets: readonly Target[] = TARGETS) {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [`/mem/${k}`, v]));
  const r = compileWithHost(Object.keys(abs), { read: (p) => abs[p], display: (p) => p.slice("/mem/".length) }, targets);
  if (!r.program) throw new Error(`spec does not compile:\n${r.diagnostics.map((d) => d.message).join("\n")}`);
  return r as typeof r & { program: Program };
}

/**
 * A scan result as `abigen scan` would make it, for the named macros of the named headers —
 * their numbers computed by the host gcc (x86_64), never typed by hand.
 */
export function scanFromC(macros: Record<string, readonly string[]>): ScanResult {
  const pairs = Object.entries(macros).flatMap(([header, names]) => names.map((name) => ({ header, name })));
  const prelude = Object.keys(macros).map((h) => `#include <${h}>\n`).join("");
  const values = cValues(pairs.map((p) => p.name), { prelude });
  const x86 = findTarget("x86_64")!;
  const entries: ScanEntry[] = pairs.map((p, i) => {
    const d = decodeIoctl(x86.ioctl, values[i]!);
    return { name: p.name, header: p.header, number: values[i]!, dir: d.dir, type: d.type, nr: d.nr, size: d.size, kind: "ioc" };
  });
  return {
    key: "test", dir: "/usr/include", cc: "gcc", target: "x86_64", fromCache: true, elapsedMs: 0,
    headersScanned: Object.keys(macros).length, headersWithCandidates: Object.keys(macros).length,
    headersNeedingPrelude: [], headerErrors: [], entries, failures: [],
    summary: { candidates: entries.length, evaluated: entries.length, failed: 0, byReason: {}, compiles: 1, neededPrelude: 0 },
  };
}
