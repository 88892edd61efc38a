/**
 * Where each side of a diff comes from: an `abi.lock` file, spec files compiled now, or a git
 * ref — the lock committed at that ref when there is one, else the specs at that ref compiled
 * in a temporary directory.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { compileSpecs } from "../compiler.js";
import { renderText as renderDiagnostic } from "../diagnostics/render.js";
import { buildLock } from "./build-lock.js";
import type { AbiLock } from "./lock-model.js";
import { parseLock } from "./serialize.js";

/** A side that cannot be loaded (specs with errors, a bad ref); the message says why. */
export class LoadError extends Error {}

export interface Side {
  readonly lock: AbiLock;
  /** Shown in reports: `abi.lock`, `specs/`, `HEAD~1:abi.lock`, `v1.2 (specs compiled)`. */
  readonly label: string;
}

export function isLockPath(p: string): boolean {
  return /\.(lock|json)$/.test(p) && existsSync(p) && statSync(p).isFile();
}

export function readLockFile(path: string): Side {
  return { lock: parseLock(readFileSync(path, "utf8"), path), label: path };
}

/** Compile specs and lock them; spec errors are a LoadError carrying the rendered diagnostics. */
export function lockFromSpecs(paths: readonly string[], targets?: readonly string[], cwd?: string, label?: string): Side {
  const r = compileSpecs(paths, { targets, cwd });
  if (!r.program || r.hasErrors) {
    const errs = r.diagnostics.filter((d) => d.severity === "error" && d.suppressed === undefined).map(renderDiagnostic);
    throw new LoadError(`${label ?? paths.join(" ")}: the specs have errors, so there is no ABI to compare:\n${errs.join("\n")}`);
  }
  return { lock: buildLock(r.program, r.targets), label: label ?? paths.join(" ") };
}

function git(args: readonly string[], cwd: string): { ok: boolean; out: Buffer; err: string } {
  const r = spawnSync("git", args, { cwd, maxBuffer: 256 * 1024 * 1024 });
  return { ok: r.status === 0, out: r.stdout ?? Buffer.alloc(0), err: r.stderr?.toString() ?? String(r.error ?? "") };
}

export function isGitRef(ref: string, cwd: string): boolean {
  return git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd).ok;
}

/**
 * The ABI at a git ref: `git show <ref>:<lock>` when the ref has the lock file, else the spec
 * paths exported with `git archive` into a temp dir and compiled there (imports are relative, so
 * they resolve inside the export).
 */
export function lockFromGitRef(ref: string, specPaths: readonly string[], lockPath: string, targets: readonly string[] | undefined, cwd: string): Side {
  const top = git(["rev-parse", "--show-toplevel"], cwd);
  if (!top.ok) throw new LoadError(`${ref}: not inside a git repository (${top.err.trim()})`);
  const root = top.out.toString().trim();
  if (!isGitRef(ref, cwd)) throw new LoadError(`${ref}: not a lock file, spec path or git commit`);
  const inRepo = (p: string) => {
    const rel = relative(root, resolve(cwd, p));
    if (rel.startsWith("..") || isAbsolute(rel)) throw new LoadError(`${p} is outside the git repository ${root}`);
    return rel.split("\\").join("/");
  };
  const lockRel = inRepo(lockPath);
  const shown = git(["show", `${ref}:${lockRel}`], cwd);
  if (shown.ok) return { lock: parseLock(shown.out.toString(), `${ref}:${lockRel}`), label: `${ref}:${lockRel}` };

  const rels = specPaths.map(inRepo);
  const dir = mkdtempSync(join(tmpdir(), "abigen-ref-"));
  try {
    const tar = git(["archive", "--format=tar", ref, "--", ...rels], root);
    if (!tar.ok) throw new LoadError(`${ref}: has no ${lockRel} and could not export ${rels.join(" ")} (${tar.err.trim()})`);
    execFileSync("tar", ["-x", "-C", dir], { input: tar.out });
    const exported = rels.map((r) => join(dir, r)).filter((p) => existsSync(p));
    if (exported.length === 0) throw new LoadError(`${ref}: none of ${rels.join(" ")} exist there`);
    return lockFromSpecs(exported, targets, dir, `${ref} (specs compiled)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Resolve `--against X`: an existing lock file, existing spec files or directories, or else a
 * git ref.
 */
export function loadAgainst(against: string, specPaths: readonly string[], lockPath: string, targets: readonly string[] | undefined, cwd: string): Side {
  const abs = resolve(cwd, against);
  if (isLockPath(abs)) return { ...readLockFile(abs), label: against };
  if (existsSync(abs)) return lockFromSpecs([abs], targets, cwd, against);
  return lockFromGitRef(against, specPaths, lockPath, targets, cwd);
}
