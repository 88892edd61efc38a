/**
 * Shared by the uvirtio mock tests: the uvirtio-vga request/reply through the generated codecs,
 * and a GET_DISPLAY_INFO round trip on a registered device's "control" virtqueue.
 */
import { expect } from "vitest";
import { isIoctlError } from "../../generated/ts/runtime/errors.js";
import { VIRTIO_GPU_CMD_GET_DISPLAY_INFO, VirtioGpuCtrlHdr, VirtioGpuRespDisplayInfo } from "../../generated/ts/virtio_gpu/index.js";
import type { ChainBuffer, SplitVirtqueue, UvirtioDev } from "../../src/mocks/uvirtio.js";

export const FD_KIND = "mock:uvirtio";

/** A GET_DISPLAY_INFO command (or another type). */
export function command(type: number = VIRTIO_GPU_CMD_GET_DISPLAY_INFO): Uint8Array {
  return VirtioGpuCtrlHdr.encode({ type, flags: 0, fence_id: 0n, ctx_id: 0, ring_idx: 0 });
}

/** Runs `fn` and asserts it threw IoctlError `code` for `ioctl` on the uvirtio mock. */
export function expectIoctlError(fn: () => unknown, code: string, ioctl: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isIoctlError(caught, code), `expected IoctlError ${code}, got ${String(caught)}`).toBe(true);
  expect(caught).toMatchObject({ code, ioctl, fdKind: FD_KIND });
}

export interface RoundTrip {
  readonly head: number;
  readonly reply: Uint8Array;
  readonly used: { id: number; len: number } | undefined;
}

/** The "control" queue of `dev` (found once per device). */
const queues = new WeakMap<UvirtioDev, SplitVirtqueue>();
export function control(dev: UvirtioDev): SplitVirtqueue {
  let vq = queues.get(dev);
  if (vq === undefined) {
    vq = dev.findVqs(["control", "cursor"])[0]!;
    queues.set(dev, vq);
  }
  return vq;
}

/** Post `chain` (default: GET_DISPLAY_INFO + a 408-byte reply) on "control", kick, take the used element. */
export function roundTrip(dev: UvirtioDev, chain?: ChainBuffer[]): RoundTrip {
  const vq = control(dev);
  const reply = new Uint8Array(VirtioGpuRespDisplayInfo.SIZE);
  const c = chain ?? [{ bytes: command() }, { bytes: reply, write: true }];
  const head = vq.add(c);
  vq.kick();
  return { head, reply: chain === undefined ? reply : c[c.length - 1]!.bytes, used: vq.getBuf() };
}
