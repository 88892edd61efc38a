/**
 * The handlebars templates of the TS emitter (templates/ts/*.hbs). Templates only place text
 * that the TS helpers computed; they hold no logic beyond `#each` and `#if`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

const DIR = fileURLToPath(new URL("../../../templates/ts/", import.meta.url));
const compiled = new Map<string, HandlebarsTemplateDelegate>();

export function render(name: string, data: object): string {
  let tpl = compiled.get(name);
  if (!tpl) {
    tpl = Handlebars.compile(readFileSync(DIR + name + ".hbs", "utf8"), { noEscape: true, strict: true });
    compiled.set(name, tpl);
  }
  return tpl(data);
}
