/**
 * `abigen conflicts <specs…>`: the conflict report, and the hook `abigen <specs…>` uses for the
 * installed-header checks.
 *
 * Exit status: 0 clean, 1 errors (or warnings with --deny-warnings, or specs that do not
 * compile), 2 usage errors.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { compileSpecs, UsageError } from "../compiler.js";
import { renderText } from "../diagnostics/render.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Program } from "../model/model.js";
import type { Target } from "../targets/targets.js";
import type { ScanResult } from "../scan/scan.js";
import { registry } from "../registry/registry.js";
import { declsOf } from "../model/model.js";
import { buildReport, counts, CONFLICT_SOURCES, type ConflictReport } from "./report.js";
import { installedDiagnostics } from "./installed-checks.js";
import { NO_SCAN_CACHED, sourcesLine, sourcesUsed } from "./sources.js";
import { formatText } from "./format-text.js";
import { formatJson } from "./format-json.js";
import { formatSarif } from "./format-sarif.js";
import { formatRst } from "./format-rst.js";
import { formatHtml, formatSvg } from "./format-map.js";

export interface ConflictsIo {
  out(s: string): void;
  err(s: string): void;
}

const FORMATS = {
  text: formatText, json: formatJson, sarif: formatSarif, rst: formatRst, svg: formatSvg, html: formatHtml,
} as const satisfies Record<string, (r: ConflictReport) => string>;
type Format = keyof typeof FORMATS;

export const CONFLICTS_USAGE = `usage: abigen conflicts <spec files or dirs…> [options]
  Check every spec ioctl against the other spec ioctls, ioctl-number.rst, the commands the
  VFS intercepts, and the installed kernel headers (from the cached \`abigen scan\`).
      --format F         text (default), json, sarif, rst (rows to add to ioctl-number.rst),
                         svg or html (a map of the type x nr space)
      --out FILE         write the report to FILE instead of stdout
      --target a,b,…     only these targets (default: all)
      --scan             scan the installed headers if no cached scan exists (~15 s, cached)
      --no-installed     do not compare with the installed headers
      --deny-warnings    exit 1 on warnings too`;

/** Where the installed-header numbers come from: a cached scan, a fresh one, or none (with why). */
export async function loadScan(opts: { scan?: boolean; installed?: boolean; cache?: string | false } = {}): Promise<{ scan?: ScanResult; why: string }> {
  if (opts.installed === false) return { why: "--no-installed" };
  // Imported lazily: the scanner spawns compilers and lists /usr/include.
  const { cachedScan, scanHeaders } = await import("../scan/scan.js");
  try {
    const scan = opts.scan ? await scanHeaders({ cache: opts.cache }) : cachedScan({ cache: opts.cache });
    return scan ? { scan, why: "" } : { why: NO_SCAN_CACHED };
  } catch (e) {
    return { why: `scan unavailable: ${(e as Error).message.split("\n")[0]}` };
  }
}

/**
 * For `abigen <specs…>`: the pipeline already ran the registry and VFS rules; this adds the
 * installed-header diagnostics when a cached scan exists (or `scan: true` makes one), and the
 * line that says which sources were used. Merge `diagnostics` into the result's (both sorted).
 */
export async function conflictChecksForBuild(
  program: Program, targets: readonly Target[], opts: { scan?: boolean; cache?: string | false } = {},
): Promise<{ diagnostics: Diagnostic[]; sources: string }> {
  const { scan, why } = await loadScan(opts);
  const ioctls = program.families.reduce((n, f) => n + declsOf(f, "ioctl").length, 0);
  const sources = sourcesLine(sourcesUsed(program.families.length, ioctls, registry(), scan, why));
  return { diagnostics: scan ? installedDiagnostics(program, targets, scan) : [], sources };
}

export async function conflictsCommand(argv: string[], io: ConflictsIo, opts: { cache?: string | false } = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        format: { type: "string", default: "text" }, out: { type: "string" }, target: { type: "string" },
        scan: { type: "boolean", default: false }, "no-installed": { type: "boolean", default: false },
        "deny-warnings": { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    io.err(`abigen conflicts: ${(e as Error).message}\n${CONFLICTS_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(CONFLICTS_USAGE);
    return 0;
  }
  const format = values.format as string;
  if (!(format in FORMATS)) {
    io.err(`abigen conflicts: --format must be one of ${Object.keys(FORMATS).join(", ")}, not ${format}`);
    return 2;
  }
  if (positionals.length === 0) {
    io.err(`abigen conflicts: give the spec files or directories (e.g. abigen conflicts specs/)\n${CONFLICTS_USAGE}`);
    return 2;
  }
  const targets = values.target?.split(",").map((s) => s.trim()).filter(Boolean);
  let result;
  try {
    result = compileSpecs(positionals, { targets });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`abigen conflicts: ${e.message}`);
      return 2;
    }
    throw e;
  }
  // Problems that are not conflicts stop nothing here, but they are shown and fail the run.
  const other = result.diagnostics.filter((d) => CONFLICT_SOURCES[d.code] === undefined && d.suppressed === undefined);
  for (const d of other.filter((d) => d.severity === "error")) io.err(renderText(d) + "\n");
  if (!result.program) {
    io.err("abigen conflicts: the specs do not compile; fix the errors above first");
    return 1;
  }

  const { scan, why } = await loadScan({ scan: values.scan, installed: !values["no-installed"], cache: opts.cache });
  const report = buildReport(result.program, result.targets, { scan, whyNoScan: why });
  const text = FORMATS[format as Format](report);
  if (values.out !== undefined) writeFileSync(values.out, text.endsWith("\n") ? text : text + "\n");
  else io.out(text);
  if (format === "rst" && text === "") io.err("abigen conflicts: every range the specs use is already registered");
  if (format !== "text") io.err(`abigen conflicts: ${sourcesLine(report.sources)}`);

  const c = counts(report.findings);
  const otherErrors = other.some((d) => d.severity === "error");
  if (c.errors > 0 || otherErrors) return 1;
  if (values["deny-warnings"] && c.warnings > 0) return 1;
  return 0;
}
