/**
 * One uvirtio "expect + create" cycle through the generated stubs — open /dev/uvirtio (the
 * mock), UV_DEV_EXPECT, UV_DEV_CREATE, close — for benchmarks ("ops/s of a uvirtio
 * expect+create cycle") and leak tests. The default arguments are the uvirtio-vga sample's
 * (GET_DISPLAY_INFO → one 1024x768 mode) without STICK, so close unregisters the device and
 * the bus does not grow.
 */
import { Uvirtio, type UvirtioExpectArg, type UvirtioSetupArg } from "../../../generated/ts/uvirtio/stubs.js";
import {
  VIRTIO_GPU_CMD_GET_DISPLAY_INFO, VirtioGpuConfig, VirtioGpuCtrlHdr, VirtioGpuDisplayOne, VirtioGpuRespDisplayInfo,
} from "../../../generated/ts/virtio_gpu/index.js";
import { VIRTIO_ID_GPU } from "../../../generated/ts/virtio_ids/index.js";
import { VIRTIO_F_VERSION_1 } from "../../../generated/ts/virtio_config/index.js";
import { VRING_DESC_F_NEXT, VRING_DESC_F_WRITE } from "../../../generated/ts/virtio_ring/index.js";
import type { UvirtioMock } from "../uvirtio.js";
import { fieldSpan } from "./field-span.js";
import { expectTable } from "./table.js";

export interface CycleArgs {
  readonly table: UvirtioExpectArg;
  readonly setup: UvirtioSetupArg;
}

/** The sample's table and setup, flags 0 (no STICK). Build once, reuse across cycles. */
export function defaultCycleArgs(): CycleArgs {
  const type = fieldSpan(VirtioGpuCtrlHdr, "type", (h) => h.type);
  const pmode0 = fieldSpan(VirtioGpuRespDisplayInfo, "pmodes[0]", (r) => r.pmodes[0]);
  const cmd = VirtioGpuCtrlHdr.encode({ type: VIRTIO_GPU_CMD_GET_DISPLAY_INFO, flags: 0, fence_id: 0n, ctx_id: 0, ring_idx: 0 });
  const table = expectTable([
    {
      vq_name: "control",
      blocks: [
        { len: VirtioGpuCtrlHdr.SIZE, flags: VRING_DESC_F_NEXT, rules: [type], data: cmd.slice(type.off, type.off + type.len) },
        {
          len: VirtioGpuRespDisplayInfo.SIZE,
          flags: VRING_DESC_F_WRITE,
          rules: [pmode0],
          data: VirtioGpuDisplayOne.encode({ r: { x: 0, y: 0, width: 1024, height: 768 }, enabled: 1, flags: 0 }),
        },
      ],
    },
  ]);
  const setup: UvirtioSetupArg = {
    features: 1n << VIRTIO_F_VERSION_1,
    config_addr: VirtioGpuConfig.encode({ events_read: 0, events_clear: 0, num_scanouts: 1, num_capsets: 0 }),
    id: VIRTIO_ID_GPU,
    flags: 0,
  };
  return { table, setup };
}

let defaults: CycleArgs | undefined;

/** open, UV_DEV_EXPECT, UV_DEV_CREATE, close on `mock`. */
export function runUvirtioCycle(mock: UvirtioMock, args: CycleArgs = (defaults ??= defaultCycleArgs())): void {
  using u = Uvirtio.from(mock.open());
  u.expect(args.table);
  u.create(args.setup);
}
