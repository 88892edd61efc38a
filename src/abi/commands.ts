/**
 * `abigen lock` and `abigen diff`.
 *
 *   abigen lock [specs…] [--out abi.lock] [--target a,b] [--check]
 *   abigen diff [specs… | new.lock] [--against abi.lock | <specs> | <git-ref>]
 *               [--format text|json] [--allow-breaking "<reason>"] [--target a,b] [--lock abi.lock]
 *
 * Exit status: 0 no breaking change (or allowed), 1 breaking changes (diff) or a stale lock
 * (lock --check) or spec errors, 2 usage errors or an unreadable side.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { compileSpecs, UsageError } from "../compiler.js";
import { renderText as renderDiagnostic, summarize } from "../diagnostics/render.js";
import { buildLock } from "./build-lock.js";
import { LOCK_FILE } from "./check.js";
import { diffLocks } from "./diff.js";
import { isLockPath, loadAgainst, LoadError, lockFromSpecs, readLockFile, type Side } from "./load.js";
import { renderJson, renderText, summarizeChanges } from "./render.js";
import { LockError, serializeLock } from "./serialize.js";

/** Same shape as the CLI's Io. */
export interface AbiIo {
  out(s: string): void;
  err(s: string): void;
}

const DEFAULT_SPECS = ["specs"];

function parse<T extends Parameters<typeof parseArgs>[0]>(config: T) {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function targetList(v: unknown): string[] | undefined {
  return v === undefined ? undefined : String(v).split(",").map((s) => s.trim()).filter(Boolean);
}

/** `abigen lock`: write (or with --check, verify) the lock of the specs. */
export async function lockCommand(argv: readonly string[], io: AbiIo, cwd: string = process.cwd()): Promise<number> {
  const { values, positionals } = parse({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: "string", default: LOCK_FILE },
      target: { type: "string" },
      check: { type: "boolean", default: false },
    },
  });
  const paths = (positionals.length ? positionals : DEFAULT_SPECS).map((p) => resolve(cwd, p));
  const result = compileSpecs(paths, { targets: targetList(values.target), cwd });
  for (const d of result.diagnostics) if (d.suppressed === undefined && d.severity === "error") io.err(renderDiagnostic(d) + "\n");
  if (!result.program || result.hasErrors) {
    io.err(`abigen lock: the specs have errors (${summarize(result.diagnostics)}); no lock written`);
    return 1;
  }
  const text = serializeLock(buildLock(result.program, result.targets));
  const out = resolve(cwd, values.out as string);
  const current = existsSync(out) ? readFileSync(out, "utf8") : undefined;
  if (values.check) {
    if (current === text) return 0;
    io.err(`abigen lock: ${values.out} is ${current === undefined ? "missing" : "stale"}; run \`abigen lock\` and commit it`);
    return 1;
  }
  if (current !== text) writeFileSync(out, text);
  const ioctls = result.program.families.reduce((n, f) => n + f.decls.filter((d) => d.kind === "ioctl").length, 0);
  io.err(`abigen lock: ${current === text ? "unchanged" : "wrote"} ${values.out} (${result.program.families.length} families, ${ioctls} ioctls, ${result.targets.length} targets)`);
  return 0;
}

/** `abigen diff`: classify the changes from the old side (--against) to the new side (the specs). */
export async function diffCommand(argv: readonly string[], io: AbiIo, cwd: string = process.cwd()): Promise<number> {
  const { values, positionals } = parse({
    args: [...argv],
    allowPositionals: true,
    options: {
      against: { type: "string", default: LOCK_FILE },
      lock: { type: "string", default: LOCK_FILE },
      format: { type: "string", default: "text" },
      "allow-breaking": { type: "string" },
      target: { type: "string" },
    },
  });
  const format = values.format as string;
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not ${format}`);
  const allow = values["allow-breaking"] as string | undefined;
  if (allow !== undefined && allow.trim() === "") throw new UsageError(`--allow-breaking needs a reason: --allow-breaking "why this break is deliberate"`);
  const targets = targetList(values.target);
  const specPaths = positionals.length ? positionals : DEFAULT_SPECS;

  let oldSide: Side;
  let newSide: Side;
  try {
    newSide = specPaths.length === 1 && isLockPath(resolve(cwd, specPaths[0]!))
      ? readLockFile(resolve(cwd, specPaths[0]!))
      : lockFromSpecs(specPaths.map((p) => resolve(cwd, p)), targets, cwd, specPaths.join(" "));
    oldSide = loadAgainst(values.against as string, specPaths, values.lock as string, targets, cwd);
  } catch (e) {
    if (e instanceof LoadError || e instanceof LockError) {
      io.err(`abigen diff: ${e.message}`);
      return 2;
    }
    throw e;
  }

  const changes = diffLocks(oldSide.lock, newSide.lock);
  const s = summarizeChanges(changes);
  const failed = s.breaking > 0 && allow === undefined;
  if (format === "json") {
    io.out(renderJson(changes, { old: oldSide.label, new: newSide.label, ok: !failed, ...(allow !== undefined ? { allowBreaking: allow } : {}) }));
  } else {
    io.out(`abigen diff: ${oldSide.label} → ${newSide.label}`);
    for (const line of renderText(changes)) io.out(line);
    io.out(`abigen diff: ${s.breaking} breaking (${s.binary} binary, ${s.source} source), ${s.compatible} compatible`);
    if (s.breaking > 0) {
      io.out(allow !== undefined
        ? `abigen diff: breaking changes allowed: ${allow}`
        : `abigen diff: breaking changes; if deliberate, re-run with --allow-breaking "<reason>"`);
    }
  }
  return failed ? 1 : 0;
}
