/**
 * Printing diagnostics: a readable text form with a code frame (the offending line and a caret
 * under the span), and a JSON form with the same facts for tools.
 */
import { CODES } from "./codes.js";
import { headline, type Diagnostic } from "./diagnostic.js";
import { formatLoc, type Loc } from "../syntax/source.js";

function codeFrame(loc: Loc): string {
  const { line, column } = loc.source.position(loc.start);
  const endPos = loc.source.position(Math.max(loc.start, loc.end - 1));
  const text = loc.source.lineText(line);
  const width = String(line).length;
  const underline = endPos.line === line ? Math.max(1, endPos.column - column + 1) : Math.max(1, text.length - column + 1);
  const gutter = " ".repeat(width);
  return `${gutter} |\n${line} | ${text}\n${gutter} | ${" ".repeat(column - 1)}${"^".repeat(underline)}`;
}

export function renderText(d: Diagnostic): string {
  const parts = [headline(d) + (d.suppressed !== undefined ? ` (allowed: ${d.suppressed})` : "")];
  if (d.loc) parts.push(codeFrame(d.loc));
  if (d.hint) parts.push(`  hint: ${d.hint}`);
  for (const r of d.related ?? []) parts.push(`  note: ${r.message} (${formatLoc(r.loc)})`);
  return parts.join("\n");
}

/** Summary line: "2 errors, 1 warning". */
export function summarize(diags: readonly Diagnostic[]): string {
  const active = diags.filter((d) => d.suppressed === undefined);
  const errors = active.filter((d) => d.severity === "error").length;
  const warnings = active.filter((d) => d.severity === "warning").length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}

function jsonLoc(loc: Loc) {
  const start = loc.source.position(loc.start);
  const end = loc.source.position(loc.end);
  return { file: loc.source.name, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

export function toJson(d: Diagnostic): Record<string, unknown> {
  return {
    code: d.code,
    severity: d.severity,
    title: CODES[d.code].title,
    message: d.message,
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
    ...(d.loc ? jsonLoc(d.loc) : {}),
    ...(d.related?.length ? { related: d.related.map((r) => ({ message: r.message, ...jsonLoc(r.loc) })) } : {}),
    ...(d.suppressed !== undefined ? { suppressed: d.suppressed } : {}),
  };
}
