/**
 * uvirtio's answer path (process_vq / find_match / uvirtio_notify of drivers/virtio/uvirtio.c
 * v3): guest requests on a registered device's split virtqueue, matched against the
 * UV_DEV_EXPECT table — hits, and misses on a wrong descriptor len, wrong flags or wrong bytes;
 * the used ring (id = head, len never set, used.idx = avail.idx, one callback per notify); and
 * the driver's crashes, which the mock reports as UvirtioOops.
 */
import { describe, expect, it } from "vitest";
import { Uvirtio } from "../../generated/ts/uvirtio/stubs.js";
import {
  VIRTIO_GPU_RESP_OK_NODATA, VirtioGpuCtrlHdr, VirtioGpuDisplayOne, VirtioGpuRespDisplayInfo,
} from "../../generated/ts/virtio_gpu/index.js";
import { VRING_DESC_F_INDIRECT, VRING_DESC_F_NEXT, VRING_DESC_F_WRITE } from "../../generated/ts/virtio_ring/index.js";
import { MODE, vgaExpect, vgaSetup } from "../../examples/uvirtio-vga.js";
import { type ExpectSpec, expectTable } from "../../src/mocks/uvirtio/table.js";
import { fieldSpan } from "../../src/mocks/uvirtio/field-span.js";
import { UvirtioMock, UvirtioOops, type UvirtioDev } from "../../src/mocks/uvirtio.js";
import { command, control, roundTrip } from "./uvirtio-helpers.js";

const ascii = (s: string) => new TextEncoder().encode(s);
const pmode0 = () => fieldSpan(VirtioGpuRespDisplayInfo, "pmodes[0]", (r) => r.pmodes[0]);

/** A STICK device created from `table` (default: the uvirtio-vga sample's). */
function device(table = vgaExpect()): UvirtioDev {
  const mock = new UvirtioMock();
  using u = Uvirtio.from(mock.open());
  u.expect(table);
  u.create(vgaSetup());
  return mock.bus.devices[0]!;
}

/** pmodes[0] of a reply, decoded by the generated codec. */
const mode0 = (reply: Uint8Array) => VirtioGpuRespDisplayInfo.decode(reply).pmodes[0]!;
const zeros = (b: Uint8Array) => b.every((x) => x === 0);

