// Prints the Debian packages of the GCC cross compilers for every modelled target, one per line.
// .ci/run installs them; so can a developer: apt-get install -y $(npx tsx scripts/cross-compiler-packages.ts)
import { TARGETS } from "../src/targets/targets.js";

const host = new Set(["x86_64"]);
for (const t of TARGETS) if (!host.has(t.name) || process.arch !== "x64") console.log(t.debianPackage);
