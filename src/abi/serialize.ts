/**
 * Reading and writing `abi.lock`. The text is deterministic: maps of named things are sorted by
 * name (so moving a declaration within a spec does not touch the lock), lists keep their order
 * (fields by offset, enum members as declared, targets as in targets.ts), and small objects sit
 * on one line so that one ABI change is one line of the lock's diff.
 */
import { LOCK_VERSION, type AbiLock } from "./lock-model.js";

export class LockError extends Error {}

/** Keys whose values are maps from a declaration's name to its entry. */
const NAMED_MAPS = new Set(["families", "constants", "enums", "records", "fds", "ioctls", "messages", "commands"]);

function canonical(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (key !== undefined && NAMED_MAPS.has(key)) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v, k)]));
}

const INLINE_WIDTH = 170;

/** One-line form: `{ "a": 1, "b": [1, 2] }`. */
function inline(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(", ")} }`;
}

function format(value: unknown, indent: string): string {
  const flat = inline(value);
  if (value === null || typeof value !== "object" || flat.length <= INLINE_WIDTH) return flat;
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + format(v, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`).join(",\n")}\n${indent}}`;
}

export function serializeLock(lock: AbiLock): string {
  return format(canonical(lock), "") + "\n";
}

export function parseLock(text: string, where: string): AbiLock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new LockError(`${where}: not a valid lock file (${(e as Error).message})`);
  }
  const o = data as Partial<AbiLock> | null;
  if (!o || typeof o !== "object" || o.generator !== "abigen" || typeof o.families !== "object" || !Array.isArray(o.targets)) {
    throw new LockError(`${where}: not an abigen lock file (write one with \`abigen lock\`)`);
  }
  if (o.version !== LOCK_VERSION) {
    throw new LockError(`${where}: lock format version ${String(o.version)}; this abigen reads version ${LOCK_VERSION} (re-run \`abigen lock\`)`);
  }
  return o as AbiLock;
}
