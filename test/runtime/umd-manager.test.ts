/**
 * UmdManager against real child processes (the C handler built from the generated header, and
 * once the TS handler): not loaded → ENOPROTOOPT; lazy start and restart with post_start each
 * time; a short reply, a closed request pipe and a silent driver → EFAULT with the driver killed
 * and reaped, and the next request served by a new one; health-check and exec failures; and one
 * request in flight, answered in call order.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MboxRequest } from "../../generated/ts/umd_bpfilter/index.js";
import { BpfilterClient } from "../../generated/ts/umd_bpfilter/protocol.js";
import { errno } from "../../src/runtime/errors.js";
import type { ExecSpec } from "../../src/runtime/umd/channel.js";
import { bpfilterPostStart } from "../../src/runtime/umd/drivers.js";
import { isUmdError } from "../../src/runtime/umd/errors.js";
import { UmdManager, type UmdManagerOptions } from "../../src/runtime/umd/manager.js";
import { buildC, cHandler, exists, HAVE_GCC, tempDir, tsHandler, waitDead } from "./umd-harness.js";

if (!HAVE_GCC) console.warn("SKIPPED: umd manager tests — gcc not found (the C handler is built from the generated header)");

const FAULT = 4242;
let bin: ReturnType<typeof buildC>;
let logs: ReturnType<typeof tempDir>;
beforeAll(() => {
  if (!HAVE_GCC) return;
  bin = buildC(["handler"]);
  logs = tempDir();
});
afterAll(() => {
  bin?.dispose();
  logs?.dispose();
});

const get0 = { addr: 0n, len: 0, is_set: 0, cmd: 0, pid: 7 };
const c = (args: string[] = []): ExecSpec => cHandler(bin.path("handler"), "bpfilter_umh", [`--fault-cmd=${FAULT}`, ...args]);

function manager(options: Partial<UmdManagerOptions> = {}): UmdManager {
  return new UmdManager({ exec: c(), postStart: bpfilterPostStart, readTimeoutMs: 5000, ...options });
}

async function failure(p: Promise<unknown>): Promise<{ code: string; reason: string }> {
  try {
    await p;
  } catch (e) {
    if (!isUmdError(e)) throw e;
    return { code: e.code, reason: e.reason };
  }
  throw new Error("expected a UmdError");
}

describe.skipIf(!HAVE_GCC)("UmdManager", () => {
  it("ENOPROTOOPT until loaded; load starts and health-checks; unload kills, reaps, and ENOPROTOOPT again", async () => {
    using m = manager();
    const client = new BpfilterClient(m);
    expect(await failure(client.sockopt(get0))).toEqual({ code: "ENOPROTOOPT", reason: "not-loaded" });
    expect(m.pid).toBeUndefined();
    m.load();
    const pid = m.pid!;
    expect(exists(pid)).toBe(true);
    expect(m.stats).toMatchObject({ starts: 1, healthChecks: 1 });
    expect(await client.sockopt(get0)).toEqual({ status: 0 });
    m.unload();
    expect(exists(pid)).toBe(false); // killed and reaped: not even a zombie
    expect(m.lastExit).toEqual({ signal: 9 });
    expect(await failure(client.sockopt(get0))).toEqual({ code: "ENOPROTOOPT", reason: "not-loaded" });
  });

  it("requestModule loads on demand (the seed's request_module of the loader)", async () => {
    let calls = 0;
    using m = manager({ requestModule: (mgr) => void (calls++, mgr.load()) });
    expect(await new BpfilterClient(m).sockopt(get0)).toEqual({ status: 0 });
    expect(await new BpfilterClient(m).sockopt(get0)).toEqual({ status: 0 });
    expect(calls).toBe(1);
    using never = manager({ requestModule: () => undefined });
    expect(await failure(never.sendRecv(MboxRequest.encode(get0), 4))).toEqual({ code: "ENOPROTOOPT", reason: "not-loaded" });
  });

  it("restarts lazily after the driver was killed from outside, running post_start again", async () => {
    const log = `${logs.dir}/restart.bin`;
    using m = manager({ exec: c([`--log=${log}`]) });
    m.load();
    const first = m.pid!;
    process.kill(first, "SIGKILL");
    await waitDead(first);
    expect(m.pid).toBe(first); // nobody has looked yet: the restart is lazy
    expect(await new BpfilterClient(m).sockopt(get0)).toEqual({ status: 0 });
    expect(m.pid).not.toBe(first);
    expect(exists(first)).toBe(false); // reaped by the liveness check
    expect(m.stats).toMatchObject({ starts: 2, healthChecks: 2, exitsSeen: 1, kills: 0 });
    expect(m.lastExit).toEqual({ signal: 9 });
    // The log spans both drivers: health check, health check, request.
    const health = MboxRequest.encode({ ...get0, pid: process.pid });
    expect(Buffer.from(readFileSync(log)).equals(Buffer.concat([health, health, MboxRequest.encode(get0)]))).toBe(true);
  });

  it("the TS handler too: killed, then restarted with a second health check", async () => {
    const log = `${logs.dir}/restart-ts.bin`;
    using m = manager({ exec: tsHandler("handler", "bpfilter_umh", [`--log=${log}`]), readTimeoutMs: 20_000 });
    m.load();
    const first = m.pid!;
    process.kill(first, "SIGKILL");
    await waitDead(first);
    expect(await new BpfilterClient(m).sockopt({ ...get0, is_set: 1 })).not.toEqual({ status: 0 });
    expect(m.stats).toMatchObject({ starts: 2, healthChecks: 2, exitsSeen: 1 });
    expect(readFileSync(log).length).toBe(3 * MboxRequest.SIZE);
  });

  it("a short reply: EFAULT, the driver is killed and reaped, the next request gets a new one", async () => {
    using m = manager();
    m.load();
    const first = m.pid!;
    expect(await failure(new BpfilterClient(m).sockopt({ ...get0, cmd: FAULT }))).toEqual({ code: "EFAULT", reason: "read" });
    expect(m.pid).toBeUndefined();
    expect(exists(first)).toBe(false);
    expect(m.stats).toMatchObject({ starts: 1, kills: 1 });
    expect(await new BpfilterClient(m).sockopt(get0)).toEqual({ status: 0 });
    expect(m.stats).toMatchObject({ starts: 2, healthChecks: 2 });
  });

  it("a driver that closed its fd 0: the write fails (EPIPE) → EFAULT, killed", async () => {
    using m = new UmdManager({ exec: { name: "deaf_umh", path: "/bin/sh", args: ["-c", "exec 0<&-; exec sleep 30"] } });
    m.load();
    const pid = m.pid!;
    for (let i = 0; i < 500 && exists(`${pid}/fd/0`); i++) await new Promise((r) => setTimeout(r, 2));
    const err = await m.sendRecv(new Uint8Array(24), 4).catch((e: unknown) => e);
    expect(isUmdError(err, "write")).toBe(true);
    expect((err as Error).cause).toMatchObject({ code: "EPIPE" });
    expect(exists(pid)).toBe(false);
    expect(m.lastExit).toEqual({ signal: 9 });
  });

  it("a silent driver: no reply within readTimeoutMs → EFAULT (timeout), killed", async () => {
    using m = new UmdManager({ exec: { name: "mute_umh", path: "/bin/sleep", args: ["30"] }, readTimeoutMs: 100 });
    m.load();
    const pid = m.pid!;
    expect(await failure(m.sendRecv(new Uint8Array(24), 4))).toEqual({ code: "EFAULT", reason: "timeout" });
    expect(exists(pid)).toBe(false);
  });

  it("a rejected health check fails load (state stays unloaded) and kills the driver", () => {
    let pid = -1;
    using m = manager({
      postStart: (link) => {
        pid = m.pid!;
        new BpfilterClient(link).sockoptSync(get0);
        throw errno("EIO", "not today");
      },
    });
    let err: unknown;
    try {
      m.load();
    } catch (e) {
      err = e;
    }
    expect(isUmdError(err, "health-check")).toBe(true);
    expect((err as { code: string }).code).toBe("EIO");
    expect(m.loaded).toBe(false);
    expect(m.pid).toBeUndefined();
    expect(exists(pid)).toBe(false);
    // bpfilter's own check: a driver that answers the health check (cmd 0) short → EFAULT.
    using faulty = manager({ exec: cHandler(bin.path("handler"), "bpfilter_umh", ["--fault-cmd=0"]) });
    expect(() => faulty.load()).toThrow(expect.objectContaining({ code: "EFAULT" }));
    expect(faulty.loaded).toBe(false);
  });

  it("exec failure: the exec errno, nothing started", () => {
    using m = new UmdManager({ exec: { name: "nope_umh", path: "/nonexistent/umh" } });
    expect(() => m.load()).toThrow(expect.objectContaining({ code: "ENOENT", reason: "spawn" }));
    expect(m.loaded).toBe(false);
  });

  it("many concurrent calls: one in flight, answered in call order (the handler checks it never sees two)", async () => {
    const log = `${logs.dir}/order.bin`;
    // --serial-check: the handler exits without replying if a second request is already in the
    // pipe when it has read one; --delay-us widens that window.
    using m = manager({
      exec: c([`--log=${log}`, "--serial-check", "--delay-us=100"]),
      // An async request_module keeps the queue waiting while the calls below pile up.
      requestModule: async (mgr) => {
        await new Promise((r) => setTimeout(r, 20));
        mgr.load();
      },
    });
    const client = new BpfilterClient(m);
    const reqs = Array.from({ length: 200 }, (_, i) => ({ addr: BigInt(i), len: i, is_set: 0, cmd: i % 3 === 0 ? 0 : i, pid: i }));
    const replies = await Promise.all(reqs.map((r) => client.sockopt(r)));
    expect(replies.map((r) => r.status === 0)).toEqual(reqs.map((r) => r.cmd === 0));
    expect(m.stats).toMatchObject({ starts: 1, kills: 0 });
    const seen = readFileSync(log);
    const order = Array.from({ length: seen.length / MboxRequest.SIZE }, (_, i) => MboxRequest.decode(seen, i * MboxRequest.SIZE).pid);
    expect(order).toEqual([process.pid, ...reqs.map((r) => r.pid)]);
    // And the sync path refuses to overtake queued async calls.
    const pending = client.sockopt(get0);
    expect(() => m.sendRecvSync(MboxRequest.encode(get0), 4)).toThrow(/queued/);
    await pending;
  });
});
