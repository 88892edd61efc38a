/**
 * `abigen lock` / `abigen diff` end to end, including `--against <git-ref>` in a throwaway git
 * repository (the ref's abi.lock when it has one, else its specs compiled), exit codes,
 * `--allow-breaking`, JSON output, and checkAgainstLock as `abigen specs/` calls it.
 */
import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compileSpecs, UsageError } from "../../src/compiler.js";
import { diffCommand, lockCommand } from "../../src/abi/commands.js";
import { checkAgainstLock, findLockFile } from "../../src/abi/check.js";

const REPO = resolve(import.meta.dirname, "../..");
const A = join(REPO, "specs/gunyah.abi");
const B = join(REPO, "test/fixtures/gunyah-variants/gunyah_v17.abi");
const hasGit = spawnSync("git", ["--version"]).status === 0;
if (!hasGit) console.warn("SKIPPED: git not installed, --against <git-ref> not tested");

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

/** A temp project: specs/gunyah.abi = variant A. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "abigen-abi-"));
  mkdirSync(join(dir, "specs"));
  cpSync(A, join(dir, "specs/gunyah.abi"));
  return dir;
}

function git(dir: string, ...args: string[]) {
  execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", ...args], { cwd: dir, stdio: "ignore" });
}

describe("abigen diff", () => {
  it("fails on breaking changes against a lock, naming them; --allow-breaking needs and prints a reason", async () => {
    const dir = project();
    expect(await lockCommand([], capture().io, dir)).toBe(0);
    cpSync(B, join(dir, "specs/gunyah.abi"));
    const c = capture();
    expect(await diffCommand([], c.io, dir)).toBe(1);
    const text = c.out.join("\n");
    expect(text).toContain("[ioctl-removed] ioctl GH_VM_SET_USER_MEM_REGION");
    expect(text).toContain("[ioctl-renamed] ioctl GH_CREATE_VM is now GUNYAH_CREATE_VM");
    // Breaking first within the family.
    expect(text.indexOf("BREAKING")).toBeLessThan(text.indexOf("compatible ["));
    const ok = capture();
    expect(await diffCommand(["--allow-breaking", "v17 renames everything"], ok.io, dir)).toBe(0);
    expect(ok.out.join("\n")).toContain("breaking changes allowed: v17 renames everything");
    await expect(diffCommand(["--allow-breaking", " "], capture().io, dir)).rejects.toThrow(UsageError);
  });

  it("--format json lists the classified changes", async () => {
    const dir = project();
    const c = capture();
    expect(await diffCommand(["specs", "--against", B, "--format", "json"], c.io, dir)).toBe(1);
    const j = JSON.parse(c.out.join("\n"));
    expect(j.ok).toBe(false);
    expect(j.summary.breaking).toBeGreaterThan(0);
    // B → A: GH_VM_SET_USER_MEM_REGION comes back (compatible); CREATE_GUEST_MEM goes (breaking).
    const kinds = j.changes.map((x: { kind: string; subject: string }) => `${x.kind} ${x.subject}`);
    expect(kinds).toContain("ioctl-added ioctl GH_VM_SET_USER_MEM_REGION");
    expect(kinds).toContain("ioctl-removed ioctl GUNYAH_CREATE_GUEST_MEM");
  });

  it("no changes: exit 0", async () => {
    const dir = project();
    const c = capture();
    expect(await diffCommand(["specs", "--against", "specs"], c.io, dir)).toBe(0);
    expect(c.out.join("\n")).toContain("0 breaking (0 binary, 0 source), 0 compatible");
  });

  it("an unknown --against is reported, not thrown", async () => {
    const c = capture();
    expect(await diffCommand(["specs", "--against", "no-such-ref-or-file"], c.io, project())).toBe(2);
    expect(c.err.join("\n")).toMatch(/no-such-ref-or-file/);
  });

  it.skipIf(!hasGit)("--against <git-ref>: the specs at the ref when it has no abi.lock, its abi.lock when it has one", async () => {
    const dir = project();
    git(dir, "init", "-q");
    git(dir, "add", "specs");
    git(dir, "commit", "-q", "-m", "variant A");
    cpSync(B, join(dir, "specs/gunyah.abi"));
    const c = capture();
    expect(await diffCommand(["specs", "--against", "HEAD"], c.io, dir)).toBe(1);
    expect(c.out[0]).toContain("HEAD (specs compiled)");
    expect(c.out.join("\n")).toContain("[ioctl-removed] ioctl GH_VM_SET_USER_MEM_REGION");

    // Commit a lock of variant B; diffing B's specs against that ref is then clean.
    expect(await lockCommand([], capture().io, dir)).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "variant B + lock");
    const d = capture();
    expect(await diffCommand(["specs", "--against", "HEAD"], d.io, dir)).toBe(0);
    expect(d.out[0]).toContain("HEAD:abi.lock");
    const e = capture();
    expect(await diffCommand(["specs", "--against", "HEAD~1"], e.io, dir)).toBe(1);
    expect(e.out[0]).toContain("HEAD~1 (specs compiled)");
  });
});

describe("checkAgainstLock (called by `abigen specs/`)", () => {
  it("finds abi.lock next to the specs dir, passes when equal, fails on breaks unless allowed", async () => {
    const dir = project();
    expect(findLockFile(["specs"], dir)).toBeUndefined();
    expect(await lockCommand([], capture().io, dir)).toBe(0);
    const lockPath = findLockFile([join(dir, "specs")], dir)!;
    expect(lockPath).toBe(join(dir, "abi.lock"));

    const same = compileSpecs([join(dir, "specs")]);
    const clean = checkAgainstLock(same.program!, same.targets, lockPath);
    expect(clean).toMatchObject({ failed: false, breaking: 0, lines: [] });

    cpSync(B, join(dir, "specs/gunyah.abi"));
    const changed = compileSpecs([join(dir, "specs")]);
    const bad = checkAgainstLock(changed.program!, changed.targets, lockPath);
    expect(bad.failed).toBe(true);
    expect(bad.lines.join("\n")).toContain("GH_VM_SET_USER_MEM_REGION");
    expect(bad.lines.at(-1)).toContain("--allow-breaking");
    const allowed = checkAgainstLock(changed.program!, changed.targets, lockPath, "deliberate");
    expect(allowed.failed).toBe(false);
    expect(allowed.lines.join("\n")).toContain("allowed: deliberate");

    // A compatible-only change does not fail but says the lock is behind.
    writeFileSync(join(dir, "specs/extra.abi"), 'family extra = "linux/extra.h";\nconst EXTRA_ONE = 1;\n');
    cpSync(A, join(dir, "specs/gunyah.abi"));
    const more = compileSpecs([join(dir, "specs")]);
    const behind = checkAgainstLock(more.program!, more.targets, lockPath);
    expect(behind.failed).toBe(false);
    expect(behind.lines.at(-1)).toContain("is behind the specs");
  });

  it("a build for fewer targets compares those targets only", () => {
    const partial = compileSpecs([join(REPO, "specs")], { targets: ["x86_64"] });
    const r = checkAgainstLock(partial.program!, partial.targets, join(REPO, "abi.lock"));
    expect(r.changes).toEqual([]);
  });
});
