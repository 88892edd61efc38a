/**
 * Leaks across many driver lifetimes: start, requests, outside kill + lazy restart, short reply +
 * kill, unload — hundreds of times with the C handler, a few with the TS one. /proc/self/fd must
 * be unchanged afterwards and no child (zombie or live) may remain.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BpfilterClient } from "../../generated/ts/umd_bpfilter/protocol.js";
import type { ExecSpec } from "../../src/runtime/umd/channel.js";
import { bpfilterPostStart } from "../../src/runtime/umd/drivers.js";
import { isUmdError } from "../../src/runtime/umd/errors.js";
import { UmdManager } from "../../src/runtime/umd/manager.js";
import { buildC, cHandler, children, HAVE_GCC, openFds, tsHandler, waitDead } from "./umd-harness.js";

if (!HAVE_GCC) console.warn("SKIPPED: umd leak test — gcc not found (the C handler is built from the generated header)");

const FAULT = 4242;
let bin: ReturnType<typeof buildC>;
beforeAll(() => {
  if (HAVE_GCC) bin = buildC(["handler"]);
});
afterAll(() => bin?.dispose());

const get0 = { addr: 0n, len: 0, is_set: 0, cmd: 0, pid: 1 };

async function cycles(exec: ExecSpec, n: number): Promise<UmdManager> {
  const m = new UmdManager({ exec, postStart: bpfilterPostStart, readTimeoutMs: 20_000 });
  const client = new BpfilterClient(m);
  for (let i = 0; i < n; i++) {
    m.load();
    expect(await client.sockopt(get0)).toEqual({ status: 0 });
    const pid = m.pid!;
    process.kill(pid, "SIGKILL");
    await waitDead(pid);
    expect(await client.sockopt(get0)).toEqual({ status: 0 }); // lazily restarted
    const short = await client.sockopt({ ...get0, cmd: FAULT }).catch((e: unknown) => e);
    expect(isUmdError(short, "read")).toBe(true);
    expect(client.sockoptSync(get0)).toEqual({ status: 0 }); // restarted again
    m.unload();
  }
  return m;
}

/** Children of ours, by state: [] means no zombie and nothing left running. */
const kids = (): string[] => [...children()].map(([pid, s]) => `${pid}:${s}:${readComm(pid)}`).filter((k) => /:(handler|node)$/.test(k));
function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

describe.skipIf(!HAVE_GCC)("umd leaks", () => {
  it("200 start/kill/restart/short-reply/unload cycles (C handler) leave fds and the process table unchanged", async () => {
    const fds = openFds();
    const m = await cycles(cHandler(bin.path("handler"), "bpfilter_umh", [`--fault-cmd=${FAULT}`]), 200);
    expect(m.stats).toEqual({ starts: 600, healthChecks: 600, kills: 400, exitsSeen: 200 });
    expect(openFds()).toEqual(fds);
    expect(kids()).toEqual([]);
  });

  it("and 2 cycles with the TS handler (a multi-threaded node child)", async () => {
    const fds = openFds();
    const m = await cycles(tsHandler("handler", "bpfilter_umh", [`--fault-cmd=${FAULT}`]), 2);
    expect(m.stats).toMatchObject({ starts: 6, exitsSeen: 2 });
    expect(openFds()).toEqual(fds);
    expect(kids()).toEqual([]);
  });
});
