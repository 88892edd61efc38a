/**
 * Model-based test of the uvirtio mock (fast-check commands): random sequences of open,
 * UV_DEV_EXPECT (the vga table; one whose data pointer is bad; one over 1 MiB), UV_DEV_CREATE
 * (STICK, plain, config_addr 0, bad config pointer), close, and guest GET_DISPLAY_INFO requests
 * (matching, or of the wrong len) on live devices. The model predicts each call's outcome (errno,
 * positive count, success), which devices are registered, and each request's answer; after every
 * command the mock's open files, bus and user memory must agree with it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isIoctlError, isIoctlResultError } from "../../generated/ts/runtime/errors.js";
import { Uvirtio } from "../../generated/ts/uvirtio/stubs.js";
import { VirtioGpuConfig, VirtioGpuRespDisplayInfo } from "../../generated/ts/virtio_gpu/index.js";
import { MODE, vgaExpect, vgaSetup } from "../../examples/uvirtio-vga.js";
import { UvirtioMock, UvirtioOops, UVIRTIO_MAX_EXPECT_DATA, type UvirtioDev } from "../../src/mocks/uvirtio.js";
import { expectTable } from "../../src/mocks/uvirtio/table.js";
import { command, control } from "./uvirtio-helpers.js";

const UNMAPPED = 0x1000n;
const HALF = 524_280; // a block's most: 8 rules of 0xffff bytes

type TableKind = "none" | "vga" | "bulk";
interface FileModel {
  state: "NEW" | "CREATED";
  stick: boolean;
  table: TableKind;
  blob: boolean;
}
interface Model {
  files: FileModel[];
  /** Registered devices, in creation order. */
  live: FileModel[];
}
interface Real {
  mock: UvirtioMock;
  files: Uvirtio[];
  live: UvirtioDev[];
  /** A mapped region reused as the data of the >1 MiB table (no 1 MiB copy per command). */
  bulk: bigint;
}

type Outcome = { ok: true } | { errno: string } | { result: number };

function outcome(fn: () => void): Outcome {
  try {
    fn();
    return { ok: true };
  } catch (e) {
    if (isIoctlError(e)) return { errno: e.code };
    if (isIoctlResultError(e)) return { result: e.result };
    throw e;
  }
}

function check(m: Model, r: Real): void {
  expect(r.mock.openCount).toBe(m.files.length);
  expect(r.mock.bus.size).toBe(m.live.length);
  expect(r.mock.bus.devices).toEqual(expect.arrayContaining(r.live));
  r.files.forEach((f, i) => expect(r.mock.deviceOf(f.fd).state).toBe(m.files[i]!.state));
  expect(r.mock.memory.regionCount).toBe(1); // only the bulk region: nothing lent stays mapped
  expect(r.mock.kernelBugs).toEqual([]);
}

class OpenCmd implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    r.files.push(Uvirtio.from(r.mock.open()));
    m.files.push({ state: "NEW", stick: false, table: "none", blob: false });
    check(m, r);
  }
  toString = () => "open";
}

class ExpectCmd implements fc.Command<Model, Real> {
  constructor(readonly i: number, readonly kind: "vga" | "badptr" | "huge") {}
  check = (m: Readonly<Model>) => m.files.length > 0;
  run(m: Model, r: Real): void {
    const k = this.i % m.files.length;
    const f = m.files[k]!;
    const arg = () => {
      if (this.kind === "vga") return vgaExpect();
      if (this.kind === "badptr") {
        const t = vgaExpect();
        t.expects[0]!.blocks[0]!.data = UNMAPPED;
        return t;
      }
      const over = UVIRTIO_MAX_EXPECT_DATA + 1 - 2 * HALF;
      const rules = (n: number) => Array.from({ length: 8 }, (_, j) => ({ off: 0, len: Math.max(0, Math.min(0xffff, n - j * 0xffff)) })).filter((x) => x.len > 0);
      return expectTable([{ vq_name: "bulk", blocks: [HALF, HALF, over].map((n) => ({ len: 1, flags: 0, rules: rules(n), data: r.bulk })) }]);
    };
    const got = outcome(() => r.files[k]!.expect(arg()));
    if (f.state === "CREATED") {
      expect(got).toEqual({ errno: "EINVAL" });
    } else if (this.kind === "vga") {
      expect(got).toEqual({ ok: true });
      Object.assign(f, { table: "vga", blob: true });
    } else if (this.kind === "badptr") {
      expect(got).toEqual({ result: 4 }); // block0's one rule: the 4 bytes of hdr.type
      Object.assign(f, { table: "vga", blob: false });
    } else {
      expect(got).toEqual({ errno: "ENOMEM" });
      Object.assign(f, { table: "bulk", blob: false });
    }
    check(m, r);
  }
  toString = () => `expect(${this.i}, ${this.kind})`;
}

