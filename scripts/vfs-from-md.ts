/**
 * Regenerate data/vfs-intercepted.json from /work/shared/data/vfs-intercepted-ioctls.md:
 *
 *   npx tsx scripts/vfs-from-md.ts /work/shared/data/vfs-intercepted-ioctls.md > data/vfs-intercepted.json
 *
 * What is parsed and what is supplied by hand is described in src/registry/vfs-build.ts.
 */
import { readFileSync } from "node:fs";
import { buildVfsData, formatVfsData } from "../src/registry/vfs-build.js";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: npx tsx scripts/vfs-from-md.ts <vfs-intercepted-ioctls.md> > data/vfs-intercepted.json\n");
  process.exit(2);
}
const { data, skipped } = buildVfsData(readFileSync(file, "utf8"));
for (const s of skipped) process.stderr.write(`vfs-from-md: skipped line ${s.line} (${s.name}): ${s.reason}\n`);
process.stdout.write(formatVfsData(data));
