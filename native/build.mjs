#!/usr/bin/env node
/**
 * Builds the ioctl addon (native/ioctl.cc → native/build/Release/abigen_ioctl.node) with node-gyp.
 * Run by `npm ci` / `npm install` (package.json "install") and by `npm run build:native`.
 *
 * node-gyp: the one npm hands to scripts (npm_config_node_gyp), else `node-gyp` on PATH, else the
 * copy bundled with npm next to this node. Headers: npm's nodedir setting when npm runs us;
 * otherwise this node's own installed headers (<prefix>/include/node) when present, so the build
 * needs no download.
 *
 * A failed build does not fail the install: the runtime then uses koffi for ioctls (slower, same
 * results). With ABIGEN_REQUIRE_NATIVE=1 it does fail, as the runtime would refuse to start.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const REQUIRED = process.env.ABIGEN_REQUIRE_NATIVE === "1";

function fail(message) {
  console.warn(`\nabigen: WARNING: the native ioctl addon was not built: ${message}`);
  console.warn("abigen: real-fd ioctls will go through koffi (same results, slower). Retry with: npm run build:native\n");
  process.exit(REQUIRED ? 1 : 0);
}

if (process.platform !== "linux") {
  console.log(`abigen: no native ioctl addon on ${process.platform} (real fds need Linux)`);
  process.exit(0);
}

function nodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return [process.execPath, fromNpm];
  if (spawnSync("node-gyp", ["--version"], { stdio: "ignore" }).status === 0) return ["node-gyp"];
  const bundled = join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
  if (existsSync(bundled)) return [process.execPath, bundled];
  return undefined;
}

const gyp = nodeGyp();
if (gyp === undefined) fail("node-gyp not found (it comes with npm)");

const args = ["rebuild", "--directory", HERE];
const prefix = join(dirname(process.execPath), "..");
if (!process.env.npm_config_nodedir && existsSync(join(prefix, "include", "node", "node.h"))) args.push(`--nodedir=${prefix}`);

const [cmd, ...pre] = gyp;
const r = spawnSync(cmd, [...pre, ...args], { stdio: "inherit" });
if (r.error !== undefined) fail(r.error.message);
if (r.status !== 0) fail(`node-gyp exited with ${r.status ?? r.signal} (needs python3, make and a C++ compiler)`);
console.log(`abigen: built ${join(HERE, "build", "Release", "abigen_ioctl.node")}`);
