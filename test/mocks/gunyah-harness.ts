/**
 * Shared pieces of the gunyah mock tests: error assertions, a VM set up to run, and bytes the
 * stubs refuse to encode (for the error paths a C caller can reach but the typed stubs cannot).
 */
import { readFileSync } from "node:fs";
import { fdsLinkingTo } from "../helpers/open-fds.js";
import { expect } from "vitest";
import { HOST_TARGET } from "../../generated/ts/runtime/codec.js";
import { isIoctlError } from "../../generated/ts/runtime/errors.js";
import { GH_FN_VCPU, GhFnVcpuArg } from "../../generated/ts/gunyah/index.js";
import { Gunyah, Vcpu, type Vm } from "../../generated/ts/gunyah/stubs.js";
import { GunyahDevice, type GunyahOptions } from "../../src/mocks/gunyah.js";

/** Runs `fn` and asserts it threw an IoctlError with this errno, ioctl name and fd kind. */
export function expectIoctlError(fn: () => unknown, code: string, ioctl: string, fdKind: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isIoctlError(caught), `expected IoctlError ${code}, got ${String(caught)}`).toBe(true);
  expect(caught).toMatchObject({ code, ioctl, fdKind });
}

export const PAGE = 4096;

/** /dev/gunyah, a VM fd and guest RAM mapped in the simulated process (0x10000 bytes at guest 0x80000000). */
export function setup(options: GunyahOptions = {}) {
  const dev = new GunyahDevice(options);
  const gh = Gunyah.from(dev.open());
  const vm = gh.createVm(0);
  const ramBytes = new Uint8Array(0x10000);
  const ram = dev.memory.map(ramBytes);
  const dispose = () => {
    if (!vm.closed) vm.close();
    if (!gh.closed) gh.close();
    dev.memory.unmap(ram);
  };
  return { dev, gh, vm, ram, GUEST: 0x8000_0000n, RAM_SIZE: 0x10000n, [Symbol.dispose]: dispose, dispose };
}

/** Memory region + DTB inside it: START will succeed. */
export function configure(vm: Vm, ram: bigint, guest = 0x8000_0000n): void {
  vm.setUserMemRegion({ label: 0, flags: 7, guest_phys_addr: guest, memory_size: 0x10000n, userspace_addr: ram });
  vm.setDtbConfig({ guest_phys_addr: guest, size: 0x1000n });
}

export function addVcpu(vm: Vm, id: number): Vcpu {
  const n = vm.addFunction({ type: GH_FN_VCPU, arg: GhFnVcpuArg.encode({ id }) });
  return Vcpu.from(vm.fd.adopt(n, "vcpu"));
}

// ---------------------------------------------------------------------------------------------
// Bytes the encoders refuse, laid out from the generated JSON model (no offsets written here)

interface JsonRecord {
  readonly name: string;
  readonly fields: readonly { readonly name: string }[];
  readonly layout: Readonly<Record<string, { readonly offsets: readonly number[] }>>;
}

const model = JSON.parse(readFileSync(new URL("../../generated/json/gunyah.json", import.meta.url), "utf8")) as {
  records: JsonRecord[];
};

/** Overwrites the u32 field `field` of struct `record` (host layout and byte order) in `bytes`. */
export function pokeU32(bytes: Uint8Array, record: string, field: string, value: number): Uint8Array {
  const r = model.records.find((x) => x.name === record);
  if (r === undefined) throw new Error(`no record ${record}`);
  const i = r.fields.findIndex((f) => f.name === field);
  const offset = r.layout[HOST_TARGET ?? "x86_64"]?.offsets[i];
  if (i < 0 || offset === undefined) throw new Error(`no field ${record}.${field}`);
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(offset, value, HOST_LE);
  return bytes;
}

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------------------------
// Real fds

export { openFdCount as openFds } from "../helpers/open-fds.js";

/** How many of this process's fds are eventfds (the mock's references show up here). */
export const eventfdCount = (): number => fdsLinkingTo("anon_inode:[eventfd]");
