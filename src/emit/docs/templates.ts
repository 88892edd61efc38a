/**
 * The docs templates (templates/docs/), compiled once on a private Handlebars instance with the
 * markup helpers of markup.ts. Templates lay out; helpers render; view.ts decides what is said.
 * Nothing is HTML-escaped: the outputs are Markdown and reStructuredText, escaped by the helpers.
 */
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { mdInline, rstInline } from "./inline.js";
import {
  mdCode, mdList, mdParas, mdTable, rstAnchor, rstCode, rstHeading, rstList, rstParas, rstTable,
} from "./markup.js";
import type { FamilyView } from "./view.js";

const ROOT = new URL("../../../templates/docs/", import.meta.url);

function read(name: string): string {
  return readFileSync(new URL(name, ROOT), "utf8");
}

type Render = (view: FamilyView) => string;

let compiled: { md: Render; rst: Render } | undefined;

function compile(): { md: Render; rst: Render } {
  const hb = Handlebars.create();
  const helpers: Record<string, (...args: never[]) => unknown> = {
    mdInline: (s: string) => mdInline(s),
    mdParas, mdList, mdTable, mdCode,
    rstInline: (s: string) => rstInline(s),
    rstParas, rstList, rstTable, rstCode, rstAnchor,
    // Handlebars passes its options hash last; only a literal `true` asks for an overline.
    rstHeading: (title: string, char: string, overline: unknown) => rstHeading(title, char, overline === true),
    lines: (ls: readonly string[]) => ls.join("\n"),
    gt: (a: number, b: number) => a > b,
    // Handlebars passes its options hash last: drop it.
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  };
  for (const [name, fn] of Object.entries(helpers)) hb.registerHelper(name, fn as Handlebars.HelperDelegate);
  hb.registerPartial("mdSection", read("section.md.hbs"));
  hb.registerPartial("rstSection", read("section.rst.hbs"));
  const opts = { noEscape: true, strict: false };
  const md = hb.compile(read("family.md.hbs"), opts);
  const rst = hb.compile(read("family.rst.hbs"), opts);
  return { md: (v) => md(v), rst: (v) => rst(v) };
}

export function templates(): { md: Render; rst: Render } {
  compiled ??= compile();
  return compiled;
}
