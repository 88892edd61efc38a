#!/usr/bin/env node
// The abigen command. Runs dist/abigen.mjs, the bundle bin/build-cli.mjs builds (npm install,
// npm run build:cli), while every source file it was built from is unchanged (mtime and size, a
// stat each: about a millisecond); otherwise, or with ABIGEN_NO_BUNDLE=1, the TypeScript sources
// through tsx's loader, as before (correct, but hundreds of ms slower to start).
import { bundleIsCurrent } from "./bundle-current.mjs";

// `abigen targets | head`: the reader went away; stop quietly, as a C tool dies of SIGPIPE,
// instead of an unhandled 'error' event and a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}

const ROOT = new URL("../", import.meta.url);

let main;
if (!process.env.ABIGEN_NO_BUNDLE && bundleIsCurrent(ROOT, new URL("dist/", ROOT))) {
  ({ main } = await import("../dist/abigen.mjs"));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
