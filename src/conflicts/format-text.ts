/**
 * The readable report: per family, its ranges and then its findings grouped by severity, each
 * with where, what and the fix. Suppressed warnings are listed last, with their reason.
 */
import { formatLoc } from "../syntax/source.js";
import { counts, type ConflictReport, type Finding, type FindingSeverity } from "./report.js";
import { rangeLabel } from "./labels.js";
import { slotLabel } from "./free-ranges.js";
import { sourcesLine } from "./sources.js";

const SEVERITIES: readonly FindingSeverity[] = ["error", "warning", "info"];

export function formatText(report: ConflictReport): string {
  const lines: string[] = [sourcesLine(report.sources), `targets: ${report.targets.map((t) => t.name).join(", ")}`, ""];
  for (const fam of report.families) {
    const mine = report.findings.filter((f) => f.family === fam.name);
    if (fam.ranges.length === 0 && mine.length === 0) continue;
    const ranges = fam.ranges.map((r) => {
      const lo = Math.min(...r.nrs);
      const hi = Math.max(...r.nrs);
      return `${rangeLabel(r.type, lo, hi)} (${r.nrs.length})`;
    });
    lines.push(`${fam.name} (${fam.header}, ${fam.file})${ranges.length ? ` — ${ranges.join(", ")}` : ""}`);
    for (const sev of SEVERITIES) {
      const group = mine.filter((f) => f.severity === sev && f.suppressed === undefined);
      if (group.length === 0) continue;
      lines.push(`  ${sev}s:`);
      for (const f of group) lines.push(...findingLines(f));
    }
    const allowed = mine.filter((f) => f.suppressed !== undefined);
    if (allowed.length > 0) {
      lines.push("  acknowledged (@allow):");
      for (const f of allowed) lines.push(...findingLines(f), `      reason: ${f.suppressed}`);
    }
    for (const r of fam.ranges) {
      if (r.free.length > 0 && r.claim) {
        lines.push(`  free instead of ${rangeLabel(r.type, r.claim.nrFirst, r.claim.nrLast)}: ${r.free.map(slotLabel).join(", ")}`);
      }
    }
    lines.push("");
  }
  const c = counts(report.findings);
  lines.push(`${c.errors} error(s), ${c.warnings} warning(s), ${c.infos} info, ${c.suppressed} acknowledged`);
  return lines.join("\n");
}

function findingLines(f: Finding): string[] {
  const where = f.loc ? formatLoc(f.loc) : "";
  const head = `    ${(f.code ?? "-").padEnd(6)} [${f.source}] ${where}${f.ioctl ? ` ${f.ioctl}` : ""}`;
  const out = [head, `      ${f.message}`];
  if (f.fix) out.push(`      fix: ${f.fix}`);
  return out;
}
