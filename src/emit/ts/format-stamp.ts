/**
 * The committed output is its own prettier cache. Every formatted TS file carries a stamp line
 * under its @generated header:
 *
 *   // formatted by prettier 3.10.1, stamp sha256:0123456789abcdef
 *
 * The stamp is a hash of what determined the text — prettier's version, its options, the
 * unformatted text the emitter produced — together with the formatted text itself (the file
 * without its stamp line). When the emitter produces the same unformatted text again (a fresh
 * clone's `abigen specs/ --check`, where no prettier cache exists), the file already in
 * generated/ is the formatted result: it is taken as is, without running prettier.
 *
 * Hashing the formatted text too means a file edited by hand (or merged badly) no longer
 * matches its stamp and is formatted again, so it cannot pass `--check` by carrying an old
 * stamp. 16 hex digits (64 bits) make an accidental match negligible; the stamp guards against
 * mistakes, not forgery (generated/ is trusted code either way).
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { Options } from "prettier";

/**
 * Prettier's version, from its package.json: a build whose files are all reused never loads
 * prettier itself (~100 ms of startup).
 */
export const PRETTIER_VERSION = (createRequire(import.meta.url)("prettier/package.json") as { version: string }).version;

const STAMP_LINE = /^\/\/ formatted by prettier \S+, stamp sha256:([0-9a-f]{16})$/;

/** The hash of everything prettier's output depends on (also the prettier cache's key). */
export function formatKey(source: string, options: Options): string {
  return createHash("sha256").update(`${PRETTIER_VERSION}\0${JSON.stringify(options)}\0`).update(source).digest("hex");
}

function stampOf(key: string, body: string): string {
  return createHash("sha256").update(`${key}\0`).update(body).digest("hex").slice(0, 16);
}

/** Where the stamp line goes: after a first-line `// @generated` header, else first. */
function stampAt(text: string): number {
  if (!text.startsWith("// @generated")) return 0;
  const eol = text.indexOf("\n");
  return eol < 0 ? text.length : eol + 1;
}

/** `formatted` (prettier's output for the text `key` was computed from) with its stamp line. */
export function addStamp(formatted: string, key: string): string {
  const at = stampAt(formatted);
  const line = `// formatted by prettier ${PRETTIER_VERSION}, stamp sha256:${stampOf(key, formatted)}\n`;
  return formatted.slice(0, at) + line + formatted.slice(at);
}

/**
 * `previous` (a stamped file from an earlier build) when it is exactly what formatting the text
 * `key` was computed from gives — its stamp matches `key` and its own content — else undefined.
 */
export function reuseStamped(previous: string | undefined, key: string): string | undefined {
  if (previous === undefined) return undefined;
  const at = stampAt(previous);
  const eol = previous.indexOf("\n", at);
  if (eol < 0) return undefined;
  const m = STAMP_LINE.exec(previous.slice(at, eol));
  if (m === null) return undefined;
  const body = previous.slice(0, at) + previous.slice(eol + 1);
  return stampOf(key, body) === m[1] ? previous : undefined;
}
