/**
 * The bundled command (bin/build-cli.mjs → dist/abigen.mjs): it writes exactly what the
 * TypeScript sources write, finds its templates and data from wherever the bundle is, and
 * bin/abigen.mjs trusts it only while the sources it was built from are unchanged.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { bundleIsCurrent } from "../../bin/bundle-current.mjs";

const ROOT = join(import.meta.dirname, "../..");

/** Built under the repository (its gitignored tmp/): the bundle resolves packages from node_modules. */
function build(): string {
  mkdirSync(join(ROOT, "tmp"), { recursive: true });
  const dist = mkdtempSync(join(ROOT, "tmp", "bundle-test-"));
  const r = spawnSync(process.execPath, [join(ROOT, "bin/build-cli.mjs"), dist], { cwd: ROOT, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return dist;
}

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.set(relative(dir, join(d, e.name)), readFileSync(join(d, e.name), "utf8"));
    }
  };
  walk(dir);
  return out;
}

describe("the bundled CLI", () => {
  const dist = build();
  afterAll(() => rmSync(dist, { recursive: true, force: true }));
  const current = (): boolean => bundleIsCurrent(pathToFileURL(ROOT + "/"), pathToFileURL(dist + "/"));

  it("writes the same outputs as the sources run through tsx", () => {
    const viaBundle = mkdtempSync(join(tmpdir(), "abigen-bundle-"));
    const viaTsx = mkdtempSync(join(tmpdir(), "abigen-tsx-"));
    const bundle = pathToFileURL(join(dist, "abigen.mjs")).href;
    const run = `const m = await import(${JSON.stringify(bundle)}); process.exitCode = await m.main(["specs", "--out", ${JSON.stringify(viaBundle)}]);`;
    const a = spawnSync(process.execPath, ["--input-type=module", "-e", run], { cwd: ROOT, encoding: "utf8" });
    const b = spawnSync(process.execPath, [join(ROOT, "bin/abigen.mjs"), "specs", "--out", viaTsx], {
      cwd: ROOT, encoding: "utf8", env: { ...process.env, ABIGEN_NO_BUNDLE: "1" },
    });
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const ta = tree(viaBundle);
    expect(ta.size).toBeGreaterThan(100);
    expect(ta).toEqual(tree(viaTsx));
  }, 60_000);

  it("is trusted while its sources are unchanged, and not after one changes", () => {
    expect(current()).toBe(true);
    const manifest = join(dist, "abigen.manifest.json");
    const m = JSON.parse(readFileSync(manifest, "utf8")) as { inputs: Record<string, [number, number]> };
    expect(Object.keys(m.inputs)).toContain("src/cli/main.ts");
    const [mtime, size] = m.inputs["src/cli/main.ts"]!;
    expect(statSync(join(ROOT, "src/cli/main.ts")).size).toBe(size);
    // As if src/cli/main.ts had been edited after the build.
    writeFileSync(manifest, JSON.stringify({ ...m, inputs: { ...m.inputs, "src/cli/main.ts": [mtime - 1000, size] } }));
    expect(current()).toBe(false);
    writeFileSync(manifest, JSON.stringify({ ...m, inputs: { ...m.inputs, "src/gone.ts": [mtime, size] } }));
    expect(current()).toBe(false);
  });
});
