/**
 * The two seed managers' driver-specific parts, on the generated clients: bpfilter's and the
 * sample's post_start health checks, and the sample manager's reply check.
 */
import { BpfilterClient } from "../../../generated/ts/umd_bpfilter/protocol.js";
import { SampleUmdClient } from "../../../generated/ts/umd_sample/protocol.js";
import { errno } from "../errors.js";
import type { UmdLink, UmdManager } from "./manager.js";

/**
 * bpfilter's post_start: `{ .pid = current->pid }`, everything else 0, must get status 0;
 * otherwise the UMD is killed and the request fails with EFAULT.
 */
export function bpfilterPostStart(link: UmdLink): void {
  const { status } = new BpfilterClient(link).sockoptSync({ addr: 0n, len: 0, is_set: 0, cmd: 0, pid: process.pid });
  if (status !== 0) throw errno("EFAULT", `health check: status ${status | 0}, not 0`);
}

/** The sample's post_start: offset 0 must come back with data[0] == 1. */
export function samplePostStart(link: UmdLink): void {
  const { data } = new SampleUmdClient(link).checkSync({ offset: 0 });
  if (data[0] !== 1) throw errno("EINVAL", "health check: data[0] is not 1");
}

/**
 * What sample_mgr does with a securityfs write: send the offset, and the reply must have
 * data[offset] == 1, else EINVAL. Resolves to the reply's bytes.
 */
export async function sampleCheck(manager: UmdManager, offset: number): Promise<Uint8Array> {
  const { data } = await new SampleUmdClient(manager).check({ offset });
  if (data[offset] !== 1) throw errno("EINVAL", `data[${offset}] is not 1`);
  return data;
}
