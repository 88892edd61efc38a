/**
 * Model-based random sequences (fast-check commands) against a real UmdManager and the C
 * handler: load, unload, send, kill the driver from outside, send a request the driver answers
 * short. A model of loaded/running/starts predicts each outcome (reply, ENOPROTOOPT or EFAULT)
 * and the manager's state after it; after every command no zombie or stray child may exist
 * beyond the one killed driver the manager has not looked at yet. Nothing may crash.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MboxRequest } from "../../generated/ts/umd_bpfilter/index.js";
import { BpfilterClient } from "../../generated/ts/umd_bpfilter/protocol.js";
import { errnoNumber } from "../../src/runtime/errno.js";
import { bpfilterPostStart } from "../../src/runtime/umd/drivers.js";
import { isUmdError } from "../../src/runtime/umd/errors.js";
import { UmdManager } from "../../src/runtime/umd/manager.js";
import { buildC, cHandler, children, exists, HAVE_GCC, openFds, waitDead } from "./umd-harness.js";

if (!HAVE_GCC) console.warn("SKIPPED: umd model-based test — gcc not found (the C handler is built from the generated header)");

const FAULT = 4242;
let bin: ReturnType<typeof buildC>;
beforeAll(() => {
  if (HAVE_GCC) bin = buildC(["handler"]);
});
afterAll(() => bin?.dispose());

interface Model {
  loaded: boolean;
  /** The manager holds a pid… */
  held: boolean;
  /** …and that process is alive (false: killed from outside, not yet noticed). */
  alive: boolean;
  starts: number;
}
interface Real {
  manager: UmdManager;
  client: BpfilterClient;
}

/** Our drivers: the handler binary's processes (comm is the executable's name) among our children. */
function drivers(): Map<number, string> {
  const out = new Map<number, string>();
  for (const [pid, state] of children()) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "handler") out.set(pid, state);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** The model's invariants on the real manager, and on the process table. */
function consistent(m: Model, r: Real): void {
  expect(r.manager.loaded).toBe(m.loaded);
  expect(r.manager.pid !== undefined).toBe(m.held);
  expect(r.manager.stats.starts).toBe(m.starts);
  // Only the held driver exists: running, or a zombie if killed from outside and not yet noticed.
  const kids = drivers();
  expect([...kids.keys()]).toEqual(m.held ? [r.manager.pid!] : []);
  if (m.held) expect(kids.get(r.manager.pid!) === "Z").toBe(!m.alive);
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    const v = (await p) as { status: number };
    return `status ${v.status}`;
  } catch (e) {
    if (!isUmdError(e)) throw e;
    return e.code;
  }
}

class Load implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    r.manager.load();
    if (!m.loaded) {
      if (!m.held) m.starts++;
      m.loaded = m.held = m.alive = true;
    }
    consistent(m, r);
  }
  toString = (): string => "load";
}

class Unload implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const pid = r.manager.pid;
    r.manager.unload();
    if (pid !== undefined) expect(exists(pid)).toBe(false);
    m.loaded = m.held = m.alive = false;
    consistent(m, r);
  }
  toString = (): string => "unload";
}

class Send implements fc.AsyncCommand<Model, Real> {
  constructor(readonly cmd: number, readonly isSet: number) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const got = await outcome(r.client.sockopt({ addr: 1n, len: 4, is_set: this.isSet, cmd: this.cmd, pid: 9 }));
    if (!m.loaded) {
      expect(got).toBe("ENOPROTOOPT");
    } else {
      if (!m.alive) m.starts++; // the dead one is reaped and a new one started lazily
      m.held = m.alive = true;
      expect(got).toBe(this.isSet === 0 && this.cmd === 0 ? "status 0" : `status ${-errnoNumber("ENOPROTOOPT") >>> 0}`);
    }
    consistent(m, r);
  }
  toString = (): string => `send(cmd=${this.cmd}, is_set=${this.isSet})`;
}

class SendShort implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const got = await outcome(r.manager.sendRecv(MboxRequest.encode({ addr: 0n, len: 0, is_set: 0, cmd: FAULT, pid: 9 }), 4));
    if (!m.loaded) {
      expect(got).toBe("ENOPROTOOPT");
    } else {
      if (!m.alive) m.starts++;
      expect(got).toBe("EFAULT");
      m.held = m.alive = false; // killed and reaped by the manager
    }
    consistent(m, r);
  }
  toString = (): string => "send-short-reply";
}

class KillChild implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>): boolean => m.held && m.alive;
  async run(m: Model, r: Real): Promise<void> {
    const pid = r.manager.pid!;
    process.kill(pid, "SIGKILL");
    await waitDead(pid);
    m.alive = false;
    consistent(m, r);
  }
  toString = (): string => "kill-child";
}

const commands = [
  fc.constant(new Load()),
  fc.constant(new Unload()),
  fc.tuple(fc.oneof(fc.constant(0), fc.nat({ max: 5 }), fc.nat()), fc.integer({ min: 0, max: 1 })).map(([c, s]) => new Send(c === FAULT ? 0 : c, s)),
  fc.constant(new SendShort()),
  fc.constant(new KillChild()),
];

describe.skipIf(!HAVE_GCC)("UmdManager model-based", () => {
  it("random load/unload/send/kill/short-reply sequences: outcomes and state match the model", async () => {
    const fdsBefore = openFds();
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (cmds) => {
        const manager = new UmdManager({ exec: cHandler(bin.path("handler"), "bpfilter_umh", [`--fault-cmd=${FAULT}`]), postStart: bpfilterPostStart, readTimeoutMs: 5000 });
        try {
          await fc.asyncModelRun(() => ({ model: { loaded: false, held: false, alive: false, starts: 0 }, real: { manager, client: new BpfilterClient(manager) } }), cmds);
        } finally {
          manager.unload();
        }
        expect(drivers().size).toBe(0);
      }),
      { numRuns: 40, seed: 20230317 },
    );
    expect(openFds()).toEqual(fdsBefore);
  });
});
