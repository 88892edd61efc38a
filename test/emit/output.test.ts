/**
 * Writing outputs (src/emit/output.ts): chunk by chunk, only files whose bytes differ are
 * written, files no chunk produced are deleted from the owned directories, and --check writes
 * nothing.
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { syncOutputs, type OutputFiles } from "../../src/emit/output.js";

const chunks = (): OutputFiles[] => [
  new Map([["json/a.json", "{}\n"], ["c/linux/a.h", "/* a — ü */\n"]]),
  new Map([["docs/svg/a/r.svg", "<svg/>\n"]]),
];

function fresh(): string {
  return mkdtempSync(join(tmpdir(), "abigen-output-"));
}

describe("syncOutputs", () => {
  it("writes every chunk's files, UTF-8, creating directories", async () => {
    const dir = fresh();
    const r = await syncOutputs(dir, chunks(), false);
    expect(r).toEqual({ changed: ["c/linux/a.h", "docs/svg/a/r.svg", "json/a.json"], extra: [] });
    expect(readFileSync(join(dir, "c/linux/a.h"), "utf8")).toBe("/* a — ü */\n");
  });

  it("leaves unchanged files alone (not even rewritten), and rewrites one whose bytes differ at the same size", async () => {
    const dir = fresh();
    await syncOutputs(dir, chunks(), false);
    const old = new Date(2000, 0, 1);
    for (const p of ["json/a.json", "c/linux/a.h"]) utimesSync(join(dir, p), old, old);
    writeFileSync(join(dir, "json/a.json"), "[]\n"); // same size, other bytes
    utimesSync(join(dir, "json/a.json"), old, old);
    const r = await syncOutputs(dir, chunks(), false);
    expect(r).toEqual({ changed: ["json/a.json"], extra: [] });
    expect(readFileSync(join(dir, "json/a.json"), "utf8")).toBe("{}\n");
    expect(statSync(join(dir, "c/linux/a.h")).mtime.getTime()).toBe(old.getTime());
  });

  it("deletes files under the owned directories that no chunk produced, and nothing else", async () => {
    const dir = fresh();
    await syncOutputs(dir, chunks(), false);
    mkdirSync(join(dir, "docs/svg/gone"), { recursive: true });
    writeFileSync(join(dir, "docs/svg/gone/x.svg"), "<svg/>");
    mkdirSync(join(dir, "other"));
    writeFileSync(join(dir, "other/keep.txt"), "mine");
    const r = await syncOutputs(dir, chunks(), false);
    expect(r).toEqual({ changed: [], extra: ["docs/svg/gone/x.svg"] });
    expect(existsSync(join(dir, "docs/svg/gone/x.svg"))).toBe(false);
    expect(existsSync(join(dir, "other/keep.txt"))).toBe(true);
  });

  it("checking writes and deletes nothing, and reports both kinds of staleness", async () => {
    const dir = fresh();
    await syncOutputs(dir, chunks(), false);
    writeFileSync(join(dir, "json/a.json"), "{\"x\":1}\n");
    writeFileSync(join(dir, "json/old.json"), "{}\n");
    const r = await syncOutputs(dir, chunks(), true);
    expect(r).toEqual({ changed: ["json/a.json"], extra: ["json/old.json"] });
    expect(readFileSync(join(dir, "json/a.json"), "utf8")).toBe("{\"x\":1}\n");
    expect(existsSync(join(dir, "json/old.json"))).toBe(true);
  });

  it("takes chunks from an async generator, one at a time", async () => {
    const dir = fresh();
    async function* gen(): AsyncGenerator<OutputFiles> {
      for (const c of chunks()) yield c;
    }
    const r = await syncOutputs(dir, gen(), false);
    expect(r.changed).toHaveLength(3);
  });
});