class CreateCmd implements fc.Command<Model, Real> {
  constructor(readonly i: number, readonly kind: "stick" | "plain" | "nullcfg" | "badcfg") {}
  check = (m: Readonly<Model>) => m.files.length > 0;
  run(m: Model, r: Real): void {
    const k = this.i % m.files.length;
    const f = m.files[k]!;
    const s = vgaSetup();
    const arg =
      this.kind === "stick" ? s
      : this.kind === "plain" ? { ...s, flags: 0 }
      : this.kind === "nullcfg" ? { ...s, config_addr: 0n, config_len: VirtioGpuConfig.SIZE }
      : { ...s, config_addr: UNMAPPED, config_len: VirtioGpuConfig.SIZE };
    const got = outcome(() => r.files[k]!.create(arg));
    if (f.state === "CREATED") {
      expect(got).toEqual({ errno: "EINVAL" });
    } else if (this.kind === "nullcfg") {
      expect(got).toEqual({ errno: "EINVAL" });
    } else if (this.kind === "badcfg") {
      expect(got).toEqual({ result: VirtioGpuConfig.SIZE });
    } else {
      expect(got).toEqual({ ok: true });
      f.state = "CREATED";
      f.stick = this.kind === "stick";
      m.live.push(f);
      r.live.push(r.mock.deviceOf(r.files[k]!.fd));
    }
    check(m, r);
  }
  toString = () => `create(${this.i}, ${this.kind})`;
}

class CloseCmd implements fc.Command<Model, Real> {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.files.length > 0;
  run(m: Model, r: Real): void {
    const k = this.i % m.files.length;
    const f = m.files[k]!;
    const dev = r.mock.deviceOf(r.files[k]!.fd);
    r.files[k]!.close();
    r.files.splice(k, 1);
    m.files.splice(k, 1);
    if (f.state === "CREATED" && !f.stick) {
      const j = m.live.indexOf(f);
      m.live.splice(j, 1);
      expect(r.live.splice(r.live.indexOf(dev), 1)).toEqual([dev]);
    }
    expect(dev.registered).toBe(f.state === "CREATED" && f.stick);
    check(m, r);
  }
  toString = () => `close(${this.i})`;
}

class NotifyCmd implements fc.Command<Model, Real> {
  constructor(readonly i: number, readonly kind: "match" | "wronglen") {}
  check = (m: Readonly<Model>) => m.live.length > 0;
  run(m: Model, r: Real): void {
    const k = this.i % m.live.length;
    const f = m.live[k]!;
    const dev = r.live[k]!;
    const vq = control(dev);
    const reply = new Uint8Array(VirtioGpuRespDisplayInfo.SIZE + (this.kind === "wronglen" ? 1 : 0));
    const head = vq.add([{ bytes: command() }, { bytes: reply, write: true }]);
    const before = vq.callbacks;
    const answers = this.kind === "match" && f.table === "vga" && f.blob;
    if (f.table === "vga" && !f.blob) {
      // The request block matches (len, flags), so its rule reads the freed blob — whatever the reply is.
      expect(() => vq.kick()).toThrow(UvirtioOops);
      vq.avail.idx = vq.used.idx; // take the request back: the "kernel" died in it
      return;
    }
    vq.kick();
    expect(vq.callbacks).toBe(before + 1);
    expect(vq.getBuf()).toEqual({ id: head, len: 0 });
    const mode = VirtioGpuRespDisplayInfo.decode(reply).pmodes[0]!;
    expect(mode).toEqual(answers ? { r: MODE, enabled: 1, flags: 0 } : { r: { x: 0, y: 0, width: 0, height: 0 }, enabled: 0, flags: 0 });
    check(m, r);
  }
  toString = () => `notify(${this.i}, ${this.kind})`;
}

const index = fc.nat({ max: 7 });
const commands = [
  fc.constant(new OpenCmd()),
  fc.tuple(index, fc.constantFrom("vga" as const, "badptr" as const, "huge" as const)).map(([i, k]) => new ExpectCmd(i, k)),
  fc.tuple(index, fc.constantFrom("stick" as const, "plain" as const, "nullcfg" as const, "badcfg" as const)).map(([i, k]) => new CreateCmd(i, k)),
  index.map((i) => new CloseCmd(i)),
  fc.tuple(index, fc.constantFrom("match" as const, "wronglen" as const)).map(([i, k]) => new NotifyCmd(i, k)),
];
commands.push(commands[4]!); // requests twice as often: they are what the rest sets up

describe("uvirtio mock: model-based", () => {
  it("random open/expect/create/close/notify sequences: outcomes, registrations and answers as the model says", () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40, size: "max" }), (cmds) => {
        const mock = new UvirtioMock();
        const real: Real = { mock, files: [], live: [], bulk: mock.memory.map(new Uint8Array(HALF)) };
        const model: Model = { files: [], live: [] };
        for (let i = 0; i < 2; i++) new OpenCmd().run(model, real); // start with two files so few commands are skipped
        fc.modelRun(() => ({ model, real }), cmds);
        for (const f of real.files) f.close();
        expect(mock.openCount).toBe(0);
        expect(mock.bus.devices.every((d) => d.sticky)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