describe("uvirtio matching: the uvirtio-vga expect", () => {
  it("GET_DISPLAY_INFO is answered: pmodes[0] written, nothing else (hdr.type stays 0)", () => {
    const dev = device();
    const { reply, used, head } = roundTrip(dev);
    expect(mode0(reply)).toEqual({ r: MODE, enabled: 1, flags: 0 });
    const { off, len } = pmode0();
    expect(zeros(reply.subarray(0, off)) && zeros(reply.subarray(off + len))).toBe(true);
    expect(VirtioGpuRespDisplayInfo.decode(reply).hdr.type).toBe(0);
    expect(used).toEqual({ id: head, len: 0 });
    expect([dev.answered, dev.unanswered]).toEqual([1, 0]);
  });

  it("miss: a request descriptor of the wrong len", () => {
    const dev = device();
    const req = new Uint8Array(VirtioGpuCtrlHdr.SIZE + 8);
    req.set(command());
    const reply = new Uint8Array(VirtioGpuRespDisplayInfo.SIZE);
    roundTrip(dev, [{ bytes: req }, { bytes: reply, write: true }]);
    expect(zeros(reply)).toBe(true);
    expect([dev.answered, dev.unanswered]).toEqual([0, 1]);
  });

  it("miss: a reply descriptor of the wrong len", () => {
    const dev = device();
    const reply = new Uint8Array(VirtioGpuRespDisplayInfo.SIZE);
    roundTrip(dev, [{ bytes: command() }, { bytes: reply, write: true, len: VirtioGpuRespDisplayInfo.SIZE - 1 }]);
    expect(zeros(reply)).toBe(true);
    expect(dev.answered).toBe(0);
  });

  it("miss: wrong flags (reply not device-writable; request with an extra INDIRECT bit)", () => {
    const dev = device();
    const a = new Uint8Array(VirtioGpuRespDisplayInfo.SIZE);
    roundTrip(dev, [{ bytes: command() }, { bytes: a, flags: 0 }]);
    const b = new Uint8Array(VirtioGpuRespDisplayInfo.SIZE);
    roundTrip(dev, [{ bytes: command(), flags: VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT }, { bytes: b, write: true }]);
    expect(zeros(a) && zeros(b)).toBe(true);
    expect([dev.answered, dev.unanswered]).toEqual([0, 2]);
  });

  it("miss: wrong bytes (another command type)", () => {
    const dev = device();
    const reply = new Uint8Array(VirtioGpuRespDisplayInfo.SIZE);
    roundTrip(dev, [{ bytes: command(VIRTIO_GPU_RESP_OK_NODATA) }, { bytes: reply, write: true }]);
    expect(zeros(reply)).toBe(true);
    expect(dev.answered).toBe(0);
  });

  it("only the compared bytes matter: the rest of the header may differ", () => {
    const dev = device();
    const req = command();
    const fence = fieldSpan(VirtioGpuCtrlHdr, "fence_id", (h) => h.fence_id);
    req.fill(0xee, fence.off, fence.off + fence.len);
    const reply = new Uint8Array(VirtioGpuRespDisplayInfo.SIZE);
    roundTrip(dev, [{ bytes: req }, { bytes: reply, write: true }]);
    expect(mode0(reply).enabled).toBe(1);
  });

  it("a request on another virtqueue is not answered", () => {
    const dev = device();
    const [, cursor] = dev.findVqs(["control", "cursor"]);
    const reply = new Uint8Array(VirtioGpuRespDisplayInfo.SIZE);
    cursor!.add([{ bytes: command() }, { bytes: reply, write: true }]);
    cursor!.kick();
    expect(cursor!.getBuf()).toBeDefined(); // used anyway
    expect(zeros(reply)).toBe(true);
  });
});

