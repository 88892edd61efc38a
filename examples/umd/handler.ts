/**
 * A bpfilter user-mode driver in TypeScript, the port of net/bpfilter/main.c: read one
 * `struct mbox_request` from fd 0, answer one `struct mbox_reply` on fd 1, forever. A get with
 * cmd 0 gives 0, everything else -ENOPROTOOPT (the status is the u32 of -errno). A short read or
 * write ends the driver, as in the stock handler — that is how it notices its manager is gone.
 *
 * Run by a UmdManager as `node --import tsx handler.ts [options]` with the pipes as fd 0 and 1.
 * Options (for tests; the stock handler has none):
 *   --log=PATH       append every request's raw bytes to PATH, as read (arrival order, byte checks)
 *   --fault-cmd=N    a request with cmd N gets half a reply, then the driver exits (a short reply)
 */
import { appendFileSync, readSync, writeSync } from "node:fs";
import { constants } from "node:os";
import { MboxReply, MboxRequest } from "../../generated/ts/umd_bpfilter/index.js";

const option = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const log = option("log");
const faultCmd = option("fault-cmd") === undefined ? undefined : Number(option("fault-cmd"));

function status(req: MboxRequest): number {
  if (req.is_set === 0 && req.cmd === 0) return 0;
  return -constants.errno.ENOPROTOOPT >>> 0;
}

// Node (or a loader) may put stdio pipes in non-blocking mode (the flag lives on the pipe's open
// file): EAGAIN means "nothing yet", so nap and retry rather than treating it as a short read.
const nap = new Int32Array(new SharedArrayBuffer(4));
function retrying(io: () => number): number {
  for (;;) {
    try {
      return io();
    } catch (e) {
      if ((e as { code?: string }).code !== "EAGAIN") return -1;
      Atomics.wait(nap, 0, 0, 0.2);
    }
  }
}

const buf = new Uint8Array(MboxRequest.SIZE);
for (;;) {
  // One read, whole request or nothing: what the stock loop() does (requests are < PIPE_BUF, so
  // the manager's single write arrives whole).
  if (retrying(() => readSync(0, buf, 0, buf.length, null)) !== buf.length) break;
  if (log !== undefined) appendFileSync(log, buf);
  const req = MboxRequest.decode(buf);
  const reply = MboxReply.encode({ status: status(req) });
  if (req.cmd === faultCmd) {
    retrying(() => writeSync(1, reply, 0, reply.length >> 1));
    break;
  }
  if (retrying(() => writeSync(1, reply)) !== reply.length) break;
}
process.exit(0);
