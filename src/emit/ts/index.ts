/**
 * The TypeScript emitter: `generated/ts/` is an importable package, `@abigen/generated`, with
 * one module per family (`@abigen/generated/uvirtio`) holding constants, enums and flags,
 * record types, generated straight-line codecs per layout variant, and ioctl descriptors.
 *
 * Pipeline: model → per-family text (TS helpers compute every piece; handlebars templates in
 * templates/ts place them) → prettier. See README.md in the output for the codec policies.
 *
 * Prettier is nearly all of the time, so a file's formatted text comes from the cheapest source
 * that is exactly right: the previous build's file when its stamp matches (format-stamp.ts),
 * else the prettier cache (prettier-cache.ts), else prettier.
 */
import { formatCached } from "./prettier-cache.js";
import { addStamp, formatKey, reuseStamped } from "./format-stamp.js";
import type { Program } from "../../model/model.js";
import type { Target } from "../../targets/targets.js";
import type { OutputFiles } from "../output.js";
import { familyModule } from "./family.js";
import { recordNames } from "./names.js";
import { packageJson, readme, rootIndex, runtimeFile, stubRuntimeFiles, tsconfig } from "./package.js";
import { hasStubs, stubsModule } from "./stubs.js";
import { protocolModule } from "./protocols.js";
import { textProtocolModule } from "./text-protocol.js";

export interface TsEmitOptions {
  /** Run prettier over the output (default true; tests that only run the code may skip it). */
  readonly format?: boolean;
  /**
   * The file an earlier build wrote at `relativePath` (e.g. "ts/kvm/index.ts", a key of the
   * returned map), or undefined. A formatted file whose stamp (format-stamp.ts) shows it is
   * prettier's output for the text this build produced is reused instead of formatted again.
   */
  readonly previous?: (relativePath: string) => string | undefined;
}

/**
 * Prettier's options for every generated file. `babel-ts` parses our output about 1.5× faster
 * than `typescript` and prints the same text (checked byte for byte on the shipped specs and a
 * 1k-declaration synthetic spec); the options are part of the cache key and of the stamp.
 */
const PRETTIER_OPTIONS = { parser: "babel-ts", printWidth: 110 } as const;

/** The formatted, stamped text of one file: reused from the previous build, cached, or formatted. */
async function format(source: string, file: string, options: TsEmitOptions): Promise<string> {
  if (options.format === false) return source;
  const key = formatKey(source, PRETTIER_OPTIONS);
  const reused = reuseStamped(options.previous?.(file), key);
  if (reused !== undefined) return reused;
  try {
    return addStamp(await formatCached(source, PRETTIER_OPTIONS, key), key);
  } catch (e) {
    // Unparseable output is an emitter bug: say where, keep the text for inspection.
    throw new Error(`abigen ts emitter: generated ${file} does not parse: ${(e as Error).message}`);
  }
}

export async function emitTsPackages(program: Program, targets: readonly Target[], options: TsEmitOptions = {}): Promise<OutputFiles> {
  if (targets.length === 0) throw new Error("abigen ts emitter: no targets");
  const fams = program.families;
  const names = recordNames(program);
  // Every file's formatting is queued as soon as its text exists (prettier-cache.ts runs one at a
  // time); the map is filled in this order once all are done.
  const pending: (readonly [string, Promise<string>])[] = [];
  const add = (path: string, text: string | undefined): void => {
    if (text !== undefined) pending.push([path, format(text, path, options)]);
  };
  for (const f of fams) {
    add(`ts/${f.name}/index.ts`, familyModule(f, targets, names));
  }
  // Typed clients for pipe/socket protocols, next to the family's codecs they use.
  for (const f of fams) add(`ts/${f.name}/protocol.ts`, protocolModule(f, names));
  // Command lines and clients for text protocols (modfs's control file).
  for (const f of fams) add(`ts/${f.name}/commands.ts`, textProtocolModule(f));
  // Typed stubs over fds, one class per fd kind (families with fd kinds or ioctls).
  for (const f of fams.filter(hasStubs)) add(`ts/${f.name}/stubs.ts`, stubsModule(f, names));
  const submodules = pending
    .map(([p]) => /^ts\/([^/]+\/[^/]+)\.ts$/.exec(p)?.[1])
    .filter((m): m is string => m !== undefined && !m.endsWith("/index"));
  add("ts/index.ts", rootIndex(fams));
  const formatted = await settleAll(pending);
  const files: OutputFiles = new Map();
  for (const [p, text] of formatted) {
    if (p === "ts/index.ts") files.set("ts/package.json", packageJson(fams, submodules));
    files.set(p, text);
  }
  // The runtime is copied verbatim (it is hand-written and already formatted).
  files.set("ts/runtime/codec.ts", runtimeFile());
  for (const [name, text] of stubRuntimeFiles()) files.set(`ts/runtime/${name}`, text);
  files.set("ts/tsconfig.json", tsconfig());
  files.set("ts/README.md", readme(fams, targets));
  return files;
}

/**
 * Every file's text, or the first failure once all have finished (Promise.all would reject
 * while other files are still formatting, leaving their rejections unhandled).
 */
async function settleAll(pending: readonly (readonly [string, Promise<string>])[]): Promise<[string, string][]> {
  const results = await Promise.allSettled(pending.map(([, p]) => p));
  const failed = results.find((r) => r.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return results.map((r, i) => [pending[i]![0], (r as PromiseFulfilledResult<string>).value]);
}
