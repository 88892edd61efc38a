/**
 * Group 3 — calls on the real /dev/kvm: KVM_GET_API_VERSION (no argument), KVM_SET_USER_MEMORY_REGION
 * (struct in) and KVM_GET_REGS (struct out) through the generated stubs vs a C program doing the
 * same loop (bench/c/kvm-calls.c, built here with gcc, one long-lived process answering batch
 * requests so its batches interleave with the JS ones) vs raw calls with hand-built buffers: the
 * runtime's ioctl addon (native/ioctl.cc, V8 fast calls; what the stubs use when it is built)
 * and koffi. Target: stub ≤ 1.5× C (time per call).
 *
 * Beside them, the pieces a stub call is made of, to say where any gap comes from: the raw call
 * through the addon vs through koffi, koffi's fixed prototype vs the variadic one, reading errno
 * after every call, a fresh buffer per call vs one reused buffer (koffi must find the memory of a
 * new small typed array, which V8 keeps on its heap until asked for a backing store; the addon's
 * fast path gets its address from V8 directly), and the fd layer (RealFd.ioctl) without the
 * stub's encode/decode.
 */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import koffi from "koffi";
import { Kvm } from "../generated/ts/kvm/stubs.js";
import { anonymousMemory, bufferArg, ioctlBackend, NO_ARG, pipe, RealFd } from "../generated/ts/runtime/stub.js";
import { nativeIoctl } from "../generated/ts/runtime/native-ioctl.js";
import { compare, ratio, type Contender, type Measured } from "./harness.js";

const ROOT = join(import.meta.dirname, "..");

// <linux/kvm.h> request numbers on x86-64, written by hand as a raw caller would.
const KVM_GET_API_VERSION = 0xae00;
const KVM_SET_USER_MEMORY_REGION = 0x4020ae46;
const KVM_GET_REGS = 0x8090ae81;
const MEM_SIZE = 0x10000;

export interface CallRow {
  readonly ioctl: string;
  readonly results: Measured[];
  /** ns per call of the stub divided by C's (the target: ≤ 1.5). */
  readonly stubOverC: number;
  /** ns per call of each contender divided by C's. */
  readonly overC: Record<string, number>;
}

export interface CallsReport {
  readonly skipped?: string;
  /** What RealFd.ioctl (so the stubs) went through: the addon, or koffi when it is not built. */
  readonly backend?: "native" | "koffi";
  readonly rows: CallRow[];
}

/** How the contenders are described in bench/results.md. */
export const CALLS_DESCRIPTION =
  "Stub = the generated typed stub (`kvm.getApiVersion()`, `vm.setUserMemoryRegion(region)`, `vcpu.getRegs()`); C = " +
  "bench/c/kvm-calls.c (gcc -O2), a long-lived process running the same loop in batches the bench interleaves with the JS ones; " +
  "addon raw = the runtime's ioctl addon (native/ioctl.cc: V8 fast calls, -errno returned from C) called directly with hand-built " +
  "buffers, the floor for the stubs, which use it; koffi raw = our own koffi binding with fixed prototypes and hand-built buffers " +
  "(the floor for a koffi-based stub, the runtime's fallback when the addon is not built). The other rows take the stub apart: " +
  "fresh vs reused buffers, koffi's variadic prototype, reading errno after every call, and the runtime's fd layer (RealFd.ioctl) " +
  "without encode/decode. Ratio = time per call ÷ C's (lower is better).";

/**
 * The "what the rows say" lines: [a, b, label] = median(a) − median(b). "fd layer" is measured
 * against the raw call of the backend it ran on (CallsReport.backend).
 */
