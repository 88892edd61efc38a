/**
 * The ioctl addon (native/ioctl.cc via src/runtime/native-ioctl.ts) gives the kernel's answers:
 * every case is run through the addon and through our own koffi binding of glibc's ioctl (errno
 * read by koffi), and both must equal what C's headers say (request numbers and errno values
 * come from gcc). Each case runs in both of the addon's forms: the ordinary V8 callback (first,
 * unoptimized calls; bigint values) and the Fast API path optimized code takes — the fast-call
 * counter proves that path ran, on fresh small Uint8Arrays that V8 keeps on its heap.
 *
 * Without the addon built this says SKIPPED — unless ABIGEN_REQUIRE_NATIVE=1 (CI), where the
 * missing addon is a failure. The KVM round trip follows ABIGEN_REQUIRE_KVM the same way.
 */
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { join } from "node:path";
import koffi from "koffi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ioctlBackend as generatedBackend } from "../../generated/ts/runtime/native-ioctl.js";
import { ioctlBackend, nativeIoctl, nativeIoctlStatus, type NativeIoctl } from "../../src/runtime/native-ioctl.js";
import { pipe, RealFd } from "../../src/runtime/real-fd.js";
import { cConstants, HAVE_GCC, need } from "./host-c.js";

const ROOT = join(import.meta.dirname, "..", "..");
const REQUIRED = process.env["ABIGEN_REQUIRE_NATIVE"] === "1";
const KVM_REQUIRED = process.env["ABIGEN_REQUIRE_KVM"] === "1";

let addon: NativeIoctl | undefined;
let loadError: string | undefined;
try {
  addon = nativeIoctl();
  if (addon === undefined) loadError = nativeIoctlStatus().reason;
} catch (e) {
  loadError = (e as Error).message;
}
const NO_ADDON = addon === undefined ? `the ioctl addon is not usable: ${loadError}` : undefined;
if (NO_ADDON && !REQUIRED) console.warn(`SKIPPED: native ioctl tests — ${NO_ADDON} (npm run build:native)`);
if (!HAVE_GCC) console.warn("SKIPPED: native ioctl tests that need C constants — gcc not found");
const KVM = existsSync("/dev/kvm") && process.arch === "x64" ? undefined : "no /dev/kvm on an x86-64 host";
if (KVM && !KVM_REQUIRED) console.warn(`SKIPPED: native ioctl KVM round trip — ${KVM}`);

// Our own binding, as libc.ts's fallback has it: fixed prototypes, errno read right after.
const lib = koffi.load("libc.so.6");
const kPtr = lib.func("int ioctl(int fd, unsigned long request, void *arg)");
const kVal = lib.func("int ioctl(int fd, unsigned long request, unsigned long arg)");
const viaKoffi = (r: number): number => (r < 0 ? -koffi.errno() : r);

let C = new Map<string, bigint>();
let devNull = -1;
let readEnd: RealFd;
let writeEnd: RealFd;
const PIPED = 5;

beforeAll(() => {
  if (HAVE_GCC) {
    C = cConstants(["errno.h", "sys/ioctl.h", "linux/kvm.h"], {
      ENOTTY: "ENOTTY", EBADF: "EBADF", EFAULT: "EFAULT", EINVAL: "EINVAL", FIONREAD: "FIONREAD", TIOCGWINSZ: "TIOCGWINSZ",
      KVM_API_VERSION: "KVM_API_VERSION", KVM_GET_API_VERSION: "KVM_GET_API_VERSION", KVM_CREATE_VM: "KVM_CREATE_VM",
      KVM_CREATE_VCPU: "KVM_CREATE_VCPU", KVM_SET_USER_MEMORY_REGION: "KVM_SET_USER_MEMORY_REGION", KVM_GET_REGS: "KVM_GET_REGS",
      KVM_SET_REGS: "KVM_SET_REGS", REGS_SIZE: "sizeof(struct kvm_regs)", RIP_OFFSET: "__builtin_offsetof(struct kvm_regs, rip)",
    });
  }
  devNull = openSync("/dev/null", "r");
  [readEnd, writeEnd] = pipe();
  writeEnd.write(new Uint8Array(PIPED));
});

afterAll(() => {
  if (devNull >= 0) closeSync(devNull);
  readEnd?.close();
  writeEnd?.close();
});

/** Runs `call` enough times for V8 to optimize it; returns the distinct results and how many calls were fast. */
function hot(call: () => number): { results: Set<number>; fast: number } {
  const a = addon!;
  const results = new Set<number>();
  const before = a.fastCalls();
  for (let i = 0; i < 30_000; i++) results.add(call());
  return { results, fast: a.fastCalls() - before };
}

