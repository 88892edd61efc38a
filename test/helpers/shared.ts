/**
 * The reference data in ../shared/data (beside the repository, as on every machine of this
 * project and in CI's fresh clone). Tests that check abigen's derived data against its sources
 * read it from here — never from an absolute path.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const SHARED_DATA = resolve(import.meta.dirname, "../../../shared/data");

export function sharedPath(name: string): string {
  const p = join(SHARED_DATA, name);
  if (!existsSync(p)) throw new Error(`reference file ${name} not found in ${SHARED_DATA} (shared/ must sit beside the repository)`);
  return p;
}

export function readShared(name: string): string {
  return readFileSync(sharedPath(name), "utf8");
}
