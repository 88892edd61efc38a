/**
 * The edit corpus: every case is classified with exactly the kinds written next to it, and the
 * corpus covers at least 25 kinds. Each explanation names what changed.
 */
import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { compileWithHost, type SpecHost } from "../../src/compiler.js";
import { buildLock } from "../../src/abi/build-lock.js";
import { diffLocks } from "../../src/abi/diff.js";
import { KINDS } from "../../src/abi/kinds.js";
import type { AbiLock } from "../../src/abi/lock-model.js";
import { baseFiles, CORPUS, loadCorpus } from "./edit-corpus.js";

const ROOT = resolve(CORPUS, "base");

function lockOf(files: ReadonlyMap<string, string>): AbiLock {
  const host: SpecHost = {
    read: (abs) => (abs.startsWith(ROOT + "/") ? files.get(abs.slice(ROOT.length + 1)) : undefined),
    display: (abs) => abs.slice(ROOT.length + 1),
  };
  const r = compileWithHost([...files.keys()].sort().map((f) => resolve(ROOT, f)), host);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (!r.program || r.hasErrors) throw new Error(`specs do not compile:\n${errors.map((d) => `${d.code} ${d.message}`).join("\n")}`);
  return buildLock(r.program, r.targets);
}

const cases = loadCorpus();
const base = lockOf(baseFiles());

describe("ABI edit corpus", () => {
  it("the base against itself has no changes", () => {
    expect(diffLocks(base, base)).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const changes = diffLocks(base, lockOf(c.after));
    const kinds = [...new Set(changes.map((x) => x.kind))].sort();
    expect(kinds, changes.map((x) => `${x.kind}: ${x.message}`).join("\n")).toEqual([...c.kinds].sort());
    const severity = changes.some((x) => x.severity === "breaking") ? "breaking" : "compatible";
    expect(severity).toBe(c.expect);
    for (const x of changes) {
      // The explanation names its subject (the ioctl, record, enum, const…), or the old name of a renamed one.
      const name = x.subject.split(" ").pop()!;
      expect(x.message.length).toBeGreaterThan(10);
      if (x.subject !== "targets") expect(x.message.includes(name) || x.message.includes(x.path ?? "\0")).toBe(true);
    }
  });

  it("covers at least 25 kinds, each kind listed in kinds.ts", () => {
    const covered = new Set(cases.flatMap((c) => c.kinds));
    for (const k of covered) expect(Object.hasOwn(KINDS, k), k).toBe(true);
    expect(covered.size).toBeGreaterThanOrEqual(25);
  });
});