describe("the ioctl backend", () => {
  it("is the addon whenever it loads, and must be when ABIGEN_REQUIRE_NATIVE=1", () => {
    if (REQUIRED) expect(NO_ADDON, "ABIGEN_REQUIRE_NATIVE=1: the ioctl addon must load").toBeUndefined();
    expect(ioctlBackend()).toBe(addon === undefined ? "koffi" : "native");
    // The copy of the runtime in generated/ts/runtime/ finds the same addon from its own place.
    expect(generatedBackend()).toBe(ioctlBackend());
  });

  it.skipIf(!!NO_ADDON)("has its fast paths compiled in for this Node's V8", () => {
    expect(addon!.fastApi).toBe(true);
  });

  it("falls back to koffi with ABIGEN_NATIVE_IOCTL=off, and refuses that under ABIGEN_REQUIRE_NATIVE=1", () => {
    const script = `import("./src/runtime/native-ioctl.ts").then((m) => { try { console.log(m.ioctlBackend()); } catch (e) { console.log("error: " + e.message); } })`;
    const run = (env: Record<string, string>): string =>
      execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: ROOT, env: { ...process.env, ABIGEN_REQUIRE_NATIVE: "", ...env }, encoding: "utf8",
      }).trim();
    expect(run({ ABIGEN_NATIVE_IOCTL: "off" })).toBe("koffi");
    expect(run({ ABIGEN_NATIVE_IOCTL: "off", ABIGEN_REQUIRE_NATIVE: "1" })).toMatch(/^error: .*ABIGEN_REQUIRE_NATIVE=1.*ABIGEN_NATIVE_IOCTL=off/);
  });
});

describe.skipIf(!!NO_ADDON || !HAVE_GCC)("the addon's results are the kernel's (= koffi's, errno from C)", () => {
  it("ENOTTY: TIOCGWINSZ on /dev/null", () => {
    const [TIOCGWINSZ, ENOTTY] = [need(C, "TIOCGWINSZ"), need(C, "ENOTTY")];
    const a = addon!;
    expect(viaKoffi(kPtr(devNull, TIOCGWINSZ, new Uint8Array(8)))).toBe(-ENOTTY);
    expect(a.ioctlBuf(devNull, TIOCGWINSZ, new Uint8Array(8))).toBe(-ENOTTY);
    const h = hot(() => a.ioctlBuf(devNull, TIOCGWINSZ, new Uint8Array(8)));
    expect([...h.results]).toEqual([-ENOTTY]);
    expect(h.fast).toBeGreaterThan(0);
  });

  it("EBADF: an fd that is not open", () => {
    const [FIONREAD, EBADF] = [need(C, "FIONREAD"), need(C, "EBADF")];
    const a = addon!;
    // A number far above any this process opens (RLIMIT_NOFILE is far lower), closed for sure.
    const bad = 0x3fff_fff0;
    const closed = pipe();
    const closedFd = closed[0].fd;
    closed[0].close();
    closed[1].close();
    for (const fd of [bad, closedFd]) {
      expect(viaKoffi(kVal(fd, FIONREAD, 0))).toBe(-EBADF);
      expect(a.ioctl0(fd, FIONREAD)).toBe(-EBADF);
    }
    const h = hot(() => a.ioctl0(bad, FIONREAD));
    expect([...h.results]).toEqual([-EBADF]);
    expect(h.fast).toBeGreaterThan(0);
  });

  it("EFAULT: FIONREAD given an unmapped address through the integer form (number and bigint)", () => {
    const [FIONREAD, EFAULT] = [need(C, "FIONREAD"), need(C, "EFAULT")];
    const a = addon!;
    const fd = readEnd.fd;
    expect(viaKoffi(kVal(fd, FIONREAD, 8))).toBe(-EFAULT);
    expect(a.ioctlVal(fd, FIONREAD, 8)).toBe(-EFAULT);
    expect(a.ioctlVal(fd, FIONREAD, 8n)).toBe(-EFAULT);
    const h = hot(() => a.ioctlVal(fd, FIONREAD, 8));
    expect([...h.results]).toEqual([-EFAULT]);
    expect(h.fast).toBeGreaterThan(0);
  });

  it("FIONREAD on a pipe writes the count at the Uint8Array's byteOffset, nowhere else", () => {
    const FIONREAD = need(C, "FIONREAD");
    const a = addon!;
    const fd = readEnd.fd;
    const count = (bytes: Uint8Array, at: number): number => new DataView(bytes.buffer, bytes.byteOffset + at, 4).getInt32(0, true);

    const k = new Uint8Array(4);
    expect(viaKoffi(kPtr(fd, FIONREAD, k))).toBe(0);
    expect(count(k, 0)).toBe(PIPED);

    const whole = new Uint8Array(64).fill(0xee);
    expect(a.ioctlBuf(fd, FIONREAD, whole.subarray(12, 16))).toBe(0);
    expect(count(whole, 12)).toBe(PIPED);
    expect(whole.filter((b, i) => (i < 12 || i >= 16) && b !== 0xee).length).toBe(0);

    // Fast path, fresh 4-byte arrays each call: on V8's heap, their address taken from V8 directly.
    const h = hot(() => {
      const b = new Uint8Array(4);
      const r = a.ioctlBuf(fd, FIONREAD, b);
      return r === 0 ? b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24) : r - 1000;
    });
    expect([...h.results]).toEqual([PIPED]);
    expect(h.fast).toBeGreaterThan(0);

    // Fast path at an offset into a bigger buffer.
    const big = new Uint8Array(256);
    const views = [8, 100, 252].map((o) => big.subarray(o, o + 4));
    const h2 = hot(() => {
      let bad = 0;
      for (const v of views) {
        v.fill(0);
        if (a.ioctlBuf(fd, FIONREAD, v) !== 0 || v[0] !== PIPED) bad++;
      }
      return bad;
    });
    expect([...h2.results]).toEqual([0]);
    expect(h2.fast).toBeGreaterThan(0);
    expect(big.reduce((n, b) => n + b, 0)).toBe(3 * PIPED);
  });
});

