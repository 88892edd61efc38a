/**
 * examples/uvirtio-vga.ts (the port of samples/uvirtio/uvirtio-vga.c) on the uvirtio mock: the
 * rules' spans and the reply are checked against what the C compiler says of <linux/virtio_gpu.h>
 * (offsetof/sizeof, and the reply the sample means: a zeroed virtio_gpu_resp_display_info with
 * pmodes[0] = {0, 0, 1024, 768}, enabled 1); the reply bytes decode with the generated codec;
 * run under tsx, the example prints the decoded display mode.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VirtioGpuCtrlHdr, VirtioGpuRespDisplayInfo } from "../../generated/ts/virtio_gpu/index.js";
import { VIRTIO_ID_GPU } from "../../generated/ts/virtio_ids/index.js";
import { UvirtioMock } from "../../src/mocks/uvirtio.js";
import { runUvirtioVga, vgaExpect, vgaSetup } from "../../examples/uvirtio-vga.js";
import { cConstants, HAVE_GCC } from "../runtime/host-c.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

if (!HAVE_GCC) console.warn("SKIPPED: uvirtio-vga C comparisons — gcc not found");

/** The reply the C sample prepares, as bytes, from the host compiler and <linux/virtio_gpu.h>. */
function cReply(): Uint8Array {
  const src = `#include <linux/virtio_gpu.h>
#include <stdio.h>
int main(void) {
  struct virtio_gpu_resp_display_info info = { 0 };
  info.pmodes[0].r.width = 1024; info.pmodes[0].r.height = 768; info.pmodes[0].enabled = 1;
  const unsigned char *p = (const unsigned char *)&info;
  for (unsigned i = 0; i < sizeof info; i++) printf("%02x", p[i]);
  return 0;
}
`;
  const dir = mkdtempSync(join(tmpdir(), "abigen-uvirtio-"));
  try {
    writeFileSync(join(dir, "reply.c"), src);
    const cc = spawnSync("gcc", ["-o", join(dir, "reply"), join(dir, "reply.c")], { encoding: "utf8" });
    if (cc.status !== 0) throw new Error(`gcc failed:\n${cc.stderr}`);
    return Uint8Array.from(Buffer.from(execFileSync(join(dir, "reply"), { encoding: "utf8" }), "hex"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("examples/uvirtio-vga.ts", () => {
  it.skipIf(!HAVE_GCC)("the expect's lens, rule spans and values are the C sample's", () => {
    const c = cConstants(["linux/virtio_gpu.h", "linux/virtio_ring.h", "stddef.h"], {
      HDR: "sizeof(struct virtio_gpu_ctrl_hdr)",
      TYPE_OFF: "offsetof(struct virtio_gpu_ctrl_hdr, type)",
      TYPE_LEN: "sizeof(((struct virtio_gpu_ctrl_hdr *)0)->type)",
      INFO: "sizeof(struct virtio_gpu_resp_display_info)",
      PMODE_OFF: "offsetof(struct virtio_gpu_resp_display_info, pmodes[0])",
      PMODE_LEN: "sizeof(((struct virtio_gpu_resp_display_info *)0)->pmodes[0])",
      NEXT: "VRING_DESC_F_NEXT",
      WRITE: "VRING_DESC_F_WRITE",
      CMD: "VIRTIO_GPU_CMD_GET_DISPLAY_INFO",
    });
    const n = (k: string) => Number(c.get(k));
    const [b0, b1] = vgaExpect().expects[0]!.blocks;
    expect(vgaExpect().expects[0]!.vq_name).toBe("control");
    expect([b0!.len, b0!.flags, b0!.rules[0], b0!.rules[1]!.len]).toEqual([n("HDR"), n("NEXT"), { off: n("TYPE_OFF"), len: n("TYPE_LEN") }, 0]);
    expect([b1!.len, b1!.flags, b1!.rules[0], b1!.rules[1]!.len]).toEqual([n("INFO"), n("WRITE"), { off: n("PMODE_OFF"), len: n("PMODE_LEN") }, 0]);
    expect(new DataView((b0!.data as Uint8Array).buffer).getUint32(0, true)).toBe(n("CMD"));
    expect(vgaExpect().expects.slice(1).every((e) => e.vq_name === "")).toBe(true);
  });

  it.skipIf(!HAVE_GCC)("create: features 1 << VIRTIO_F_VERSION_1, config num_scanouts 1, id VIRTIO_ID_GPU, STICK", () => {
    const c = cConstants(["linux/virtio_config.h", "linux/virtio_ids.h", "linux/virtio_gpu.h"], {
      FEATURES: "1ULL << VIRTIO_F_VERSION_1",
      ID: "VIRTIO_ID_GPU",
      CONFIG: "sizeof(struct virtio_gpu_config)",
    });
    const s = vgaSetup();
    expect([s.features, BigInt(s.id), BigInt((s.config_addr as Uint8Array).length), s.flags]).toEqual([c.get("FEATURES"), c.get("ID"), c.get("CONFIG"), 1]);
    const r = runUvirtioVga();
    expect(r.features).toBe(c.get("FEATURES"));
    expect(r.config).toEqual({ events_read: 0, events_clear: 0, num_scanouts: 1, num_capsets: 0 });
  });

  it.skipIf(!HAVE_GCC)("the guest's GET_DISPLAY_INFO reply is byte for byte the one the C sample prepares", () => {
    const r = runUvirtioVga();
    expect(Buffer.from(r.replyBytes).toString("hex")).toBe(Buffer.from(cReply()).toString("hex"));
  });

  it("the reply decodes (generated codec) to scanout 0 = 1024x768 at 0,0 enabled, hdr.type left 0", () => {
    const mock = new UvirtioMock();
    const r = runUvirtioVga(mock);
    const d = VirtioGpuRespDisplayInfo.decode(r.replyBytes);
    expect(d.hdr).toEqual(VirtioGpuCtrlHdr.decode(new Uint8Array(VirtioGpuCtrlHdr.SIZE)));
    expect(d.pmodes[0]).toEqual({ r: { x: 0, y: 0, width: 1024, height: 768 }, enabled: 1, flags: 0 });
    expect(d.pmodes.slice(1).every((m) => m.enabled === 0 && m.r.width === 0)).toBe(true);
    expect(r.used).toEqual({ id: r.head, len: 0 });
    // The sample's fd is closed; STICK kept the device.
    expect(mock.openCount).toBe(0);
    expect(mock.bus.devices).toEqual([r.device]);
    expect(r.device.id).toEqual({ device: VIRTIO_ID_GPU, vendor: 0 });
    expect([r.device.answered, r.device.unanswered]).toEqual([1, 0]);
  });

  it("run under tsx, it prints the device and the decoded display mode", () => {
    const out = execFileSync(TSX, [join(ROOT, "examples", "uvirtio-vga.ts")], { cwd: ROOT, encoding: "utf8" });
    expect(out.trim().split("\n")).toEqual([
      `uvirtio-vga: virtio0: device id ${VIRTIO_ID_GPU} (VIRTIO_ID_GPU ${VIRTIO_ID_GPU}), vendor 0, features 0x100000000, sticky true`,
      "guest: config num_scanouts 1, VIRTIO_F_VERSION_1 on",
      'guest: GET_DISPLAY_INFO on "control": used id 0 (head 0), reply hdr.type 0x0',
      "guest: scanout 0: 1024x768+0+0 enabled",
    ]);
  });
});
