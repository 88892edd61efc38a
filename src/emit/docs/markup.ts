/**
 * Block markup for the two doc formats: paragraphs, bullet lists, tables, code blocks and rST
 * headings. Registered as helpers on the docs' private Handlebars instance (templates.ts), so
 * the templates hold layout only.
 */
import { mdInline, rstInline, rstLabel } from "./inline.js";
import type { Table } from "./view.js";

// ---------------------------------------------------------------------------------------------
// Markdown (GitHub-flavoured)

export function mdParas(paras: readonly string[]): string {
  return paras.map((p) => mdInline(p)).join("\n\n");
}

export function mdList(items: readonly string[]): string {
  return items.map((i) => `- ${mdInline(i)}`).join("\n");
}

function mdCell(s: string): string {
  if (!s.includes("\n")) return mdInline(s, true);
  return s.split("\n").map((p) => mdInline(p, true)).join("<br><br>");
}

export function mdTable(t: Table): string {
  const head = `| ${t.header.map(mdCell).join(" | ")} |`;
  const rule = `|${t.header.map(() => "---").join("|")}|`;
  const rows = t.rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`);
  return [head, rule, ...rows].join("\n");
}

export function mdCode(text: string, lang: string): string {
  return "```" + lang + "\n" + text + "\n```";
}

// ---------------------------------------------------------------------------------------------
// reStructuredText (kernel Documentation/ style)

export function rstParas(paras: readonly string[]): string {
  return paras.map((p) => rstInline(p)).join("\n\n");
}

export function rstList(items: readonly string[]): string {
  return items.map((i) => `- ${rstInline(i)}`).join("\n");
}

/** A heading: the title underlined (and overlined, for the document title) to its length. */
export function rstHeading(title: string, char: string, overline = false): string {
  const text = rstInline(title);
  const rule = char.repeat([...text].length);
  return overline ? `${rule}\n${text}\n${rule}` : `${text}\n${rule}`;
}

/** One cell's lines, appended to `lines`. */
function rstCell(s: string, first: boolean, lines: string[]): void {
  const lead = first ? "   * - " : "     - ";
  if (!s.includes("\n")) {
    // An empty list item is an empty cell (tidy() strips the trailing space).
    lines.push(lead + (s === "" ? "" : rstInline(s)));
    return;
  }
  const paras = s.split("\n").filter((p) => p !== "");
  if (paras.length === 0) lines.push(lead);
  paras.forEach((p, i) => {
    if (i === 0) lines.push(lead + rstInline(p));
    else lines.push("", "       " + rstInline(p));
  });
}

export function rstTable(t: Table): string {
  const lines = [".. list-table::", "   :header-rows: 1", ""];
  const row = (r: readonly string[]): void => r.forEach((c, i) => rstCell(c, i === 0, lines));
  row(t.header);
  for (const r of t.rows) row(r);
  return lines.join("\n");
}

export function rstCode(text: string, lang: string): string {
  return [`.. code-block:: ${lang}`, "", ...text.split("\n").map((l) => (l === "" ? "" : "   " + l))].join("\n");
}

export function rstAnchor(family: string, anchor: string): string {
  return `.. _${rstLabel(family, anchor)}:`;
}

/** Blank-line hygiene after templating: no runs of blank lines, one newline at the end. */
export function tidy(text: string): string {
  const t = text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").replace(/^\n+/, "");
  // Exactly one newline at the end; by hand, since /\n*$/ is tried at every position of the text.
  let end = t.length;
  while (end > 0 && t.charCodeAt(end - 1) === 10) end--;
  return t.slice(0, end) + "\n";
}
