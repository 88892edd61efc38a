/**
 * examples/kvm-hello.ts on the real /dev/kvm: the guest's message arrives byte by byte through
 * KVM_EXIT_IO exits (OUT, port 0x3f8, size 1, count 1) and ends with KVM_EXIT_HLT; run as a
 * child process under tsx, the example prints exactly the message.
 *
 * Without a usable /dev/kvm this says SKIPPED — unless ABIGEN_REQUIRE_KVM=1 (set by .ci/run on a
 * machine that has /dev/kvm), where a test that cannot run is a failure.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { KVM_API_VERSION } from "../../generated/ts/kvm/index.js";
import { Kvm } from "../../generated/ts/kvm/stubs.js";
import { guestProgram, MESSAGE, PORT, runKvmHello } from "../../examples/kvm-hello.js";
import { cConstants, HAVE_GCC } from "../runtime/host-c.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const REQUIRED = process.env["ABIGEN_REQUIRE_KVM"] === "1";

/** Why KVM cannot run this example here, or undefined when it can. */
function unusable(): string | undefined {
  if (process.arch !== "x64") return `the guest is x86 code and the host is ${process.arch}`;
  try {
    using kvm = Kvm.open();
    const v = kvm.getApiVersion();
    return v === KVM_API_VERSION ? undefined : `KVM API version ${v}`;
  } catch (e) {
    return `${Kvm.path} is not usable: ${(e as Error).message}`;
  }
}

const reason = unusable();
if (reason !== undefined && !REQUIRED) console.warn(`SKIPPED: kvm-hello — ${reason}`);

describe("examples/kvm-hello.ts", () => {
  it("can run the guest when ABIGEN_REQUIRE_KVM=1 (set by .ci/run where /dev/kvm exists)", () => {
    if (REQUIRED) expect(reason, `ABIGEN_REQUIRE_KVM=1: the KVM test must run, but ${reason}`).toBeUndefined();
  });

  it.skipIf(reason !== undefined)("writes the message through port I/O exits and halts", () => {
    const r = runKvmHello();
    expect(r.output).toBe(MESSAGE);
    if (HAVE_GCC) expect(BigInt(r.apiVersion)).toBe(cConstants(["linux/kvm.h"], { V: "KVM_API_VERSION" }).get("V"));
    const bytes = [...new TextEncoder().encode(MESSAGE)];
    expect(r.exits.map((e) => e.reason)).toEqual([...bytes.map(() => "KVM_EXIT_IO"), "KVM_EXIT_HLT"]);
    const io = r.exits.slice(0, -1);
    expect(io.map((e) => [e.port, e.direction, e.size, e.count])).toEqual(bytes.map(() => [PORT, "out", 1, 1]));
    expect(io.map((e) => e.data)).toEqual(bytes.map((b) => [b]));
    // .ci/run checks this marker after the suite: where /dev/kvm exists, the KVM test must have run.
    const marker = process.env["ABIGEN_KVM_MARKER"];
    if (marker) writeFileSync(marker, "kvm-hello ran\n");
  });

  it.skipIf(reason !== undefined)("another message gives other exits (the output is the guest's, not a constant)", () => {
    const r = runKvmHello("kvm\n");
    expect(r.output).toBe("kvm\n");
    expect(r.exits.length).toBe(5);
    expect(guestProgram("kvm\n").at(-1)).toBe(0);
  });

  it.skipIf(reason !== undefined)("run as a program, prints exactly the message", () => {
    const out = execFileSync(TSX, [join(ROOT, "examples", "kvm-hello.ts")], { cwd: ROOT, encoding: "utf8" });
    expect(out).toBe(MESSAGE);
  });
});