export function callDiffs(backend: "native" | "koffi" = "native"): [string, string, string][] {
  const raw = backend === "native" ? "addon raw" : "koffi raw";
  return [
    ["addon raw", "C", "the addon's own call cost (addon raw − C):"],
    ["koffi raw", "C", "koffi's own call cost (koffi raw − C):"],
    ["koffi variadic", "koffi raw", "koffi's variadic instead of fixed prototype:"],
    ["koffi raw + errno read", "koffi raw", "koffi reading errno every call:"],
    ["addon raw", "addon raw, reused buffer", "the addon with a fresh small buffer per call instead of a reused one:"],
    ["koffi raw", "koffi raw, reused buffer", "koffi with a fresh small buffer per call instead of a reused one:"],
    ["addon raw, fresh buffer per call", "addon raw", "the addon with a fresh buffer per call instead of a reused one:"],
    ["koffi raw, fresh buffer per call", "koffi raw", "koffi with a fresh buffer per call instead of a reused one:"],
    ["fd layer (RealFd.ioctl)", raw, `the runtime's fd layer over ${raw}:`],
    ["stub", "fd layer (RealFd.ioctl)", "the stub over the fd layer (encode/decode, descriptor, checks):"],
  ];
}

/** The C loop as a long-lived child: request "<op> <n>", answer the elapsed ns. */
class CLoop {
  readonly #to: number;
  readonly #from: number;
  readonly #buf = Buffer.alloc(64);

