/**
 * chevrotain, loaded from the single-file bundle its package ships (lib/chevrotain.mjs).
 *
 * The package's entry point (lib/src/api.js) imports `lodash-es` by its index, which loads all
 * ~640 lodash modules; under tsx every module load is a round trip to tsx's loader thread, so
 * `import "chevrotain"` alone cost ~0.5 s per process. The bundle is the same release with the
 * lodash functions it uses inlined: one module, ~25 ms. It is not in the package's "exports",
 * so it is found next to the entry point that `require.resolve` reports.
 *
 * Only grammar/lexer.ts and grammar/parser.ts use chevrotain at run time, and only through this
 * module (two copies of chevrotain would not share token types). Types still come from
 * "chevrotain" (`import type` loads nothing).
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import type * as Chevrotain from "chevrotain";

async function load(): Promise<typeof Chevrotain> {
  const entry = createRequire(import.meta.url).resolve("chevrotain");
  try {
    return (await import(pathToFileURL(join(dirname(entry), "..", "chevrotain.mjs")).href)) as typeof Chevrotain;
  } catch {
    // A chevrotain release without the bundle at that place: the package's own entry (slower to load).
    return await import("chevrotain");
  }
}

const chevrotain = await load();

export const { createToken, Lexer, CstParser, EOF, tokenMatcher } = chevrotain;
