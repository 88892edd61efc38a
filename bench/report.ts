/** bench/results.md from the results of one run (see run.ts). */
import type { Results } from "./run.js";
import type { ProfileSummary } from "./profile.js";
import type { Measured } from "./harness.js";
import { CALLS_DESCRIPTION, callDiffs } from "./calls.js";

const n0 = (x: number): string => Math.round(x).toLocaleString("en");
const sec = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const mark = (met: boolean): string => (met ? "met" : "**MISSED**");

function table(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function spread(m: Measured): string {
  return `${n0(m.minOpsPerSec)}–${n0(m.maxOpsPerSec)}`;
}

function profile(p: ProfileSummary): string {
  return [
    `Sampled ${p.totalMs} ms of CPU (idle excluded). Self time by function (V8 inlines small callees into their callers, so a function's share includes what was inlined into it):`,
    "",
    table(["function", "self ms", "share"], p.byFunction.map((h) => [`\`${h.what}\``, h.selfMs, `${h.share}%`])),
    "",
    "By file:",
    "",
    table(["file", "self ms", "share"], p.byFile.map((h) => [`\`${h.what}\``, h.selfMs, `${h.share}%`])),
  ].join("\n");
}

export function renderMarkdown(r: Results): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    "<!-- Written by `npm run bench` (bench/run.ts); numbers from one run on the machine below. -->",
    "# Benchmarks",
    "",
    `Run ${r.startedAt}, ${r.durationS} s. Machine: ${m.cpu} × ${m.cpus}, ${m.memoryGiB} GiB, Linux ${m.kernel} (${m.platform}); ` +
      `Node ${m.node} (V8 ${m.v8}), koffi ${m.koffi}, restructure ${m["restructure"]}, binary-parser ${m["binary-parser"]}, prettier ${m.prettier}, gcc ${m.gcc}; commit ${m.commit}.`,
    "",
    "Absolute times on this shared machine are noise; the **ratios** between contenders, measured in one process, interleaved " +
      "(each round runs every contender once, in rotated order, garbage collected before each batch so none pays for another's), " +
      "after warm-up, as the median of the rounds, are the result. " +
      "The min–max columns show how much the rounds varied.",
    "",
    "## Targets",
    "",
    table(["group", "what", "target", "measured", ""], r.targets.map((t) => [t.group, t.what, t.target, t.measured, mark(t.met)])),
    "",
    `${r.targets.filter((t) => t.met).length} met, ${r.targets.filter((t) => !t.met).length} missed.`,
  );

  if (r.codecs) {
    out.push(
      "",
      "## 1. Codecs",
      "",
      "Generated codec (`generated/ts/<family>`, host layout) vs a hand-written DataView codec for the same struct " +
        "(bench/codecs/handwritten.ts: offsets as constants, no validation — the JS limit; `encode` results from a slab as the " +
        "generated codecs take them, 64-bit fields through DataView), restructure 3 and binary-parser 2 (decode only). Rows without " +
        "a target show the choices apart: `handwritten-fresh` allocates a fresh buffer per encode (what the slab saves), " +
        "`handwritten-words` stores 64-bit fields through a BigUint64Array over the slab as the generated encoders do (what their " +
        "validation costs when both write alike). Same value and bytes for all (bench/codecs/fixtures.ts); test/bench/codecs.test.ts checks they all " +
        "decode the same bytes to the same value and encode the same bytes. Ratio = generated ops/s ÷ other ops/s (higher is better for generated).",
      "",
      table(
        ["struct", "op", "contender", "ops/s (median)", "rounds min–max", "generated ÷ this"],
        r.codecs.flatMap((row) =>
          row.results.map((x) => [row.struct, row.op, x.name, n0(x.opsPerSec), spread(x), x.name === "generated" ? "—" : `${row.ratios[x.name]}×`]),
        ),
      ),
    );
  }

  if (r.compiler) {
    const c = r.compiler;
    out.push(
      "",
      "## 2. Compiler",
      "",
      "Synthetic specs from scripts/gen-synthetic-spec.ts (families of ≤500 declarations: ~20% constants, ~10% enums/flags, " +
        "~45% structs with scalars, arrays, strings, nested named and inline structs, ~6% unions, ~20% ioctls of every direction; " +
        "layouts identical on all 16 targets, 0 diagnostics). Each size runs in its own process (bench/compile-child.ts); peak " +
        "memory is that process's maxRSS. `full` = what `abigen specs/` does (parse, model, rules, layout on all 16 targets, emit " +
        "JSON + C headers and layout tests + docs + TS formatted by prettier, write) minus the installed-header scan and the ABI lock, " +
        "cold: a first build into an empty directory with an empty prettier cache (src/emit/ts/prettier-cache.ts), so prettier formats " +
        "every TS file; `warm` = the same into an emptied directory with the cache the cold run filled (prettier's output looked up by a " +
        "hash of its input); `rebuild` = the same over the cold run's output with an empty cache — a fresh clone of a repository with " +
        "generated/ committed, as a user's CI runs `abigen specs/ --check` (each formatted TS file carries a stamp of what it was " +
        "formatted from, src/emit/ts/format-stamp.ts, so unchanged files are not formatted again); `noformat` = the same with prettier " +
        "off; `compile` = the front end only.",
      "",
      table(
        ["declarations", "spec lines", "mode", "total", "peak RSS", "front end", "emit", "write", "output", "gcc -fsyntax-only on the headers"],
        c.sizes.flatMap((s) =>
          Object.entries(s.runs).filter(([mode]) => mode !== "phases").map(([mode, x]) => [
            n0(s.decls), n0(s.specLines), mode, sec(x!.totalMs), `${n0(x!.maxRssMiB)} MiB`, sec(x!.ms.compile ?? 0),
            x!.ms.emit === undefined ? "—" : sec(x!.ms.emit), x!.ms.write === undefined ? "—" : sec(x!.ms.write),
            x!.bytes > 0 ? `${x!.files} files, ${(x!.bytes / 2 ** 20).toFixed(1)} MiB` : "—",
            s.gccMs === undefined ? "—" : sec(s.gccMs),
          ]),
        ),
      ),
    );
    const phased = c.sizes.filter((s) => s.runs.phases !== undefined);
    if (phased.length > 0) {
      const keys = ["compile", "parse", "emit.json", "emit.c", "emit.docs", "emit.ts.noformat", "emit.ts.prettier"];
      out.push(
        "",
        "Per phase (`phases` mode: each emitter on its own; `parse` is a second, parse-only pass, part of `compile`; " +
          "`emit.ts.prettier` is the TS emitter with formatting and the prettier cache off, so prettier's cost is its difference to `emit.ts.noformat`):",
        "",
        table(
          ["declarations", ...keys, "prettier share of the TS emitter"],
          phased.map((s) => {
            const ms = s.runs.phases!.ms;
            const pr = (ms["emit.ts.prettier"] ?? 0) - (ms["emit.ts.noformat"] ?? 0);
            return [n0(s.decls), ...keys.map((k) => (ms[k] === undefined ? "—" : sec(ms[k]!))), `${sec(pr)} (${Math.round((pr / (ms["emit.ts.prettier"] ?? 1)) * 100)}%)`];
          }),
        ),
      );
    }
    const notRun = c.sizes.filter((s) => s.notRun.length > 0);
    if (notRun.length > 0) {
      out.push("", "Not measured (to keep `npm run bench` within minutes), not extrapolated:", "");
      for (const s of notRun) for (const why of s.notRun) out.push(`- ${n0(s.decls)} declarations: ${why}`);
    }
    out.push(
      "",
      "Growth between sizes (time ratio for 10× or 5× the declarations; ~linear means time ratio ≈ declaration ratio):",
      "",
      table(["from → to", "decl ratio", "quantity", "time ratio"], c.growth.map((g) => [`${n0(g.from)} → ${n0(g.to)}`, `${g.declRatio}×`, g.quantity, `${g.timeRatio}×`])),
    );
    for (const p of c.profiles) out.push("", `Profile: ${p.what}.`, "", profile(p.summary));
  }

  if (r.calls) {
    out.push("", "## 3. Calls (/dev/kvm)", "");
    if (r.calls.skipped !== undefined) {
      out.push(`Not measured: ${r.calls.skipped}.`);
    } else {
      out.push(
        CALLS_DESCRIPTION,
        "",
        table(
          ["ioctl", "contender", "ns/call (median)", "rounds min–max ops/s", "÷ C"],
          r.calls.rows.flatMap((row) => row.results.map((x) => [row.ioctl, x.name, n0(x.nsPerOp), spread(x), `${row.overC[x.name]}×`])),
        ),
        "",
        "What the rows say, per call (differences of medians from this run):",
        "",
      );
      for (const row of r.calls.rows) {
        const ns = (name: string): number | undefined => row.results.find((x) => x.name === name)?.nsPerOp;
        const parts: string[] = [];
        const d = (a: string, b: string, label: string): void => {
          const x = ns(a);
          const y = ns(b);
          if (x !== undefined && y !== undefined) parts.push(`${label} ${n0(x - y)} ns`);
        };
        for (const [a, b, label] of callDiffs(r.calls.backend ?? "koffi")) d(a, b, label);
        out.push(`- ${row.ioctl}: ${parts.join("; ")}.`);
      }
    }
  }

  if (r.mocks) {
    out.push("", "## 4. Mock devices and user-mode drivers", "");
    const rows = r.mocks.rows.flatMap((row) =>
      row.results.map((x) => [row.what, x.name, n0(x.opsPerSec), spread(x), row.tsOverC === undefined ? "—" : x.name.startsWith("C") ? "1×" : `${row.tsOverC}×`]),
    );
    for (const nm of r.mocks.notMeasured) rows.push([nm.what, "—", `not yet measured: ${nm.reason}`, "—", "—"]);
    out.push(table(["what", "contender", "ops/s (median)", "rounds min–max", "TS ÷ C (ops/s)"], rows));
    for (const row of r.mocks.rows) if (row.note) out.push("", `- ${row.what}: ${row.note}.`);
  }

  if (r.profiles.length > 0) {
    out.push("", "## Where the time goes (missed targets)", "");
    for (const p of r.profiles) out.push(`### ${p.what}`, "", profile(p.summary), "");
  }
  return out.join("\n") + "\n";
}
