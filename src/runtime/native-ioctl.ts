/**
 * The ioctl addon (native/ioctl.cc, built by `npm ci` into native/build/Release/abigen_ioctl.node),
 * found and loaded on first use. libc.ts issues every real-fd ioctl through it when it loads, and
 * through koffi otherwise — same results, same errno; the addon is only faster: V8's Fast API
 * calls it straight from optimized code (≈ C's cost per call), where a koffi call costs 50 ns
 * and more, and copies small on-heap buffers.
 *
 * Where it looks (first hit wins):
 *  - ABIGEN_NATIVE_IOCTL=/path/to/abigen_ioctl.node; ABIGEN_NATIVE_IOCTL=off uses koffi;
 *  - native/build/Release/ of the repository this file is in: as src/runtime/native-ioctl.ts
 *    (../../native) or as the copy in generated/ts/runtime/ (../../../native).
 * Not found, or built for another Node: koffi, silently — unless ABIGEN_REQUIRE_NATIVE=1, which
 * makes that an error (CI sets it to prove the addon is what runs).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** Each returns the kernel's result, or -errno (read in C right after the syscall). */
export interface NativeIoctl {
  ioctl0(fd: number, request: number): number;
  ioctlVal(fd: number, request: number, value: number | bigint): number;
  /** The kernel gets the address of bytes[0] (byteOffset included); null passes NULL. */
  ioctlBuf(fd: number, request: number, bytes: Uint8Array | null): number;
  /** How many calls took a V8 fast path so far (tests prove the fast paths run). */
  fastCalls(): number;
  /** Whether the fast paths were compiled in (they are for the V8 the declarations match). */
  readonly fastApi: boolean;
}

const FILE = "native/build/Release/abigen_ioctl.node";
const CANDIDATES = [`../../${FILE}`, `../../../${FILE}`];

interface Loaded {
  readonly addon: NativeIoctl | undefined;
  readonly path: string | undefined;
  /** Why the addon is not used (undefined when it is). */
  readonly reason: string | undefined;
}

let loaded: Loaded | undefined;

function locate(): { path?: string; reason?: string } {
  const env = process.env["ABIGEN_NATIVE_IOCTL"];
  if (env === "off") return { reason: "ABIGEN_NATIVE_IOCTL=off" };
  if (env !== undefined && env !== "") return existsSync(env) ? { path: env } : { reason: `ABIGEN_NATIVE_IOCTL=${env}: no such file` };
  for (const rel of CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return { path };
  }
  return { reason: `${FILE} not built (npm ci builds it; or: npm run build:native)` };
}

function load(): Loaded {
  const { path, reason } = locate();
  if (path === undefined) return { addon: undefined, path, reason };
  try {
    const addon = createRequire(import.meta.url)(path) as Partial<NativeIoctl>;
    if (typeof addon.ioctl0 !== "function" || typeof addon.ioctlVal !== "function" || typeof addon.ioctlBuf !== "function") {
      return { addon: undefined, path, reason: `${path} is not the abigen ioctl addon` };
    }
    return { addon: addon as NativeIoctl, path, reason: undefined };
  } catch (e) {
    // Typically built for another Node (NODE_MODULE_VERSION mismatch): rebuild with npm run build:native.
    return { addon: undefined, path, reason: `${path}: ${(e as Error).message}` };
  }
}

function state(): Loaded {
  loaded ??= load();
  if (loaded.addon === undefined && process.env["ABIGEN_REQUIRE_NATIVE"] === "1") {
    throw new Error(`abigen runtime: ABIGEN_REQUIRE_NATIVE=1 but the ioctl addon is not usable: ${loaded.reason}`);
  }
  return loaded;
}

/** The addon, or undefined (use koffi). Throws if ABIGEN_REQUIRE_NATIVE=1 and it is missing. */
export function nativeIoctl(): NativeIoctl | undefined {
  return state().addon;
}

/** Which implementation real-fd ioctls go through. */
export function ioctlBackend(): "native" | "koffi" {
  return nativeIoctl() === undefined ? "koffi" : "native";
}

/** Where the addon was loaded from, or why it was not (for diagnostics). */
export function nativeIoctlStatus(): { readonly backend: "native" | "koffi"; readonly path?: string; readonly reason?: string } {
  const s = state();
  return {
    backend: s.addon === undefined ? "koffi" : "native",
    ...(s.path === undefined ? {} : { path: s.path }),
    ...(s.reason === undefined ? {} : { reason: s.reason }),
  };
}
