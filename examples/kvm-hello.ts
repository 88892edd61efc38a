/**
 * Hello from a KVM guest: create a VM on /dev/kvm, give it 64 KiB of memory, load a few bytes of
 * 16-bit real-mode code that writes a message to serial port 0x3f8 one byte at a time, run the
 * vCPU until it halts, and print what arrived through the port I/O exits.
 *
 * Everything goes through the code abigen generates from specs/kvm.abi: the typed stubs
 * (`Kvm`, `KvmVm`, `KvmVcpu`) and the codecs (kvm_regs, kvm_sregs, kvm_run). There is no
 * hand-written ioctl number, size or offset here; the only bytes written by hand are the guest
 * program itself.
 *
 *   npx tsx examples/kvm-hello.ts     # prints the guest's message; needs read-write /dev/kvm (x86)
 */
import { pathToFileURL } from "node:url";
import {
  KVM_API_VERSION, KVM_EXIT_HLT, KVM_EXIT_IO, KVM_EXIT_IO_OUT, KvmExitReason,
} from "../generated/ts/kvm/index.js";
import { Kvm } from "../generated/ts/kvm/stubs.js";
import { anonymousMemory } from "../generated/ts/runtime/stub.js";

/** The serial port the guest writes to (COM1). */
export const PORT = 0x3f8;
export const MESSAGE = "Hello from a KVM guest!\n";
/** Guest physical address of the code (real mode, cs = 0). */
const LOAD = 0x1000;
const MEMORY_SIZE = 0x10000;
/** More exits than this means the guest went wrong: stop rather than spin. */
const MAX_EXITS = 10_000;

/**
 * The guest, assembled by hand (16-bit real mode, loaded at 0x1000):
 *
 *   0x1000  ba f8 03   mov dx, 0x3f8
 *   0x1003  be 0f 10   mov si, msg        ; msg = 0x100f
 *   0x1006  ac         loop: lodsb        ; al = [ds:si++]
 *   0x1007  84 c0      test al, al
 *   0x1009  74 03      jz done            ; → 0x100e
 *   0x100b  ee         out dx, al         ; one KVM_EXIT_IO per byte
 *   0x100c  eb f8      jmp loop           ; → 0x1006
 *   0x100e  f4         done: hlt          ; KVM_EXIT_HLT
 *   0x100f  msg: the message, NUL-terminated
 */
export function guestProgram(message: string = MESSAGE): Uint8Array {
  const code = [0xba, PORT & 0xff, PORT >> 8, 0xbe, 0x0f, 0x10, 0xac, 0x84, 0xc0, 0x74, 0x03, 0xee, 0xeb, 0xf8, 0xf4];
  const text = new TextEncoder().encode(message);
  if (text.includes(0)) throw new Error("the message cannot contain NUL");
  return Uint8Array.from([...code, ...text, 0]);
}

/** One return of KVM_RUN, as the test checks it. */
export interface Exit {
  readonly reason: string;
  readonly port?: number;
  readonly direction?: "in" | "out";
  readonly size?: number;
  readonly count?: number;
  readonly data?: number[];
}

export interface HelloResult {
  /** What the guest wrote to PORT, decoded as UTF-8. */
  readonly output: string;
  readonly exits: readonly Exit[];
  readonly apiVersion: number;
}

const reasonName = (n: number): string =>
  Object.entries(KvmExitReason).find(([, v]) => v === n)?.[0] ?? `exit reason ${n}`;

/** Runs the guest to its HLT and returns what it wrote and every exit on the way. */
export function runKvmHello(message: string = MESSAGE, devicePath: string = Kvm.path): HelloResult {
  using kvm = Kvm.open(devicePath);
  const apiVersion = kvm.getApiVersion();
  if (apiVersion !== KVM_API_VERSION) throw new Error(`KVM API version ${apiVersion}, expected ${KVM_API_VERSION}`);
  const mmapSize = kvm.getVcpuMmapSize();

  using vm = kvm.createVm(0);
  // Guest RAM must outlive every ioctl (the VM keeps using it): an mmap'd region, passed by address.
  using memory = anonymousMemory(MEMORY_SIZE);
  memory.bytes.set(guestProgram(message), LOAD);
  vm.setUserMemoryRegion({
    slot: 0,
    flags: 0,
    guest_phys_addr: 0n,
    memory_size: BigInt(MEMORY_SIZE),
    userspace_addr: memory.address,
  });

  using vcpu = vm.createVcpu(0);
  using run = vcpu.map(mmapSize);

  // Real mode with flat segments at 0: cs:ip = 0:0x1000, ds = 0 for lodsb.
  const sregs = vcpu.getSregs();
  vcpu.setSregs({
    ...sregs,
    cs: { ...sregs.cs, base: 0n, selector: 0 },
    ds: { ...sregs.ds, base: 0n, selector: 0 },
  });
  // rflags bit 1 is reserved and must be set.
  vcpu.setRegs({ ...vcpu.getRegs(), rip: BigInt(LOAD), rflags: 0x2n });

  const exits: Exit[] = [];
  const out: number[] = [];
  for (;;) {
    if (exits.length >= MAX_EXITS) throw new Error(`the guest did not halt after ${MAX_EXITS} exits`);
    vcpu.run();
    const state = run.read();
    const reason = reasonName(state.exit_reason);
    if (state.exit_reason === KVM_EXIT_IO) {
      const io = state.io;
      const start = Number(io.data_offset);
      const data = [...run.bytes.subarray(start, start + io.size * io.count)];
      exits.push({ reason, port: io.port, direction: io.direction === KVM_EXIT_IO_OUT ? "out" : "in", size: io.size, count: io.count, data });
      if (io.port === PORT && io.direction === KVM_EXIT_IO_OUT) out.push(...data);
      continue;
    }
    exits.push({ reason });
    if (state.exit_reason === KVM_EXIT_HLT) break;
    throw new Error(`unexpected exit ${reason} after ${exits.length - 1} port writes`);
  }
  return { output: new TextDecoder().decode(Uint8Array.from(out)), exits, apiVersion };
}

function main(): void {
  const { output } = runKvmHello();
  process.stdout.write(output);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