describe("uvirtio matching: rules and expects", () => {
  /** Documentation/misc-devices/uvirtio.rst's example: request of 100 with "ABC" at 10 and "DE" at 20; reply of 30 gets "FGH" at 10. */
  const docTable = (): ExpectSpec => ({
    vq_name: "control",
    blocks: [
      { len: 100, flags: VRING_DESC_F_NEXT, rules: [{ off: 10, len: 3 }, { off: 20, len: 2 }], data: ascii("ABCDE") },
      { len: 30, flags: VRING_DESC_F_WRITE, rules: [{ off: 10, len: 3 }], data: ascii("FGH") },
    ],
  });
  const docRequest = (abc = "ABC", de = "DE") => {
    const req = new Uint8Array(100);
    req.set(ascii(abc), 10);
    req.set(ascii(de), 20);
    return req;
  };

  it("several rules in a block: each compared at its own offset with consecutive blob bytes", () => {
    const dev = device(expectTable([docTable()]));
    const reply = new Uint8Array(30);
    roundTrip(dev, [{ bytes: docRequest() }, { bytes: reply, write: true }]);
    expect(new TextDecoder().decode(reply.subarray(10, 13))).toBe("FGH");
    const miss = new Uint8Array(30);
    roundTrip(dev, [{ bytes: docRequest("ABC", "DX") }, { bytes: miss, write: true }]);
    expect(zeros(miss)).toBe(true);
  });

  it("when an expect misses, the next expect for the same queue is tried", () => {
    const other: ExpectSpec = { ...docTable(), blocks: [{ ...docTable().blocks[0]!, data: ascii("XYZDE") }, { ...docTable().blocks[1]!, data: ascii("xyz") }] };
    const dev = device(expectTable([{ ...docTable(), vq_name: "cursor" }, other, docTable()]));
    const reply = new Uint8Array(30);
    roundTrip(dev, [{ bytes: docRequest() }, { bytes: reply, write: true }]);
    expect(new TextDecoder().decode(reply.subarray(10, 13))).toBe("FGH");
    const reply2 = new Uint8Array(30);
    roundTrip(dev, [{ bytes: docRequest("XYZ") }, { bytes: reply2, write: true }]);
    expect(new TextDecoder().decode(reply2.subarray(10, 13))).toBe("xyz");
  });

  it("the first answering expect wins", () => {
    const second: ExpectSpec = { ...docTable(), blocks: [docTable().blocks[0]!, { ...docTable().blocks[1]!, data: ascii("ZZZ") }] };
    const dev = device(expectTable([docTable(), second]));
    const reply = new Uint8Array(30);
    roundTrip(dev, [{ bytes: docRequest() }, { bytes: reply, write: true }]);
    expect(new TextDecoder().decode(reply.subarray(10, 13))).toBe("FGH");
  });

  it("a rule past desc.len is a miss (no access out of the buffer)", () => {
    const dev = device(expectTable([{ vq_name: "control", blocks: [{ len: 4, flags: VRING_DESC_F_WRITE, rules: [{ off: 2, len: 3 }], data: ascii("abc") }] }]));
    const reply = new Uint8Array(4);
    roundTrip(dev, [{ bytes: reply, write: true }]);
    expect(zeros(reply)).toBe(true);
    expect(dev.answered).toBe(0);
  });

  it("a write block whose second rule is out of range: the first rule was already written, and it is a miss", () => {
    const dev = device(expectTable([{ vq_name: "control", blocks: [{ len: 8, flags: VRING_DESC_F_WRITE, rules: [{ off: 0, len: 2 }, { off: 7, len: 2 }], data: ascii("abcd") }] }]));
    const reply = new Uint8Array(8);
    roundTrip(dev, [{ bytes: reply, write: true }]);
    expect(new TextDecoder().decode(reply.subarray(0, 2))).toBe("ab");
    expect(dev.answered).toBe(0);
  });

  it("a chain matched only by readable blocks is used without an answer", () => {
    const dev = device(expectTable([{ vq_name: "control", blocks: [{ len: VirtioGpuCtrlHdr.SIZE, flags: 0, rules: [{ off: 0, len: 1 }], data: command().slice(0, 1) }] }]));
    roundTrip(dev, [{ bytes: command() }]);
    expect([dev.answered, dev.unanswered]).toEqual([0, 1]);
  });

  it("a writable block without rules does not end the match; the chain goes on", () => {
    const dev = device(expectTable([{ vq_name: "control", blocks: [
      { len: 4, flags: VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, rules: [], data: 0n },
      { len: 4, flags: VRING_DESC_F_WRITE, rules: [{ off: 1, len: 2 }], data: ascii("hi") },
    ] }]));
    const a = new Uint8Array(4);
    const b = new Uint8Array(4);
    roundTrip(dev, [{ bytes: a, write: true }, { bytes: b, write: true }]);
    expect(zeros(a)).toBe(true);
    expect(new TextDecoder().decode(b.subarray(1, 3))).toBe("hi");
  });

  it("queue names compare over 64 bytes (strncmp), so a longer name matches its 64-byte prefix", () => {
    const name64 = "q".repeat(64);
    const dev = device(expectTable([{ vq_name: name64, blocks: [{ len: 2, flags: VRING_DESC_F_WRITE, rules: [{ off: 0, len: 2 }], data: ascii("ok") }] }]));
    const [long, short] = dev.findVqs([name64 + "-and-more", "q".repeat(63)]);
    const a = new Uint8Array(2);
    const b = new Uint8Array(2);
    long!.add([{ bytes: a, write: true }]);
    long!.kick();
    short!.add([{ bytes: b, write: true }]);
    short!.kick();
    expect(new TextDecoder().decode(a)).toBe("ok");
    expect(zeros(b)).toBe(true);
  });

  it("a pmode written by a display_one codec decodes back to the same mode", () => {
    const data = VirtioGpuDisplayOne.encode({ r: { x: 5, y: 6, width: 640, height: 480 }, enabled: 1, flags: 3 });
    const t = vgaExpect();
    t.expects[0]!.blocks[1]!.data = data;
    const { reply } = roundTrip(device(t));
    expect(mode0(reply)).toEqual(VirtioGpuDisplayOne.decode(data));
  });
});

