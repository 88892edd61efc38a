/**
 * The TS and the C user-mode drivers against the same TS client, over real pipes to real child
 * processes. The bytes prove both sides agree: for the same requests both handlers send
 * byte-identical replies (and the replies have the stock bpfilter semantics, with ENOPROTOOPT
 * from the C headers); the request bytes each handler logged as it read them equal what the TS
 * codecs encoded. The sample driver's 128 KiB reply crosses the 64 KiB pipe buffer.
 */
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MboxRequest, type MboxRequestInput } from "../../generated/ts/umd_bpfilter/index.js";
import { BpfilterClient, type MessageTransport } from "../../generated/ts/umd_bpfilter/protocol.js";
import { SampleRequest } from "../../generated/ts/umd_sample/index.js";
import { SampleUmdClient } from "../../generated/ts/umd_sample/protocol.js";
import type { ExecSpec } from "../../src/runtime/umd/channel.js";
import { bpfilterPostStart, sampleCheck, samplePostStart } from "../../src/runtime/umd/drivers.js";
import { UmdManager } from "../../src/runtime/umd/manager.js";
import { cConstants, need } from "./host-c.js";
import { buildC, cHandler, HAVE_GCC, tempDir, tsHandler } from "./umd-harness.js";

if (!HAVE_GCC) console.warn("SKIPPED: umd handler tests — gcc not found (the C handlers are built from the generated headers)");

let bin: ReturnType<typeof buildC>;
let logs: ReturnType<typeof tempDir>;
let ENOPROTOOPT = 0;

beforeAll(() => {
  if (!HAVE_GCC) return;
  bin = buildC(["handler", "sample-handler", "client"]);
  logs = tempDir();
  ENOPROTOOPT = need(cConstants(["errno.h"], { ENOPROTOOPT: "ENOPROTOOPT" }), "ENOPROTOOPT");
});
afterAll(() => {
  bin?.dispose();
  logs?.dispose();
});

/** A transport that records the raw reply bytes it passes up. */
function recording(inner: MessageTransport): MessageTransport & { replies: Uint8Array[] } {
  const replies: Uint8Array[] = [];
  return {
    replies,
    async sendRecv(req, size) {
      const r = await inner.sendRecv(req, size);
      replies.push(r);
      return r;
    },
  };
}

const requests: MboxRequestInput[] = fc.sample(
  fc.record({
    addr: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    len: fc.nat({ max: 0xffffffff }),
    is_set: fc.integer({ min: 0, max: 1 }),
    // cmd 0 often, so both the 0 and the ENOPROTOOPT answers are well covered.
    cmd: fc.oneof(fc.constant(0), fc.nat({ max: 0xffffffff })),
    pid: fc.nat({ max: 0xffffffff }),
  }),
  { numRuns: 300, seed: 4242 },
);

async function runBpfilter(exec: ExecSpec): Promise<{ replies: Uint8Array[]; statuses: number[]; log: Uint8Array }> {
  const manager = new UmdManager({ exec, postStart: bpfilterPostStart, readTimeoutMs: 10_000 });
  try {
    manager.load();
    const transport = recording(manager);
    const client = new BpfilterClient(transport);
    const statuses: number[] = [];
    for (const r of requests) statuses.push((await client.sockopt(r)).status);
    return { replies: transport.replies, statuses, log: new Uint8Array(readFileSync(logPath(exec))) };
  } finally {
    manager.unload();
  }
}

const logPath = (exec: ExecSpec): string => exec.args!.find((a) => a.startsWith("--log="))!.slice(6);

