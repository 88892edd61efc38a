// Whether the bundle bin/build-cli.mjs wrote into `dist` is current: its manifest lists every
// source file it was built from with mtime and size, and none of them changed (a stat each).
import { readFileSync, statSync } from "node:fs";

export function bundleIsCurrent(root, dist) {
  try {
    const manifest = JSON.parse(readFileSync(new URL("abigen.manifest.json", dist), "utf8"));
    for (const [path, [mtime, size]] of Object.entries(manifest.inputs)) {
      const st = statSync(new URL(path, root));
      if (st.mtimeMs !== mtime || st.size !== size) return false;
    }
    return true;
  } catch {
    return false; // no bundle, or a source file gone
  }
}