  constructor(binary: string) {
    const [childIn, toChild] = pipe();
    const [fromChild, childOut] = pipe();
    const proc = spawn(binary, [], { stdio: [childIn.fd, childOut.fd, "inherit"] });
    proc.unref();
    childIn.close();
    childOut.close();
    // Keep the numbers; the RealFd objects stay referenced so no finalizer closes them.
    this.#to = toChild.fd;
    this.#from = fromChild.fd;
    this.keep = [toChild, fromChild];
    if (this.#line() !== "ready") throw new Error("kvm-calls did not start");
  }

  readonly keep: RealFd[];

  #line(): string {
    let s = "";
    for (;;) {
      const n = readSync(this.#from, this.#buf, 0, this.#buf.length, null);
      if (n <= 0) throw new Error("kvm-calls exited (see its stderr)");
      s += this.#buf.toString("utf8", 0, n);
      if (s.endsWith("\n")) return s.trim();
    }
  }

  /** Runs n calls in C; the milliseconds they took. */
  run(op: string, n: number): number {
    writeSync(this.#to, `${op} ${n}\n`);
    return Number(this.#line()) / 1e6;
  }

  close(): void {
    for (const f of this.keep) f.close(); // EOF on its stdin ends the C loop
  }
}

function kvmUsable(): string | undefined {
  if (process.platform !== "linux" || process.arch !== "x64") return `needs x86-64 Linux, this is ${process.platform}/${process.arch}`;
  try {
    accessSync("/dev/kvm", constants.R_OK | constants.W_OK);
  } catch {
    return "no read-write /dev/kvm on this machine";
  }
  const r = spawnSync("gcc", ["--version"]);
  if (r.error !== undefined) return "gcc not found (the C reference cannot be built)";
  return undefined;
}

export function runCalls(log: (s: string) => void): CallsReport {
  const skipped = kvmUsable();
  if (skipped !== undefined) return { skipped, rows: [] };

  const build = mkdtempSync(join(tmpdir(), "abigen-kvm-calls-"));
  const binary = join(build, "kvm-calls");
  const cc = spawnSync("gcc", ["-O2", "-Wall", "-o", binary, join(ROOT, "bench/c/kvm-calls.c")], { encoding: "utf8" });
  if (cc.status !== 0) throw new Error(`building bench/c/kvm-calls.c failed: ${cc.stderr}`);
  const c = new CLoop(binary);

  using kvm = Kvm.open();
  using vm = kvm.createVm(0);
  using memory = anonymousMemory(MEM_SIZE);
  const region = { slot: 0, flags: 0, guest_phys_addr: 0n, memory_size: BigInt(MEM_SIZE), userspace_addr: memory.address };
  vm.setUserMemoryRegion(region);
  using vcpu = vm.createVcpu(0);
  const kvmFd = (kvm.fd as RealFd).fd;
  const vmFd = (vm.fd as RealFd).fd;
  const vcpuFd = (vcpu.fd as RealFd).fd;

  // Raw koffi: our own binding, as a user without abigen would write it.
  const lib = koffi.load("libc.so.6");
  const ioctlPtr = lib.func("int ioctl(int fd, unsigned long request, void *arg)");
  const ioctlVal = lib.func("int ioctl(int fd, unsigned long request, unsigned long arg)");
  const ioctlVariadic = lib.func("int ioctl(int fd, unsigned long request, ...)");
  const check = (r: number, what: string): number => {
    if (r < 0) throw new Error(`${what} failed: errno ${koffi.errno()}`);
    return r;
  };
  // The addon returns -errno itself.
  const addon = nativeIoctl();
  const checkAddon = (r: number, what: string): number => {
    if (r < 0) throw new Error(`${what} failed: errno ${-r}`);
    return r;
  };
  /** The addon rows, when it is built (without it the stubs run on koffi and these rows are absent). */
  const ifAddon = (...cs: ((a: NonNullable<typeof addon>) => Contender)[]): Contender[] =>
    addon === undefined ? [] : cs.map((c) => c(addon));

  // Hand-built buffers: a DataView over a fresh buffer per call, as the stub does (encode
  // allocates), and a reused one where that is what a raw caller would naturally do.
  const regionBytes = (): Uint8Array => {
    const b = new Uint8Array(32);
    const v = new DataView(b.buffer);
    v.setUint32(0, 0, true);
    v.setUint32(4, 0, true);
    v.setBigUint64(8, 0n, true);
    v.setBigUint64(16, BigInt(MEM_SIZE), true);
    v.setBigUint64(24, memory.address, true);
    return b;
  };
  const reusedRegion = regionBytes();
  const regsBuf = new Uint8Array(144);
  const regsView = new DataView(regsBuf.buffer);

  const cases: { ioctl: string; cOp: string; contenders: Contender[] }[] = [
    {
      ioctl: "KVM_GET_API_VERSION (no argument)",
      cOp: "api",
      contenders: [
        { name: "stub", op: () => kvm.getApiVersion() },
        { name: "C", batch: (n) => c.run("api", n) },
        ...ifAddon((a) => ({ name: "addon raw", op: () => checkAddon(a.ioctl0(kvmFd, KVM_GET_API_VERSION), "KVM_GET_API_VERSION") })),
        { name: "koffi raw", op: () => check(ioctlVal(kvmFd, KVM_GET_API_VERSION, 0), "KVM_GET_API_VERSION") },
        { name: "koffi variadic", op: () => check(ioctlVariadic(kvmFd, KVM_GET_API_VERSION, "unsigned long", 0), "KVM_GET_API_VERSION") },
        { name: "koffi raw + errno read", op: () => (ioctlVal(kvmFd, KVM_GET_API_VERSION, 0), koffi.errno()) },
        { name: "fd layer (RealFd.ioctl)", op: () => kvm.fd.ioctl(KVM_GET_API_VERSION, NO_ARG, "KVM_GET_API_VERSION") },
      ],
    },
    {
      ioctl: "KVM_SET_USER_MEMORY_REGION (struct in, 32 B)",
      cOp: "setmem",
      contenders: [
        { name: "stub", op: () => vm.setUserMemoryRegion(region) },
        { name: "C", batch: (n) => c.run("setmem", n) },
        ...ifAddon(
          (a) => ({ name: "addon raw", op: () => checkAddon(a.ioctlBuf(vmFd, KVM_SET_USER_MEMORY_REGION, regionBytes()), "KVM_SET_USER_MEMORY_REGION") }),
          (a) => ({
            name: "addon raw, reused buffer",
            op: () => {
              const v = new DataView(reusedRegion.buffer);
              v.setBigUint64(16, BigInt(MEM_SIZE), true);
              v.setBigUint64(24, memory.address, true);
              return checkAddon(a.ioctlBuf(vmFd, KVM_SET_USER_MEMORY_REGION, reusedRegion), "KVM_SET_USER_MEMORY_REGION");
            },
          }),
        ),
        { name: "koffi raw", op: () => check(ioctlPtr(vmFd, KVM_SET_USER_MEMORY_REGION, regionBytes()), "KVM_SET_USER_MEMORY_REGION") },
        { name: "koffi variadic", op: () => check(ioctlVariadic(vmFd, KVM_SET_USER_MEMORY_REGION, "void *", regionBytes()), "KVM_SET_USER_MEMORY_REGION") },
        {
          // The same bytes, rewritten into one long-lived buffer instead of a fresh one per call.
          name: "koffi raw, reused buffer",
          op: () => {
            const v = new DataView(reusedRegion.buffer);
            v.setBigUint64(16, BigInt(MEM_SIZE), true);
            v.setBigUint64(24, memory.address, true);
            return check(ioctlPtr(vmFd, KVM_SET_USER_MEMORY_REGION, reusedRegion), "KVM_SET_USER_MEMORY_REGION");
          },
        },
        { name: "koffi raw + errno read", op: () => (ioctlPtr(vmFd, KVM_SET_USER_MEMORY_REGION, regionBytes()), koffi.errno()) },
        { name: "fd layer (RealFd.ioctl)", op: () => vm.fd.ioctl(KVM_SET_USER_MEMORY_REGION, bufferArg(regionBytes()), "KVM_SET_USER_MEMORY_REGION") },
      ],
    },
    {
      ioctl: "KVM_GET_REGS (struct out, 144 B)",
      cOp: "getregs",
      contenders: [
        { name: "stub", op: () => vcpu.getRegs() },
        { name: "C", batch: (n) => c.run("getregs", n) },
        ...ifAddon(
          (a) => ({
            name: "addon raw",
            op: () => {
              checkAddon(a.ioctlBuf(vcpuFd, KVM_GET_REGS, regsBuf), "KVM_GET_REGS");
              return regsView.getBigUint64(128, true);
            },
          }),
          (a) => ({ name: "addon raw, fresh buffer per call", op: () => checkAddon(a.ioctlBuf(vcpuFd, KVM_GET_REGS, new Uint8Array(144)), "KVM_GET_REGS") }),
        ),
        {
          name: "koffi raw",
          op: () => {
            check(ioctlPtr(vcpuFd, KVM_GET_REGS, regsBuf), "KVM_GET_REGS");
            return regsView.getBigUint64(128, true); // rip: a raw caller reads what it needs
          },
        },
        { name: "koffi variadic", op: () => check(ioctlVariadic(vcpuFd, KVM_GET_REGS, "void *", regsBuf), "KVM_GET_REGS") },
        { name: "koffi raw, fresh buffer per call", op: () => check(ioctlPtr(vcpuFd, KVM_GET_REGS, new Uint8Array(144)), "KVM_GET_REGS") },
        { name: "fd layer (RealFd.ioctl)", op: () => vcpu.fd.ioctl(KVM_GET_REGS, bufferArg(new Uint8Array(144)), "KVM_GET_REGS") },
      ],
    },
  ];

  const rows: CallRow[] = [];
  try {
    for (const k of cases) {
      const results = compare(k.contenders, { rounds: 9, roundMs: 25, warmupMs: 100 });
      const cNs = results.find((r) => r.name === "C")!.nsPerOp;
      const overC = Object.fromEntries(results.map((r) => [r.name, ratio(r.nsPerOp, cNs)]));
      rows.push({ ioctl: k.ioctl, results, stubOverC: overC.stub!, overC });
      log(`  ${k.ioctl}: ${results.map((r) => `${r.name} ${Math.round(r.nsPerOp)} ns`).join(", ")}`);
    }
  } finally {
    c.close();
    rmSync(build, { recursive: true, force: true });
  }
  return { backend: ioctlBackend(), rows };
}
