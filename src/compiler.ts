/**
 * The abigen pipeline, in order. Each phase stops the build when the one before reported errors,
 * so a user sees the root problems rather than their echoes:
 *
 *   1. load     — find the spec files, read them, follow imports          (src/compiler.ts)
 *   2. parse    — source → tokens → syntax tree, all syntax errors       (grammar/, src/syntax/)
 *   3. build    — names, imports, constants, types, attributes → model   (src/model/build.ts)
 *   4. check    — rules over the model: layout on every target, ioctls   (src/checks/)
 *   5. emit     — JSON model, C headers, TS codecs, docs                  (src/emit/, by the CLI)
 */
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve, isAbsolute } from "node:path";
import { Diagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { Source } from "./syntax/source.js";
import { parseSource } from "./syntax/parse.js";
import type { FileNode } from "./syntax/ast.js";
import { buildProgram } from "./model/build.js";
import type { Program } from "./model/model.js";
import { makeContext } from "./checks/rule.js";
import { RULES } from "./checks/index.js";
import { TARGETS, findTarget, type Target } from "./targets/targets.js";

export const SPEC_EXTENSION = ".abi";

export interface CompileOptions {
  /** Target names to check and lay out; all targets when omitted. */
  readonly targets?: readonly string[];
  /** Base for the file names printed in diagnostics (default: the current directory). */
  readonly cwd?: string;
}

export interface CompileResult {
  /** Present when parsing and model building succeeded (rules may still have reported errors). */
  readonly program?: Program;
  readonly files: readonly FileNode[];
  readonly targets: readonly Target[];
  readonly diagnostics: readonly Diagnostic[];
  readonly hasErrors: boolean;
}

export class UsageError extends Error {}

/** Resolve `--target` names; throws UsageError naming the unknown ones. */
export function selectTargets(names?: readonly string[]): Target[] {
  if (!names || names.length === 0) return [...TARGETS];
  const unknown = names.filter((n) => !findTarget(n));
  if (unknown.length > 0) {
    throw new UsageError(`unknown target ${unknown.join(", ")}; known targets: ${TARGETS.map((t) => t.name).join(", ")}`);
  }
  return TARGETS.filter((t) => names.includes(t.name));
}

/** All spec files named by `paths` (files as given, directories searched recursively), sorted. */
export function findSpecFiles(paths: readonly string[]): string[] {
  const out = new Set<string>();
  const walk = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) {
        const child = join(p, entry);
        if (statSync(child).isDirectory() || entry.endsWith(SPEC_EXTENSION)) walk(child);
      }
    } else {
      out.add(resolve(p));
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
    walk(p);
  }
  return [...out].sort();
}

/** Where spec text comes from: the file system, or memory (tests, fuzzing, editors). */
export interface SpecHost {
  /** Text of an absolute path, or undefined when there is no such file. */
  read(abs: string): string | undefined;
  /** Name to print in diagnostics for an absolute path. */
  display(abs: string): string;
}

export function fileSystemHost(cwd: string = process.cwd()): SpecHost {
  return {
    read: (abs) => (existsSync(abs) && statSync(abs).isFile() ? readFileSync(abs, "utf8") : undefined),
    display: (abs) => {
      const rel = relative(cwd, abs);
      return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
    },
  };
}

/** Run phases 1–4 over the given files and directories. */
export function compileSpecs(paths: readonly string[], options: CompileOptions = {}): CompileResult {
  const targets = selectTargets(options.targets);
  return compileWithHost(findSpecFiles(paths), fileSystemHost(options.cwd), targets);
}

/** Phases 1–4 over absolute root paths read through `host`. Never throws on any spec text. */
export function compileWithHost(roots: readonly string[], host: SpecHost, targets: readonly Target[] = TARGETS): CompileResult {
  const diags = new Diagnostics();
  const byPath = new Map<string, FileNode>();
  const pathOf = new Map<FileNode, string>();

  const load = (abs: string): void => {
    if (byPath.has(abs)) return;
    const text = host.read(abs);
    if (text === undefined) return; // reported as ABI014 by the model builder
    const file = parseSource(new Source(host.display(abs), text), diags);
    byPath.set(abs, file);
    pathOf.set(file, abs);
    for (const imp of file.imports) load(resolve(dirname(abs), imp.path.value));
  };
  for (const abs of roots) load(abs);

  const files = [...byPath.values()];
  const done = (program?: Program): CompileResult => ({
    program, files, targets, diagnostics: diags.sorted(), hasErrors: diags.hasErrors(),
  });
  if (diags.hasErrors()) return done();

  const resolveImport = (from: FileNode, path: string): FileNode | undefined => {
    const base = pathOf.get(from);
    return base === undefined ? undefined : byPath.get(resolve(dirname(base), path));
  };
  const program = buildProgram(files, resolveImport, diags);
  if (diags.hasErrors()) return done();

  const ctx = makeContext(program, targets, diags);
  for (const rule of RULES) rule.check(ctx);
  return done(program);
}
