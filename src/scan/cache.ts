/**
 * The scan result cache (.abigen-cache/, gitignored). The key hashes everything the result
 * depends on: the scanner's version, the compiler's identity, the directory, and every
 * scanned header's name, size and mtime (a linux-libc-dev upgrade changes those, and
 * linux/version.h with them).
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { HeaderFile } from "./headers.js";

/** Hash of the scanner's own source, so that changing how we scan invalidates old results. */
function scannerHash(): string {
  const dir = fileURLToPath(new URL(".", import.meta.url));
  const h = createHash("sha256");
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) h.update(f).update(readFileSync(join(dir, f)));
  return h.digest("hex");
}

export function compilerId(cc: string): string {
  try {
    return execFileSync(cc, ["--version"], { encoding: "utf8" }).split("\n")[0] ?? cc;
  } catch {
    return cc;
  }
}

export function scanKey(parts: { dir: string; cc: string; args: readonly string[]; headers: readonly HeaderFile[] }): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ v: scannerHash(), dir: parts.dir, cc: compilerId(parts.cc), args: parts.args }));
  for (const f of parts.headers) h.update(`\n${f.name} ${f.size} ${f.mtimeMs}`);
  return h.digest("hex").slice(0, 24);
}

export function readCache<T>(cacheDir: string, key: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(cacheDir, `scan-${key}.json`), "utf8")) as T;
  } catch {
    return undefined;
  }
}

export function writeCache(cacheDir: string, key: string, value: unknown): void {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `scan-${key}.json`);
  // Write then rename, so a concurrent reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, file);
}
