/**
 * Where the time goes: run a command under `node --cpu-prof` and sum the V8 CPU profile's self
 * time by function and by source file, so a missed target in bench/results.md comes with the
 * few places that dominate it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

export interface Hotspot {
  readonly what: string;
  readonly selfMs: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: Hotspot[];
  readonly byFile: Hotspot[];
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = join(import.meta.dirname, "..");

function shortUrl(url: string): string {
  if (url === "") return "(native/V8)";
  const path = url.replace(/^file:\/\//, "");
  const rel = relative(ROOT, path);
  return rel.startsWith("node_modules/") ? rel.split("/").slice(0, 2).join("/") : rel;
}

/** Sums self time from a .cpuprofile: each sample's time delta goes to the node it hit. */
export function summarize(profile: CpuProfile, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)" || functionName === "(program)") continue;
    total += dt;
    const f = shortUrl(url);
    // Line numbers of tsx-compiled files are not the source's: name node's internals only.
    const name = `${functionName || "(anonymous)"} ${f}${url.startsWith("node:") ? `:${lineNumber + 1}` : ""}`;
    fn.set(name, (fn.get(name) ?? 0) + dt);
    file.set(f, (file.get(f) ?? 0) + dt);
  }
  const rank = (m: Map<string, number>): Hotspot[] =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([what, ms]) => ({ what, selfMs: Math.round(ms), share: Math.round((ms / total) * 1000) / 10 }));
  return { totalMs: Math.round(total), byFunction: rank(fn), byFile: rank(file) };
}

/** Runs `node --cpu-prof --import tsx <args>` in the repo and summarizes the profile it writes. */
export function profileNode(args: readonly string[], top = 12): ProfileSummary {
  const dir = mkdtempSync(join(tmpdir(), "abigen-prof-"));
  try {
    const r = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", "tsx", ...args], {
      cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(`profiled run failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (file === undefined) throw new Error("no .cpuprofile written");
    return summarize(JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile, top);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
