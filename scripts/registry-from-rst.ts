/**
 * Regenerate data/registry/ioctl-number.json from the kernel's ioctl-number.rst:
 *
 *   npx tsx scripts/registry-from-rst.ts /work/shared/data/ioctl-number.upstream-7.0-reconstructed.rst \
 *     > data/registry/ioctl-number.json
 *
 * The JSON is an array of rows (see RegistryRow in src/registry/rst-table.ts), one per line so
 * that a registry update shows up as a readable diff.
 */
import { readFileSync } from "node:fs";
import { parseRegistryRst } from "../src/registry/rst-table.js";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: npx tsx scripts/registry-from-rst.ts <ioctl-number.rst> > data/registry/ioctl-number.json\n");
  process.exit(2);
}
const { rows } = parseRegistryRst(readFileSync(file, "utf8"));
process.stdout.write("[\n" + rows.map((r) => "  " + JSON.stringify(r)).join(",\n") + "\n]\n");
