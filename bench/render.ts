/**
 * Re-renders bench/results.md from bench/results.json (after a change to report.ts, without
 * re-running the benchmarks):  node --import tsx bench/render.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderMarkdown } from "./report.js";
import type { Results } from "./run.js";

const dir = import.meta.dirname;
const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;
writeFileSync(join(dir, "results.md"), renderMarkdown(results));
