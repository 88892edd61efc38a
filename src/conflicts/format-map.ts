/**
 * `--format svg` / `--format html`: a map of the (type, nr) space. One row per type byte that
 * anything uses, one column per nr; in each row, top to bottom: the registry's rows (grey; a
 * spec family's own rows green), the installed headers' ioctls (blue, with a scan), and the
 * spec ioctls (green, orange for a warning, red for an error). Spec families' unregistered
 * ranges are outlined (red when they overlap something). Every mark has a <title> tooltip.
 * The output is well-formed XML (the HTML is XHTML-compatible), so tools can parse it.
 */
import { formatLoc } from "../syntax/source.js";
import { hex32 } from "../targets/ioctl-encoding.js";
import { typeLabel } from "../registry/registry.js";
import { counts, type ConflictReport, type Finding } from "./report.js";
import { rangeLabel, rowLabel } from "./labels.js";
import { rowIsOwn } from "../registry/own-header.js";
import { sourcesLine } from "./sources.js";

const LEFT = 52;
const TOP = 30;
const W = 4;
const H = 12;

export const MAP_COLORS = {
  registry: "#9e9e9e",
  registryOwn: "#66bb6a",
  installed: "#1e88e5",
  spec: "#2e7d32",
  warning: "#f57c00",
  error: "#d32f2f",
} as const;

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const key = (type: number, nr: number) => (type << 8) | nr;

function rect(x: number, y: number, w: number, h: number, fill: string, title: string, extra = ""): string {
  return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}"${extra}><title>${esc(title)}</title></rect>`;
}

/** The worst live finding per slot. */
function slotSeverity(findings: readonly Finding[]): Map<number, { severity: "error" | "warning"; messages: string[] }> {
  const m = new Map<number, { severity: "error" | "warning"; messages: string[] }>();
  for (const f of findings) {
    if (f.suppressed !== undefined || f.severity === "info") continue;
    for (const s of f.slots) {
      const k = key(s.type, s.nr);
      const cur = m.get(k) ?? { severity: f.severity, messages: [] };
      if (f.severity === "error") cur.severity = "error";
      cur.messages.push(`${f.code}: ${f.message}`);
      m.set(k, cur);
    }
  }
  return m;
}

export function formatSvg(report: ConflictReport): string {
  const rows = report.registry.rows;
  const entries = report.scan?.entries ?? [];
  const specTypes = new Set(report.ioctls.map((io) => io.type));
  const types = [...new Set([...rows.map((r) => r.type), ...entries.map((e) => e.type), ...specTypes])].sort((a, b) => a - b);
  const rowOf = new Map(types.map((t, i) => [t, i]));
  const width = LEFT + 256 * W + 8;
  const height = TOP + types.length * H + 8;
  const y0 = (type: number) => TOP + rowOf.get(type)! * H;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="9" class="abigen-ioctl-map">`,
    `<title>ioctl (type, nr) map: registry, installed headers, specs</title>`,
  ];
  // Column ticks every 0x10.
  for (let nr = 0; nr < 256; nr += 16) {
    const x = LEFT + nr * W;
    out.push(`<text x="${x}" y="${TOP - 16}">${nr.toString(16).padStart(2, "0")}</text>`);
    out.push(`<line x1="${x}" y1="${TOP - 12}" x2="${x}" y2="${height - 8}" stroke="#e0e0e0" stroke-width="0.5"/>`);
  }
  out.push(`<text x="2" y="${TOP - 16}">type/nr</text>`);
  // Row backgrounds and labels.
  for (const t of types) {
    const y = y0(t);
    out.push(`<rect x="${LEFT}" y="${y}" width="${256 * W}" height="${H}" fill="${rowOf.get(t)! % 2 ? "#fafafa" : "#f0f0f0"}"/>`);
    const weight = specTypes.has(t) ? ` font-weight="bold"` : "";
    out.push(`<text x="2" y="${y + H - 3}"${weight}>${esc(typeLabel(t))}</text>`);
  }
  // Registry rows (top band).
  const familyHeaders = report.families.map((f) => f.header);
  for (const r of rows) {
    const own = familyHeaders.some((h) => rowIsOwn(r, h));
    out.push(rect(LEFT + r.nrFirst * W, y0(r.type) + 1, (r.nrLast - r.nrFirst + 1) * W, 3,
      own ? MAP_COLORS.registryOwn : MAP_COLORS.registry, `registry: ${rowLabel(r)}`, ` class="registry${own ? " own" : ""}"`));
  }
  // Installed ioctls (middle band), one mark per slot.
  const bySlot = new Map<number, string[]>();
  for (const e of entries) {
    const k = key(e.type, e.nr);
    bySlot.set(k, [...(bySlot.get(k) ?? []), `${e.name} = ${hex32(e.number)} (${e.header})`]);
  }
  for (const [k, names] of bySlot) {
    out.push(rect(LEFT + (k & 0xff) * W, y0(k >> 8) + 4, W, 3, MAP_COLORS.installed, `installed: ${names.join("; ")}`, ` class="installed"`));
  }
  // Spec families' unregistered ranges, outlined.
  for (const f of report.families) {
    for (const r of f.ranges) {
      if (!r.claim) continue;
      const bad = r.overlaps.length > 0 || r.overlapsFamilies.length > 0;
      out.push(`<rect x="${LEFT + r.claim.nrFirst * W - 0.5}" y="${y0(r.type) + 0.5}" width="${(r.claim.nrLast - r.claim.nrFirst + 1) * W + 1}" height="${H - 1}" ` +
        `fill="none" stroke="${bad ? MAP_COLORS.error : MAP_COLORS.spec}" stroke-width="1" class="claim${bad ? " conflict" : ""}">` +
        `<title>${esc(`${f.name}: ${rangeLabel(r.type, r.claim.nrFirst, r.claim.nrLast)} (unregistered)${bad ? ` overlaps ${[...r.overlaps.map(rowLabel), ...r.overlapsFamilies].join("; ")}` : ""}`)}</title></rect>`);
    }
  }
  // Spec ioctls (bottom band), coloured by their worst finding.
  const sev = slotSeverity(report.findings);
  for (const io of report.ioctls) {
    const s = sev.get(key(io.type, io.nr));
    const fill = s ? MAP_COLORS[s.severity] : MAP_COLORS.spec;
    const numbers = io.numbers.map((n) => `${hex32(n.number)} on ${n.targets.join(", ")}`).join("; ");
    const title = `${io.name} (${io.family}, ${formatLoc(io.loc)}): ${numbers}${s ? `\n${s.messages.join("\n")}` : ""}`;
    out.push(rect(LEFT + io.nr * W, y0(io.type) + 7, W, 4, fill, title, ` class="spec${s ? ` ${s.severity}` : ""}"`));
  }
  out.push("</svg>");
  return out.join("\n");
}