describe.skipIf(!!NO_ADDON || !HAVE_GCC)("KVM round trip through the addon", () => {
  it("runs when ABIGEN_REQUIRE_KVM=1", () => {
    if (KVM_REQUIRED) expect(KVM, "ABIGEN_REQUIRE_KVM=1: the KVM round trip must run").toBeUndefined();
  });

  it.skipIf(!!KVM)("API version, a VM with memory, a vCPU's registers set and read back — same as koffi's", () => {
    const a = addon!;
    const n = (name: string): number => need(C, name);
    const kvm = openSync("/dev/kvm", "r+");
    const owned: RealFd[] = [];
    try {
      expect(a.ioctl0(kvm, n("KVM_GET_API_VERSION"))).toBe(n("KVM_API_VERSION"));
      expect(viaKoffi(kVal(kvm, n("KVM_GET_API_VERSION"), 0))).toBe(n("KVM_API_VERSION"));
      const vm = a.ioctlVal(kvm, n("KVM_CREATE_VM"), 0);
      expect(vm).toBeGreaterThanOrEqual(0);
      owned.push(RealFd.adopt(vm, "kvm-vm"));
      // Slot 0 with no memory_size is a valid (empty) slot; a misaligned guest address is EINVAL.
      const region = new Uint8Array(32);
      const rv = new DataView(region.buffer);
      rv.setBigUint64(8, 0x1001n, true); // guest_phys_addr: not page aligned
      rv.setBigUint64(16, 0x1000n, true);
      expect(a.ioctlBuf(vm, n("KVM_SET_USER_MEMORY_REGION"), region)).toBe(-n("EINVAL"));
      expect(viaKoffi(kPtr(vm, n("KVM_SET_USER_MEMORY_REGION"), region))).toBe(-n("EINVAL"));
      const vcpu = a.ioctlVal(vm, n("KVM_CREATE_VCPU"), 0n);
      expect(vcpu).toBeGreaterThanOrEqual(0);
      owned.push(RealFd.adopt(vcpu, "kvm-vcpu"));

      const size = n("REGS_SIZE");
      const rip = n("RIP_OFFSET");
      const regs = new Uint8Array(size);
      new DataView(regs.buffer).setBigUint64(rip, 0xfff0n + 0x1234n, true);
      expect(a.ioctlBuf(vcpu, n("KVM_SET_REGS"), regs)).toBe(0);
      const mine = new Uint8Array(size + 8).subarray(8); // at an offset
      expect(a.ioctlBuf(vcpu, n("KVM_GET_REGS"), mine)).toBe(0);
      const theirs = new Uint8Array(size);
      expect(viaKoffi(kPtr(vcpu, n("KVM_GET_REGS"), theirs))).toBe(0);
      expect([...mine]).toEqual([...theirs]);
      expect(new DataView(mine.buffer, mine.byteOffset).getBigUint64(rip, true)).toBe(0xfff0n + 0x1234n);
    } finally {
      for (const f of owned.reverse()) f.close();
      closeSync(kvm);
    }
  });
});
