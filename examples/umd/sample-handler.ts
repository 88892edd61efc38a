/**
 * The UMD management selftest's sample driver in TypeScript (sample_umd, patch 4/5): read one
 * `struct sample_request` from fd 0, set data[offset] = 1 in a zeroed 128 KiB `struct
 * sample_reply` (if offset < 131072), write the whole reply to fd 1, clear the byte again. The
 * reply is twice a pipe's default 64 KiB, so the manager only gets it by looping on partial reads.
 * A short read or write ends the driver.
 *
 * Options (for tests): --log=PATH appends every request's raw bytes to PATH.
 */
import { appendFileSync, readSync, writeSync } from "node:fs";
import { SAMPLE_REPLY_SIZE, SampleReply, SampleRequest } from "../../generated/ts/umd_sample/index.js";

const log = process.argv.find((a) => a.startsWith("--log="))?.slice("--log=".length);

const req = new Uint8Array(SampleRequest.SIZE);
// The reply's bytes, encoded once from an all-zero value and then patched in place: re-encoding
// 128 KiB per request would only measure the codec.
const reply = SampleReply.encode({ data: new Uint8Array(SAMPLE_REPLY_SIZE) });

// Node (or a loader) may have put the stdio pipes in non-blocking mode — the flag lives on the
// pipe's open file, shared with us — so a full pipe is EAGAIN rather than a wait: nap and retry.
const nap = new Int32Array(new SharedArrayBuffer(4));
const isAgain = (e: unknown): boolean => (e as { code?: string }).code === "EAGAIN";

function writeAll(bytes: Uint8Array): boolean {
  let done = 0;
  while (done < bytes.length) {
    let n: number;
    try {
      n = writeSync(1, bytes, done, bytes.length - done);
    } catch (e) {
      if (!isAgain(e)) throw e;
      Atomics.wait(nap, 0, 0, 0.2);
      continue;
    }
    if (n <= 0) return false;
    done += n;
  }
  return true;
}

function readRequest(): number {
  for (;;) {
    try {
      return readSync(0, req, 0, req.length, null);
    } catch (e) {
      if (!isAgain(e)) throw e;
      Atomics.wait(nap, 0, 0, 0.2);
    }
  }
}

for (;;) {
  let n: number;
  try {
    n = readRequest();
  } catch {
    break;
  }
  if (n !== req.length) break;
  if (log !== undefined) appendFileSync(log, req);
  const { offset } = SampleRequest.decode(req);
  if (offset < SAMPLE_REPLY_SIZE) reply[offset] = 1;
  let ok: boolean;
  try {
    ok = writeAll(reply);
  } catch {
    ok = false;
  }
  if (offset < SAMPLE_REPLY_SIZE) reply[offset] = 0;
  if (!ok) break;
}
process.exit(0);
