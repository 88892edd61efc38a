#!/usr/bin/env node
/**
 * Bundles the `abigen` command (src/cli/main.ts and everything it imports from this repository)
 * into dist/abigen.mjs with esbuild (which tsx ships), so bin/abigen.mjs can start without
 * transpiling ~150 TypeScript modules through tsx's loader hooks on every run. Packages stay
 * external: node_modules is loaded as usual.
 *
 * dist/abigen.manifest.json lists every source file the bundle was built from with its mtime
 * and size, taken *before* the build: bin/abigen.mjs uses the bundle only while all of them are
 * unchanged (a file edited during the build shows as changed, so the bundle is never trusted
 * for sources newer than it). dist/ ignores itself (its own .gitignore).
 *
 *   node bin/build-cli.mjs [dir]    # npm run build:cli; also run on npm install (dir: dist/)
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// Another directory for tests (test/cli/bundle.test.ts); bin/abigen.mjs reads dist/.
const DIST = process.argv[2] === undefined ? join(ROOT, "dist") : resolve(process.argv[2]);
const OUT = join(DIST, "abigen.mjs");
const MANIFEST = join(DIST, "abigen.manifest.json");

/** mtime and size of every file under the source directories, before the build reads them. */
function statTree(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) statTree(p, out);
    else if (e.isFile()) {
      const st = statSync(p);
      out.set(relative(ROOT, p).split("\\").join("/"), [st.mtimeMs, st.size]);
    }
  }
}

/**
 * Modules find files beside them with `new URL(rel, import.meta.url)` (templates, data, the
 * runtime sources the TS emitter copies): in the bundle every module would see dist/abigen.mjs
 * instead. Each module's `import.meta.url` becomes its own source file's URL, computed from the
 * bundle's location, so the bundle keeps working wherever the checkout is.
 */
const ownUrl = {
  name: "own-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
      if (args.path.includes(`${join("node_modules", "")}`)) return undefined;
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const rel = relative(DIST, args.path).split("\\").join("/");
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      return { contents: text.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

const before = new Map();
for (const d of ["src", "grammar"]) statTree(join(ROOT, d), before);

mkdirSync(DIST, { recursive: true });
writeFileSync(join(DIST, ".gitignore"), "# built by bin/build-cli.mjs\n*\n");
const tmp = `${OUT}.${process.pid}.tmp`;
const result = await build({
  entryPoints: [join(ROOT, "src/cli/main.ts")],
  outfile: tmp,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  metafile: true,
  logLevel: "warning",
  plugins: [ownUrl],
});

const inputs = {};
for (const input of Object.keys(result.metafile.inputs)) {
  const rel = relative(ROOT, join(ROOT, input)).split("\\").join("/");
  let stamp = before.get(rel);
  if (stamp === undefined) {
    const st = statSync(join(ROOT, rel));
    stamp = [st.mtimeMs, st.size];
  }
  inputs[rel] = stamp;
}
// Manifest out, bundle in, manifest in (each by rename): a reader never pairs a manifest with
// another bundle; without a manifest it runs the sources.
rmSync(MANIFEST, { force: true });
renameSync(tmp, OUT);
const tmpManifest = `${MANIFEST}.${process.pid}.tmp`;
writeFileSync(tmpManifest, JSON.stringify({ bundle: "abigen.mjs", inputs }, null, 1) + "\n");
renameSync(tmpManifest, MANIFEST);
console.log(`abigen: bundled ${Object.keys(inputs).length} modules into ${relative(ROOT, OUT)}`);
