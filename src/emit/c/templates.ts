/**
 * The C templates (templates/c-header.h.hbs and the per-declaration partials in templates/c/),
 * compiled once. Templates only lay text out; what goes into them is decided in TypeScript.
 * Nothing is HTML-escaped: the output is C.
 */
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";

const ROOT = new URL("../../../templates/", import.meta.url);

export type CTemplate = (view: object) => string;

const cache = new Map<string, CTemplate>();

/** A compiled template by its path under templates/ (`c-header.h.hbs`, `c/record.h.hbs`). */
export function template(path: string): CTemplate {
  let t = cache.get(path);
  if (!t) {
    const compiled = Handlebars.compile(readFileSync(new URL(path, ROOT), "utf8"), { noEscape: true, strict: true });
    t = (view) => compiled(view);
    cache.set(path, t);
  }
  return t;
}