describe("uvirtio notify: the used ring", () => {
  it("every new avail entry is used (id = head, len left unset), used.idx = avail.idx, one callback per notify", () => {
    const dev = device();
    let calls = 0;
    const [vq] = dev.findVqs(["control"], [() => calls++]);
    const replies = [0, 1, 2].map(() => new Uint8Array(VirtioGpuRespDisplayInfo.SIZE));
    const heads = replies.map((r, i) => vq!.add([{ bytes: command(i === 1 ? VIRTIO_GPU_RESP_OK_NODATA : undefined) }, { bytes: r, write: true }]));
    vq!.used.ring[1]!.len = 77; // a stale len stays: uvirtio never writes used.len
    vq!.kick();
    expect(vq!.used.idx).toBe(vq!.avail.idx);
    expect(calls).toBe(1);
    expect([vq!.getBuf(), vq!.getBuf(), vq!.getBuf(), vq!.getBuf()]).toEqual([
      { id: heads[0], len: 0 }, { id: heads[1], len: 77 }, { id: heads[2], len: 0 }, undefined,
    ]);
    expect(replies.map((r) => mode0(r).enabled)).toEqual([1, 0, 1]);
    expect(vq!.numFree).toBe(256);
  });

  it("a kick with nothing new still runs the callback", () => {
    const dev = device();
    const vq = control(dev);
    vq.kick();
    expect(vq.callbacks).toBe(1);
    expect(vq.used.idx).toBe(0);
  });

  it("the ring wraps: 300 requests through 256 entries are all answered", () => {
    const dev = device();
    for (let i = 0; i < 300; i++) expect(mode0(roundTrip(dev).reply).enabled).toBe(1);
    expect(dev.answered).toBe(300);
  });
});

describe("uvirtio notify: where the driver would crash (UvirtioOops)", () => {
  it("the 16-bit avail.idx wrapped while used.idx did not: the driver's int index would loop forever", () => {
    const dev = device();
    const vq = control(dev);
    vq.avail.idx = 0xffff;
    vq.used.idx = 0xffff;
    vq.add([{ bytes: command() }, { bytes: new Uint8Array(VirtioGpuRespDisplayInfo.SIZE), write: true }]);
    expect(vq.avail.idx).toBe(0);
    expect(() => vq.kick()).toThrow(UvirtioOops);
  });

  it("after a failed UV_DEV_EXPECT the blob is NULL: a matching request dereferences it", () => {
    const mock = new UvirtioMock();
    using u = Uvirtio.from(mock.open());
    const t = vgaExpect();
    t.expects[0]!.blocks[1]!.data = 0x1000n; // unmapped: the expect fails with a positive count
    expect(() => u.expect(t)).toThrow(/returned 24/);
    u.create(vgaSetup());
    expect(() => roundTrip(mock.bus.devices[0]!)).toThrow(UvirtioOops);
  });

  it("after a failed UV_DEV_EXPECT a request that misses on len never touches the blob", () => {
    const mock = new UvirtioMock();
    using u = Uvirtio.from(mock.open());
    const t = vgaExpect();
    t.expects[0]!.blocks[1]!.data = 0x1000n;
    expect(() => u.expect(t)).toThrow();
    u.create(vgaSetup());
    const { used } = roundTrip(mock.bus.devices[0]!, [{ bytes: new Uint8Array(3) }]);
    expect(used).toBeDefined();
  });
});
