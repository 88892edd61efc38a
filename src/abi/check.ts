/**
 * The lock check inside `abigen specs/`: when an `abi.lock` sits next to the specs (in the
 * specs directory's parent, the usual repository root) or in the current directory, compare the
 * freshly compiled program with it. Breaking changes fail unless allowed with a reason;
 * compatible ones only say that the lock is behind.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Program } from "../model/model.js";
import type { Target } from "../targets/targets.js";
import { buildLock } from "./build-lock.js";
import type { Change } from "./change.js";
import { diffLocks } from "./diff.js";
import { renderText } from "./render.js";
import { readLockFile } from "./load.js";

export const LOCK_FILE = "abi.lock";

/** The lock governing these spec paths, if any: `<parent of each spec path>/abi.lock`, then `<cwd>/abi.lock`. */
export function findLockFile(specPaths: readonly string[], cwd: string = process.cwd()): string | undefined {
  const candidates = [...specPaths.map((p) => join(dirname(resolve(cwd, p)), LOCK_FILE)), join(cwd, LOCK_FILE)];
  return candidates.find((c) => existsSync(c));
}

export interface LockCheck {
  readonly lockPath: string;
  /** Every change against the lock (targets the program was not built for are left out). */
  readonly changes: readonly Change[];
  readonly breaking: number;
  /** Breaking changes and no --allow-breaking reason. */
  readonly failed: boolean;
  /** What to print (stderr), already formatted; empty when the lock matches. */
  readonly lines: readonly string[];
}

export function checkAgainstLock(program: Program, targets: readonly Target[], lockPath: string, allowBreaking?: string): LockCheck {
  const old = readLockFile(lockPath).lock;
  const changes = diffLocks(old, buildLock(program, targets)).filter((c) => c.kind !== "target-not-compared");
  const breaking = changes.filter((c) => c.severity === "breaking").length;
  const failed = breaking > 0 && !allowBreaking;
  const lines: string[] = [];
  if (changes.length > 0) {
    lines.push(...renderText(changes));
    if (breaking === 0) {
      lines.push(`abigen: ${lockPath} is behind the specs (${changes.length} compatible change(s)); run \`abigen lock\` and commit it`);
    } else if (allowBreaking) {
      lines.push(`abigen: ${breaking} breaking ABI change(s) against ${lockPath}, allowed: ${allowBreaking}`);
      lines.push(`abigen: run \`abigen lock\` and commit it with the reason`);
    } else {
      lines.push(`abigen: ${breaking} breaking ABI change(s) against ${lockPath}; fix them, or if deliberate re-run with --allow-breaking "<reason>" and then \`abigen lock\``);
    }
  }
  return { lockPath, changes, breaking, failed, lines };
}