export function formatHtml(report: ConflictReport): string {
  const c = counts(report.findings);
  const legend = (
    [["registry", "registry row"], ["registryOwn", "registry row of a spec family's own header"], ["installed", "installed-header ioctl"],
      ["spec", "spec ioctl"], ["warning", "spec ioctl with a warning"], ["error", "spec ioctl with an error"]] as const
  ).map(([k, text]) => `<li><span class="swatch" style="background:${MAP_COLORS[k]}"></span>${esc(text)}</li>`).join("\n");
  const rows = report.findings.map((f) =>
    `<tr class="${f.severity}${f.suppressed !== undefined ? " suppressed" : ""}"><td>${f.severity}</td><td>${f.code ?? ""}</td><td>${esc(f.source)}</td>` +
    `<td>${esc(f.family)}</td><td>${esc(f.ioctl ?? "")}</td><td>${f.loc ? esc(formatLoc(f.loc)) : ""}</td>` +
    `<td>${esc(f.message)}${f.fix ? `<br/><em>fix: ${esc(f.fix)}</em>` : ""}${f.suppressed !== undefined ? `<br/><em>acknowledged: ${esc(f.suppressed)}</em>` : ""}</td></tr>`).join("\n");
  return `<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<title>abigen ioctl conflicts</title>
<style>
body { font-family: sans-serif; margin: 1em; }
.swatch { display: inline-block; width: 1em; height: 0.8em; margin-right: 0.4em; }
ul.legend { list-style: none; padding: 0; }
table { border-collapse: collapse; font-size: 90%; }
td, th { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; text-align: left; }
tr.error td:first-child { color: ${MAP_COLORS.error}; font-weight: bold; }
tr.warning td:first-child { color: ${MAP_COLORS.warning}; }
tr.suppressed { opacity: 0.6; }
</style>
</head>
<body>
<h1>ioctl conflicts</h1>
<p>${esc(sourcesLine(report.sources))}</p>
<p>${c.errors} error(s), ${c.warnings} warning(s), ${c.infos} info, ${c.suppressed} acknowledged; targets: ${esc(report.targets.map((t) => t.name).join(", "))}</p>
<ul class="legend">
${legend}
</ul>
${formatSvg(report)}
<h2>Findings</h2>
<table>
<tr><th>severity</th><th>code</th><th>source</th><th>family</th><th>ioctl</th><th>where</th><th>what</th></tr>
${rows}
</table>
</body>
</html>`;
}
