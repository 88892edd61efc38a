/**
 * uvirtio-vga: samples/uvirtio/uvirtio-vga.c (Lepton Wu, 2020) in TypeScript, run against the
 * uvirtio mock — there is no /dev/uvirtio in any kernel (the driver was never merged).
 *
 * The sample creates a virtio-gpu device from user space that answers exactly one request: on
 * the "control" virtqueue, a GET_DISPLAY_INFO command (a 24-byte virtio_gpu_ctrl_hdr whose type
 * matches, chained to a 408-byte device-writable reply) gets pmodes[0] = 1024x768 enabled written
 * into the reply. It sets no reply header type (hdr.type stays 0), as the C sample does not.
 * The device is STICK, so it outlives the sample's fd; then this file plays the guest's
 * virtio-gpu driver: reads the features and config, finds the virtqueues, sends
 * GET_DISPLAY_INFO and decodes the reply.
 *
 * Every size, offset and value comes from the generated code (specs/uvirtio.abi,
 * virtio_gpu.abi, virtio_ids.abi, virtio_config.abi, virtio_ring.abi); a rule's {off, len} is
 * the byte span of the field it covers, found through the field's codec.
 *
 *   npx tsx examples/uvirtio-vga.ts
 */
import { pathToFileURL } from "node:url";
import { UvirtioMock, type UvirtioDev } from "../src/mocks/uvirtio.js";
import { fieldSpan } from "../src/mocks/uvirtio/field-span.js";
import { expectTable } from "../src/mocks/uvirtio/table.js";
import { UVIRTIO_DEV_FLAG_STICK } from "../generated/ts/uvirtio/index.js";
import { Uvirtio, type UvirtioExpectArg, type UvirtioSetupArg } from "../generated/ts/uvirtio/stubs.js";
import {
  VIRTIO_GPU_CMD_GET_DISPLAY_INFO, VirtioGpuConfig, VirtioGpuCtrlHdr, VirtioGpuDisplayOne, VirtioGpuRespDisplayInfo,
  type VirtioGpuConfig as GpuConfig, type VirtioGpuRespDisplayInfo as DisplayInfo,
} from "../generated/ts/virtio_gpu/index.js";
import { VIRTIO_ID_GPU } from "../generated/ts/virtio_ids/index.js";
import { VIRTIO_F_VERSION_1 } from "../generated/ts/virtio_config/index.js";
import { VRING_DESC_F_NEXT, VRING_DESC_F_WRITE } from "../generated/ts/virtio_ring/index.js";

/** The mode the sample answers with. */
export const MODE = { x: 0, y: 0, width: 1024, height: 768 } as const;

/** The GET_DISPLAY_INFO command header (the sample's `cmd`; only `type` is compared). */
function command(): Uint8Array {
  return VirtioGpuCtrlHdr.encode({ type: VIRTIO_GPU_CMD_GET_DISPLAY_INFO, flags: 0, fence_id: 0n, ctx_id: 0, ring_idx: 0 });
}

/** The sample's UV_DEV_EXPECT table: one expect on "control", two blocks, one rule each. */
export function vgaExpect(): UvirtioExpectArg {
  const type = fieldSpan(VirtioGpuCtrlHdr, "type", (h) => h.type);
  const pmode0 = fieldSpan(VirtioGpuRespDisplayInfo, "pmodes[0]", (r) => r.pmodes[0]);
  return expectTable([
    {
      vq_name: "control",
      blocks: [
        {
          len: VirtioGpuCtrlHdr.SIZE,
          flags: VRING_DESC_F_NEXT,
          rules: [type],
          data: command().slice(type.off, type.off + type.len), // b->data = &cmd.type
        },
        {
          len: VirtioGpuRespDisplayInfo.SIZE,
          flags: VRING_DESC_F_WRITE,
          rules: [pmode0],
          data: VirtioGpuDisplayOne.encode({ r: MODE, enabled: 1, flags: 0 }), // b->data = &info.pmodes[0]
        },
      ],
    },
  ]);
}

/** The sample's UV_DEV_CREATE argument: a virtio-gpu with one scanout, STICK. */
export function vgaSetup(): UvirtioSetupArg {
  return {
    features: 1n << VIRTIO_F_VERSION_1,
    config_addr: VirtioGpuConfig.encode({ events_read: 0, events_clear: 0, num_scanouts: 1, num_capsets: 0 }),
    id: VIRTIO_ID_GPU,
    flags: 1 << UVIRTIO_DEV_FLAG_STICK,
  };
}

/** main() of uvirtio-vga.c: expect, then create. */
export function uvirtioVga(u: Uvirtio): void {
  u.expect(vgaExpect());
  u.create(vgaSetup());
}

export interface VgaResult {
  /** The registered virtio device (still there after the sample's fd was closed). */
  readonly device: UvirtioDev;
  readonly features: bigint;
  readonly config: GpuConfig;
  /** The reply buffer as the device left it, and decoded. */
  readonly replyBytes: Uint8Array;
  readonly reply: DisplayInfo;
  /** The used element for the request: id = the chain's head; len is never set by uvirtio. */
  readonly used: { readonly id: number; readonly len: number };
  readonly head: number;
  readonly lines: readonly string[];
}

/** Runs the sample on `mock`, then one GET_DISPLAY_INFO from the guest side. */
export function runUvirtioVga(mock: UvirtioMock = new UvirtioMock()): VgaResult {
  const lines: string[] = [];
  {
    using u = Uvirtio.from(mock.open()); // the sample's open("/dev/uvirtio")
    uvirtioVga(u);
  } // the sample exits: its fd is closed; STICK keeps the device
  const device = mock.bus.devices[0];
  if (device === undefined) throw new Error("uvirtio-vga: no device registered");
  lines.push(`uvirtio-vga: ${device.name}: device id ${device.id.device} (VIRTIO_ID_GPU ${VIRTIO_ID_GPU}), vendor ${device.id.vendor}, features 0x${device.getFeatures().toString(16)}, sticky ${device.sticky}`);

  // The guest's virtio-gpu driver probes the device.
  const features = device.getFeatures();
  const config = device.readConfig(VirtioGpuConfig);
  lines.push(`guest: config num_scanouts ${config.num_scanouts}, VIRTIO_F_VERSION_1 ${(features >> VIRTIO_F_VERSION_1) & 1n ? "on" : "off"}`);
  const [control] = device.findVqs(["control", "cursor"]);
  if (control === undefined) throw new Error("uvirtio-vga: no control queue");

  const replyBytes = new Uint8Array(VirtioGpuRespDisplayInfo.SIZE);
  const head = control.add([{ bytes: command() }, { bytes: replyBytes, write: true }]);
  control.kick();
  const used = control.getBuf();
  if (used === undefined) throw new Error("uvirtio-vga: the request was not used");
  const reply = VirtioGpuRespDisplayInfo.decode(replyBytes);
  lines.push(`guest: GET_DISPLAY_INFO on "${control.name}": used id ${used.id} (head ${head}), reply hdr.type 0x${reply.hdr.type.toString(16)}`);
  reply.pmodes.forEach((m, i) => {
    if (m.enabled !== 0) lines.push(`guest: scanout ${i}: ${m.r.width}x${m.r.height}+${m.r.x}+${m.r.y} enabled`);
  });
  return { device, features, config, replyBytes, reply, used, head, lines };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of runUvirtioVga().lines) console.log(line);
}
