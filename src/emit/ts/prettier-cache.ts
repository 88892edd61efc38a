/**
 * Prettier over the generated TypeScript, remembered. Formatting is most of a build's time (a
 * family module takes prettier seconds, abigen's own work milliseconds), and between two builds
 * most families do not change. The formatted text is cached by a hash of what determines it —
 * prettier's version, the options and the unformatted text (format-stamp.ts formatKey) — in
 * memory (for repeated emits in one process) and on disk under `.abigen-cache/prettier/`
 * (gitignored), one file per entry, so an unchanged file costs a hash and a read. The output is
 * byte for byte what prettier returns.
 *
 * ABIGEN_PRETTIER_CACHE=<dir> puts the disk cache elsewhere (the benchmark's cold runs use an
 * empty one); ABIGEN_PRETTIER_CACHE=off turns the disk cache off.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Options } from "prettier";
import { formatKey } from "./format-stamp.js";

/** Disk bounds: the oldest entries (by last use) go once either is exceeded. */
const MAX_DISK_ENTRIES = 2000;
const MAX_DISK_BYTES = 256 << 20;
/** Memory bound (characters of formatted text kept), oldest first out. */
const MAX_MEMORY_CHARS = 64 << 20;

const memory = new Map<string, string>();
let memoryChars = 0;
let pruned = false;

function cacheDir(): string | undefined {
  const env = process.env.ABIGEN_PRETTIER_CACHE;
  if (env === "off") return undefined;
  return resolve(env !== undefined && env !== "" ? env : join(".abigen-cache", "prettier"));
}

function remember(key: string, text: string): void {
  if (memory.has(key)) return;
  memory.set(key, text);
  memoryChars += text.length;
  for (const [k, v] of memory) {
    if (memoryChars <= MAX_MEMORY_CHARS || k === key) break;
    memory.delete(k);
    memoryChars -= v.length;
  }
}

function readDisk(dir: string, key: string): string | undefined {
  const file = join(dir, `${key}.ts`);
  try {
    const text = readFileSync(file, "utf8");
    const now = new Date();
    utimesSync(file, now, now); // last use, for pruning
    return text;
  } catch {
    return undefined; // not cached (or unreadable: format again)
  }
}

function writeDisk(dir: string, key: string, text: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!pruned) {
      pruned = true;
      prune(dir);
    }
    // Write then rename: a concurrent build never reads half a file.
    const tmp = join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, join(dir, `${key}.ts`));
  } catch {
    // A cache that cannot be written only costs time.
  }
}

/** Keep the disk cache within its bounds, least recently used entries first out (once per process). */
function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => {
      const st = statSync(join(dir, f));
      return { f, size: st.size, used: st.mtimeMs };
    })
    .sort((a, b) => b.used - a.used);
  let bytes = 0;
  for (const [i, e] of entries.entries()) {
    bytes += e.size;
    if (i >= MAX_DISK_ENTRIES || bytes > MAX_DISK_BYTES) unlinkSync(join(dir, e.f));
  }
}

// Prettier is CPU-bound on this one thread: formatting files concurrently gains nothing and holds
// every file's syntax tree at the same time (at 10k declarations that exhausted the heap). Calls
// are queued and run one at a time. (Worker threads were measured: on this project's 2-core
// machines they won only with a core to spare, lost under load, and doubled peak memory.)
let queue: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * prettier.format(source, options), from the cache when the same text was formatted before.
 * `key` is formatKey(source, options) when the caller has it already.
 */
export async function formatCached(source: string, options: Options, key = formatKey(source, options)): Promise<string> {
  const inMemory = memory.get(key);
  if (inMemory !== undefined) return inMemory;
  const dir = cacheDir();
  let text = dir === undefined ? undefined : readDisk(dir, key);
  if (text === undefined) {
    // Loaded on the first miss only: a build whose files all come from the cache or the previous
    // output never pays for loading prettier.
    const prettier = await import("prettier");
    text = await oneAtATime(() => prettier.format(source, options));
    if (dir !== undefined) writeDisk(dir, key, text);
  }
  remember(key, text);
  return text;
}
