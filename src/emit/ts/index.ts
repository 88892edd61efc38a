/**
 * The TypeScript emitter: `generated/ts/` is an importable package, `@abigen/generated`, with
 * one module per family (`@abigen/generated/uvirtio`) holding constants, enums and flags,
 * record types, generated straight-line codecs per layout variant, and ioctl descriptors.
 *
 * Pipeline: model → per-family text (TS helpers compute every piece; handlebars templates in
 * templates/ts place them) → prettier. See README.md in the output for the codec policies.
 */
import { formatCached } from "./prettier-cache.js";
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
}

async function format(source: string, file: string, enabled: boolean): Promise<string> {
  if (!enabled) return source;
  try {
    return await formatCached(source, { parser: "typescript", printWidth: 110 });
  } catch (e) {
    // Unparseable output is an emitter bug: say where, keep the text for inspection.
    throw new Error(`abigen ts emitter: generated ${file} does not parse: ${(e as Error).message}`);
  }
}

export async function emitTsPackages(program: Program, targets: readonly Target[], options: TsEmitOptions = {}): Promise<OutputFiles> {
  const pretty = options.format ?? true;
  if (targets.length === 0) throw new Error("abigen ts emitter: no targets");
  const files: OutputFiles = new Map();
  const fams = program.families;
  const names = recordNames(program);
  const modules = await Promise.all(
    fams.map(async (f) => [`ts/${f.name}/index.ts`, await format(familyModule(f, targets, names), `ts/${f.name}/index.ts`, pretty)] as const),
  );
  for (const [p, text] of modules) files.set(p, text);
  // Typed clients for pipe/socket protocols, next to the family's codecs they use.
  for (const f of fams) {
    const text = protocolModule(f, names);
    if (text !== undefined) files.set(`ts/${f.name}/protocol.ts`, await format(text, `ts/${f.name}/protocol.ts`, pretty));
  }
  // Command lines and clients for text protocols (modfs's control file).
  for (const f of fams) {
    const text = textProtocolModule(f);
    if (text !== undefined) files.set(`ts/${f.name}/commands.ts`, await format(text, `ts/${f.name}/commands.ts`, pretty));
  }
  // Typed stubs over fds, one class per fd kind (families with fd kinds or ioctls).
  for (const f of fams.filter(hasStubs)) {
    const text = stubsModule(f, names);
    if (text !== undefined) files.set(`ts/${f.name}/stubs.ts`, await format(text, `ts/${f.name}/stubs.ts`, pretty));
  }
  const submodules = [...files.keys()]
    .map((p) => /^ts\/([^/]+\/[^/]+)\.ts$/.exec(p)?.[1])
    .filter((m): m is string => m !== undefined && !m.endsWith("/index"));
  files.set("ts/package.json", packageJson(fams, submodules));
  files.set("ts/index.ts", await format(rootIndex(fams), "ts/index.ts", pretty));
  // The runtime is copied verbatim (it is hand-written and already formatted).
  files.set("ts/runtime/codec.ts", runtimeFile());
  for (const [name, text] of stubRuntimeFiles()) files.set(`ts/runtime/${name}`, text);
  files.set("ts/tsconfig.json", tsconfig());
  files.set("ts/README.md", readme(fams, targets));
  return files;
}
