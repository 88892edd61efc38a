/**
 * A loop for the profiler (bench/profile.ts runs it under --cpu-prof): one generated codec op or
 * one stub call, repeated for ~1.5 s, so the profile shows where that operation's time goes.
 *
 *   node --import tsx bench/profile-target.ts codec <case index> decode|encode
 *   node --import tsx bench/profile-target.ts call api|setmem|getregs
 */
import { performance } from "node:perf_hooks";
import { codecCases } from "./codecs.js";
import { Kvm } from "../generated/ts/kvm/stubs.js";
import { anonymousMemory } from "../generated/ts/runtime/stub.js";

const MS = 1500;
const [kind, a, b] = process.argv.slice(2);

function loop(op: () => unknown): void {
  let sink: unknown;
  const end = performance.now() + MS;
  while (performance.now() < end) for (let i = 0; i < 1000; i++) sink = op();
  if (sink === Symbol.for("never")) console.log(sink);
}

if (kind === "codec") {
  const k = codecCases()[Number(a)];
  if (k === undefined) throw new Error(`no codec case ${a}`);
  if (b === "decode") {
    const fn = k.decode.generated!;
    loop(() => fn(k.bytes));
  } else {
    const fn = k.encode.generated! as (v: unknown) => Uint8Array;
    loop(() => fn(k.value));
  }
} else if (kind === "call") {
  using kvm = Kvm.open();
  using vm = kvm.createVm(0);
  using memory = anonymousMemory(0x10000);
  const region = { slot: 0, flags: 0, guest_phys_addr: 0n, memory_size: 0x10000n, userspace_addr: memory.address };
  vm.setUserMemoryRegion(region);
  using vcpu = vm.createVcpu(0);
  if (a === "api") loop(() => kvm.getApiVersion());
  else if (a === "setmem") loop(() => vm.setUserMemoryRegion(region));
  else loop(() => vcpu.getRegs());
} else {
  console.error("usage: profile-target.ts codec <i> decode|encode | call api|setmem|getregs");
  process.exit(2);
}