describe.skipIf(!HAVE_GCC)("bpfilter: TS handler and C handler, one TS client", () => {
  let ts: Awaited<ReturnType<typeof runBpfilter>>;
  let c: Awaited<ReturnType<typeof runBpfilter>>;

  beforeAll(async () => {
    ts = await runBpfilter(tsHandler("handler", "bpfilter_umh", [`--log=${logs.dir}/ts.bin`]));
    c = await runBpfilter(cHandler(bin.path("handler"), "bpfilter_umh", [`--log=${logs.dir}/c.bin`]));
  });

  it("both reply byte-for-byte the same", () => {
    expect(ts.replies.length).toBe(requests.length);
    expect(Buffer.concat(c.replies).equals(Buffer.concat(ts.replies))).toBe(true);
  });

  it("with the stock semantics: a get with cmd 0 gives 0, everything else -ENOPROTOOPT as u32", () => {
    const expected = requests.map((r) => (r.is_set === 0 && r.cmd === 0 ? 0 : -ENOPROTOOPT >>> 0));
    expect(c.statuses).toEqual(expected);
    expect(expected.filter((s) => s === 0).length).toBeGreaterThan(20);
  });

  it("each handler read exactly the bytes the TS codec encoded (after the health check's)", () => {
    const health = MboxRequest.encode({ addr: 0n, len: 0, is_set: 0, cmd: 0, pid: process.pid });
    const expected = Buffer.concat([health, ...requests.map((r) => MboxRequest.encode(r))]);
    expect(Buffer.from(c.log).equals(expected)).toBe(true);
    expect(Buffer.from(ts.log).equals(expected)).toBe(true);
  });
});

describe.skipIf(!HAVE_GCC)("sample: 128 KiB replies across the 64 KiB pipe buffer", () => {
  const inRange = [0, 1, 65535, 65536, 65537, 131071, 4096];
  const outOfRange = [131072, 0xffffffff];

  for (const kind of ["ts", "c"] as const) {
    it(`${kind} handler: data[offset] == 1 and every other byte 0; the byte is cleared for the next reply`, async () => {
      const log = `${logs.dir}/sample-${kind}.bin`;
      const exec =
        kind === "ts" ? tsHandler("sample-handler", "sample_umh", [`--log=${log}`]) : cHandler(bin.path("sample-handler"), "sample_umh", [`--log=${log}`]);
      const manager = new UmdManager({ exec, postStart: samplePostStart, readTimeoutMs: 10_000 });
      try {
        manager.load();
        const client = new SampleUmdClient(manager);
        const sent: Uint8Array[] = [SampleRequest.encode({ offset: 0 })];
        const expectOnly = (data: Uint8Array, offset: number): void => {
          expect(data.length).toBe(128 * 1024);
          const set = [...data.keys()].filter((i) => data[i] !== 0);
          expect(set).toEqual(offset < 131072 ? [offset] : []);
          if (offset < 131072) expect(data[offset]).toBe(1);
        };
        for (const offset of inRange) {
          expectOnly((await client.check({ offset })).data, offset);
          sent.push(SampleRequest.encode({ offset }));
        }
        // The spec's @range stops the codec at 131071; the handler's own bound is reached raw.
        for (const offset of outOfRange) {
          const raw = new Uint8Array(new Uint32Array([offset]).buffer);
          expectOnly(await manager.sendRecv(raw, 128 * 1024), offset);
          sent.push(raw);
        }
        expect(await sampleCheck(manager, 77)).toHaveLength(128 * 1024);
        sent.push(SampleRequest.encode({ offset: 77 }));
        expect(manager.stats).toMatchObject({ starts: 1, kills: 0 });
        expect(Buffer.from(readFileSync(log)).equals(Buffer.concat(sent))).toBe(true);
      } finally {
        manager.unload();
      }
    });
  }
});

describe.skipIf(!HAVE_GCC)("the C client (the benchmark's baseline)", () => {
  it("does N round trips against the C handler over fork+exec'd pipes and exits 0", () => {
    const r = spawnSync(bin.path("client"), [bin.path("handler"), "2000"], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^2000 round trips in [\d.]+ s: \d+ msgs\/s$/m);
  });

  it("and fails (exit 1) when the handler answers the health check short", () => {
    // A handler that exits at once: the client's health-check read sees EOF.
    const r = spawnSync(bin.path("client"), ["/bin/true", "10"], { encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(1);
  });
});
