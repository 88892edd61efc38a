/**
 * The uvirtio mock (src/mocks/uvirtio.ts) against drivers/virtio/uvirtio.c v3 (seed-abis.md §3.3),
 * driven through the generated stubs: every error path with its errno, the positive "bytes not
 * copied" results and how the stubs surface them, the NEW → CREATED state machine, STICK, the
 * registered virtio device's config ops, and the expect-data blob (1 KiB doubling to 1 MiB).
 */
import { describe, expect, it } from "vitest";
import { KVM_GET_API_VERSION } from "../../generated/ts/kvm/index.js";
import { isIoctlResultError } from "../../generated/ts/runtime/errors.js";
import { bufferArg, NO_ARG, valueArg } from "../../generated/ts/runtime/stub.js";
import {
  UV_DEV_CREATE, UV_DEV_EXPECT, UVIRTIO_DEV_FLAG_STICK, UVIRTIO_MAX_CONFIG_LEN, UvirtioExpect, type UvirtioExpectInput,
  UvirtioSetup,
} from "../../generated/ts/uvirtio/index.js";
import { Uvirtio } from "../../generated/ts/uvirtio/stubs.js";
import { VirtioGpuConfig } from "../../generated/ts/virtio_gpu/index.js";
import { VIRTIO_ID_GPU } from "../../generated/ts/virtio_ids/index.js";
import { vgaExpect, vgaSetup } from "../../examples/uvirtio-vga.js";
import { EXPECT_DATA_INITIAL, UVIRTIO_MAX_EXPECT_DATA, UvirtioMock } from "../../src/mocks/uvirtio.js";
import { pokeField } from "../../src/mocks/uvirtio/field-span.js";
import { expectTable } from "../../src/mocks/uvirtio/table.js";
import { expectIoctlError, FD_KIND, roundTrip } from "./uvirtio-helpers.js";

/** An address no region of the simulated process covers. */
const UNMAPPED = 0x1000n;
const RULE_MAX = 0xffff;

function setupMock() {
  const mock = new UvirtioMock();
  const fd = mock.open();
  return { mock, fd, u: Uvirtio.from(fd), dev: mock.deviceOf(fd) };
}

/** uvirtio_setup bytes with `field` set to `value`, bypassing the encoder's range checks. */
function rawSetup(mock: UvirtioMock, field: "config_len" | "flags", value: number): Uint8Array {
  const config = mock.memory.map(new Uint8Array(16));
  const bytes = UvirtioSetup.encode({ features: 0n, config_addr: config, config_len: 16, flags: 0, id: VIRTIO_ID_GPU });
  pokeField(UvirtioSetup, bytes, field, (s) => s[field], value);
  return bytes;
}

function resultError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** A table with one expect on `vq` whose blocks carry `sizes` bytes of rule data each (rules of at most 0xffff bytes). */
function tableWithData(sizes: readonly number[], data: (n: number, i: number) => Uint8Array | bigint, vq = "bulk") {
  return expectTable([
    {
      vq_name: vq,
      blocks: sizes.map((n, i) => {
        const rules = [];
        for (let left = n; left > 0; left -= Math.min(left, RULE_MAX)) rules.push({ off: 0, len: Math.min(left, RULE_MAX) });
        return { len: 1, flags: 0, rules, data: data(n, i) };
      }),
    },
  ]);
}

describe("uvirtio mock: UV_DEV_CREATE errors", () => {
  it("EINVAL when config_len is 0", () => {
    const { mock, u, dev } = setupMock();
    expectIoctlError(() => u.rawIoctl(UV_DEV_CREATE.number, bufferArg(rawSetup(mock, "config_len", 0)), "UV_DEV_CREATE"), "EINVAL", "UV_DEV_CREATE");
    expect(dev.state).toBe("NEW");
    expect(mock.bus.size).toBe(0);
  });

  it("EINVAL when config_addr is 0", () => {
    const { mock, u, dev } = setupMock();
    expectIoctlError(() => u.create({ ...vgaSetup(), config_addr: 0n, config_len: VirtioGpuConfig.SIZE }), "EINVAL", "UV_DEV_CREATE");
    expect(dev.state).toBe("NEW");
    expect(mock.bus.size).toBe(0);
  });

  it("EINVAL when config_len is above UVIRTIO_MAX_CONFIG_LEN (1024 passes)", () => {
    const { mock, u } = setupMock();
    expectIoctlError(
      () => u.rawIoctl(UV_DEV_CREATE.number, bufferArg(rawSetup(mock, "config_len", UVIRTIO_MAX_CONFIG_LEN + 1)), "UV_DEV_CREATE"),
      "EINVAL",
      "UV_DEV_CREATE",
    );
    u.create({ features: 0n, config_addr: new Uint8Array(UVIRTIO_MAX_CONFIG_LEN), flags: 0, id: VIRTIO_ID_GPU });
    expect(mock.bus.size).toBe(1);
  });

  it("EINVAL for flags other than UVIRTIO_DEV_FLAG_STICK", () => {
    const { mock, u, dev } = setupMock();
    const unknownBit = 1 << (UVIRTIO_DEV_FLAG_STICK + 1);
    expectIoctlError(() => u.rawIoctl(UV_DEV_CREATE.number, bufferArg(rawSetup(mock, "flags", unknownBit)), "UV_DEV_CREATE"), "EINVAL", "UV_DEV_CREATE");
    expect(dev.state).toBe("NEW");
  });

  it("EINVAL when the device is already created", () => {
    const { mock, u, dev } = setupMock();
    u.create(vgaSetup());
    expectIoctlError(() => u.create(vgaSetup()), "EINVAL", "UV_DEV_CREATE");
    expect(dev.state).toBe("CREATED");
    expect(mock.bus.size).toBe(1);
  });

  it("EINTR when a signal is pending while waiting for the device lock", () => {
    const { mock, u, dev } = setupMock();
    mock.signal();
    expectIoctlError(() => u.create(vgaSetup()), "EINTR", "UV_DEV_CREATE");
    expect(dev.state).toBe("NEW");
    u.create(vgaSetup()); // the signal was consumed
    expect(dev.state).toBe("CREATED");
  });
});

describe("uvirtio mock: UV_DEV_EXPECT errors", () => {
  it("EINVAL when the device is already created (the table stays as it was)", () => {
    const { u, dev } = setupMock();
    u.create(vgaSetup());
    const before = dev.table;
    expectIoctlError(() => u.expect(vgaExpect()), "EINVAL", "UV_DEV_EXPECT");
    expect(dev.table).toBe(before);
  });

  it("ENOMEM when the rules' data exceeds 1 MiB (the blob is freed)", () => {
    const { mock, u, dev } = setupMock();
    const half = 524_280; // a block holds at most 8 * 0xffff bytes
    const region = mock.memory.map(new Uint8Array(half));
    const over = UVIRTIO_MAX_EXPECT_DATA + 1 - 2 * half;
    expectIoctlError(() => u.expect(tableWithData([half, half, over], () => region)), "ENOMEM", "UV_DEV_EXPECT");
    expect(dev.blob).toBeNull();
  });

  it("EINTR when a signal is pending while waiting for the device lock", () => {
    const { mock, u, dev } = setupMock();
    mock.signal();
    expectIoctlError(() => u.expect(vgaExpect()), "EINTR", "UV_DEV_EXPECT");
    expect(dev.table).toBeNull();
  });
});

describe("uvirtio mock: unknown commands", () => {
  it("EINVAL (not ENOTTY) in state NEW", () => {
    const { u, dev } = setupMock();
    expectIoctlError(() => u.rawIoctl(KVM_GET_API_VERSION.number, NO_ARG, "KVM_GET_API_VERSION"), "EINVAL", "KVM_GET_API_VERSION");
    expect(dev.state).toBe("NEW");
  });

  it("EINVAL in state CREATED", () => {
    const { u } = setupMock();
    u.create(vgaSetup());
    expectIoctlError(() => u.rawIoctl(KVM_GET_API_VERSION.number, NO_ARG, "KVM_GET_API_VERSION"), "EINVAL", "KVM_GET_API_VERSION");
  });
});

describe("uvirtio mock: a failed copy_from_user is a positive result, not EFAULT", () => {
  it("UV_DEV_CREATE with an unmapped argument returns sizeof(uvirtio_setup)", () => {
    const { u, dev } = setupMock();
    expect(u.rawIoctl(UV_DEV_CREATE.number, valueArg(UNMAPPED), "UV_DEV_CREATE")).toBe(UvirtioSetup.SIZE);
    expect(dev.state).toBe("NEW");
  });

  it("UV_DEV_CREATE with a setup cut short by unmapped memory returns the bytes not copied", () => {
    const { mock, u } = setupMock();
    const whole = UvirtioSetup.encode({ features: 1n, config_addr: 0n, config_len: 1, flags: 0, id: 1 });
    const cut = 8;
    const addr = mock.memory.map(whole.slice(0, cut));
    expect(u.rawIoctl(UV_DEV_CREATE.number, valueArg(addr), "UV_DEV_CREATE")).toBe(UvirtioSetup.SIZE - cut);
  });

  it("UV_DEV_CREATE with an unmapped config: the stub throws IoctlResultError with the count; the device stays NEW", () => {
    const { mock, u, dev } = setupMock();
    const e = resultError(() => u.create({ ...vgaSetup(), config_addr: UNMAPPED, config_len: VirtioGpuConfig.SIZE }));
    expect(isIoctlResultError(e)).toBe(true);
    expect(e).toMatchObject({ result: VirtioGpuConfig.SIZE, ioctl: "UV_DEV_CREATE", fdKind: FD_KIND });
    expect(dev.state).toBe("NEW");
    expect(dev.setup.config_addr).toBe(0n); // the driver clears it on this path
    expect(mock.bus.size).toBe(0);
    u.create(vgaSetup());
    expect(dev.state).toBe("CREATED");
  });

  it("UV_DEV_EXPECT with a table cut short: the count, and the kernel keeps the partial table (zero-padded)", () => {
    const { mock, u, dev } = setupMock();
    u.expect(vgaExpect());
    const blob = dev.blob;
    const whole = UvirtioExpect.encode(tableWithData([4], () => 0n, "partial") as UvirtioExpectInput);
    const cut = 100; // vq_name and part of the first block
    const addr = mock.memory.map(whole.slice(0, cut));
    expect(u.rawIoctl(UV_DEV_EXPECT.number, valueArg(addr), "UV_DEV_EXPECT")).toBe(UvirtioExpect.SIZE - cut);
    expect(dev.table!.expects[0]!.vq_name).toBe("partial");
    expect(dev.table!.expects[0]!.blocks[0]!.len).toBe(1);
    expect(dev.table!.expects[0]!.blocks[1]!.len).toBe(0);
    expect(dev.blob).toBe(blob); // no new blob: the copy failed first
  });

  it("UV_DEV_EXPECT with unmapped rule data: the stub throws IoctlResultError with the count; the blob is freed", () => {
    const { u, dev } = setupMock();
    const table = vgaExpect();
    table.expects[0]!.blocks[1]!.data = UNMAPPED;
    const e = resultError(() => u.expect(table));
    expect(isIoctlResultError(e)).toBe(true);
    expect(e).toMatchObject({ result: 24, ioctl: "UV_DEV_EXPECT", fdKind: FD_KIND });
    expect(dev.blob).toBeNull();
    expect(dev.table!.expects[0]!.blocks[0]!.data).toBe(0n); // rewritten to its blob offset before the failure
    expect(dev.table!.expects[0]!.blocks[1]!.data).toBe(UNMAPPED);
  });

  it("the escape hatch (obj.ioctl) checks results too: 0 passes, a positive count throws", () => {
    const { u } = setupMock();
    expect(u.ioctl(UV_DEV_EXPECT, UvirtioExpect.decode(new Uint8Array(UvirtioExpect.SIZE)))).toBe(0);
    const e = resultError(() => u.ioctl(UV_DEV_CREATE, { features: 0n, config_addr: UNMAPPED, config_len: 4, flags: 0, id: VIRTIO_ID_GPU }));
    expect(e).toMatchObject({ name: "IoctlResultError", result: 4, ioctl: "UV_DEV_CREATE" });
  });
});

describe("uvirtio mock: devices, STICK and release", () => {
  it("each open() is its own device in state NEW", () => {
    const mock = new UvirtioMock();
    using a = Uvirtio.from(mock.open());
    using b = Uvirtio.from(mock.open());
    a.create(vgaSetup());
    expect(mock.deviceOf(a.fd).state).toBe("CREATED");
    expect(mock.deviceOf(b.fd).state).toBe("NEW");
    b.expect(vgaExpect()); // b is still NEW
    b.create({ ...vgaSetup(), flags: 0 });
    expect(mock.bus.devices.map((d) => d.name)).toEqual(["virtio0", "virtio1"]);
  });

  it("STICK: the device stays registered after close and still answers the guest", () => {
    const { mock, u, dev } = setupMock();
    u.expect(vgaExpect());
    u.create(vgaSetup());
    u.close();
    expect(mock.openCount).toBe(0);
    expect(mock.bus.devices).toEqual([dev]);
    expect(dev.registered).toBe(true);
    expect(dev.answered).toBe(0);
    roundTrip(dev);
    expect(dev.answered).toBe(1);
  });

  it("without STICK: close unregisters the device and deletes its virtqueues", () => {
    const { mock, u, dev } = setupMock();
    u.expect(vgaExpect());
    u.create({ ...vgaSetup(), flags: 0 });
    const [vq] = dev.findVqs(["control"]);
    expect(mock.bus.size).toBe(1);
    u.close();
    expect(mock.bus.size).toBe(0);
    expect(dev.registered).toBe(false);
    expect(vq!.deleted).toBe(true);
    expect(() => vq!.kick()).toThrow(/deleted/);
  });

  it("closing a device that was never created registers nothing and frees its blob", () => {
    const { mock, u, dev } = setupMock();
    u.expect(vgaExpect());
    u.close();
    expect(mock.bus.size).toBe(0);
    expect(dev.blob).toBeNull();
  });

  it("the virtio core's lowest free index is reused", () => {
    const mock = new UvirtioMock();
    const a = Uvirtio.from(mock.open());
    a.create({ ...vgaSetup(), flags: 0 });
    using b = Uvirtio.from(mock.open());
    b.create(vgaSetup());
    a.close();
    using c = Uvirtio.from(mock.open());
    c.create(vgaSetup());
    expect(mock.bus.devices.map((d) => [d.name, d === mock.deviceOf(c.fd)])).toEqual([["virtio0", true], ["virtio1", false]]);
  });

  it("a rejected create leaves a user pointer in setup.config_addr that release kfrees: recorded as a kernel bug", () => {
    const { mock, u } = setupMock();
    expectIoctlError(() => u.rawIoctl(UV_DEV_CREATE.number, bufferArg(rawSetup(mock, "flags", 2)), "UV_DEV_CREATE"), "EINVAL", "UV_DEV_CREATE");
    u.close();
    expect(mock.kernelBugs.map((b) => b.kind)).toEqual(["kfree-user-pointer"]);
  });

  it("no kernel bug after a rejected create that a good create follows", () => {
    const { mock, u } = setupMock();
    expectIoctlError(() => u.rawIoctl(UV_DEV_CREATE.number, bufferArg(rawSetup(mock, "flags", 2)), "UV_DEV_CREATE"), "EINVAL", "UV_DEV_CREATE");
    u.create({ ...vgaSetup(), flags: 0 });
    u.close();
    expect(mock.kernelBugs).toEqual([]);
  });
});

describe("uvirtio mock: the registered virtio device", () => {
  it("id (vendor 0), features verbatim, config readable; get() beyond config_len WARNs and reads nothing", () => {
    const { mock, u } = setupMock();
    const config = VirtioGpuConfig.encode({ events_read: 1, events_clear: 0, num_scanouts: 3, num_capsets: 2 });
    const features = (1n << 63n) | 5n;
    u.create({ features, config_addr: config, flags: 0, id: VIRTIO_ID_GPU });
    const dev = mock.bus.devices[0]!;
    expect(dev.id).toEqual({ device: VIRTIO_ID_GPU, vendor: 0 });
    expect(dev.getFeatures()).toBe(features);
    expect(dev.finalizeFeatures()).toBe(0);
    expect(dev.readConfig(VirtioGpuConfig)).toEqual(VirtioGpuConfig.decode(config));
    expect(dev.warnings).toBe(0);
    const buf = Uint8Array.of(0xaa, 0xbb);
    dev.get(VirtioGpuConfig.SIZE - 1, buf);
    expect(dev.warnings).toBe(1);
    expect([...buf]).toEqual([0xaa, 0xbb]);
  });

  it("a config shorter than the driver's struct: reading it WARNs", () => {
    const { mock, u } = setupMock();
    u.create({ features: 0n, config_addr: new Uint8Array(4), flags: 0, id: VIRTIO_ID_GPU });
    mock.bus.devices[0]!.readConfig(VirtioGpuConfig);
    expect(mock.bus.devices[0]!.warnings).toBe(1);
  });

  it("status is stored; set_status(0) WARNs and is ignored; reset does nothing", () => {
    const { mock, u } = setupMock();
    u.create(vgaSetup());
    const dev = mock.bus.devices[0]!;
    dev.setStatus(7);
    dev.setStatus(0);
    dev.reset();
    expect(dev.getStatus()).toBe(7);
    expect(dev.warnings).toBe(1);
  });

  it("find_vqs makes 256-entry split virtqueues with the given names", () => {
    const { mock, u } = setupMock();
    u.create(vgaSetup());
    const vqs = mock.bus.devices[0]!.findVqs(["control", "cursor"]);
    expect(vqs.map((q) => [q.index, q.name, q.num, q.numFree])).toEqual([[0, "control", 256, 256], [1, "cursor", 256, 256]]);
  });
});

describe("uvirtio mock: the expect-data blob", () => {
  const fill = (n: number, i: number) => Uint8Array.from({ length: n }, (_, k) => (k * 7 + i) & 0xff);

  it("starts at 1 KiB and holds exactly 1 KiB without growing", () => {
    const { u, dev } = setupMock();
    u.expect(tableWithData([EXPECT_DATA_INITIAL], fill));
    expect([dev.blob!.capacity, dev.blob!.used]).toEqual([EXPECT_DATA_INITIAL, EXPECT_DATA_INITIAL]);
  });

  it("doubles when a block does not fit, keeping what it holds, and rewrites data to blob offsets", () => {
    const { u, dev } = setupMock();
    u.expect(tableWithData([1000, 100, 2996], fill)); // 1000 fits 1 KiB; 1100 needs 2 KiB; 4096 needs 4 KiB exactly
    expect([dev.blob!.capacity, dev.blob!.used]).toEqual([4 * EXPECT_DATA_INITIAL, 4 * EXPECT_DATA_INITIAL]);
    const blocks = dev.table!.expects[0]!.blocks;
    expect(blocks.slice(0, 3).map((b) => b.data)).toEqual([0n, 1000n, 1100n]);
    expect([...dev.blob!.bytes.subarray(0, 1000)]).toEqual([...fill(1000, 0)]);
    expect([...dev.blob!.bytes.subarray(1000, 1100)]).toEqual([...fill(100, 1)]);
    expect([...dev.blob!.bytes.subarray(1100, 4096)]).toEqual([...fill(2996, 2)]);
  });

  it("grows up to exactly 1 MiB; one byte more is ENOMEM", () => {
    const { mock, u, dev } = setupMock();
    const half = 524_280;
    const region = mock.memory.map(new Uint8Array(half));
    u.expect(tableWithData([half, half, UVIRTIO_MAX_EXPECT_DATA - 2 * half], () => region));
    expect([dev.blob!.capacity, dev.blob!.used]).toEqual([UVIRTIO_MAX_EXPECT_DATA, UVIRTIO_MAX_EXPECT_DATA]);
    expectIoctlError(() => u.expect(tableWithData([half, half, UVIRTIO_MAX_EXPECT_DATA - 2 * half + 1], () => region)), "ENOMEM", "UV_DEV_EXPECT");
  });

  it("blocks without rules are skipped and keep their data pointer", () => {
    const { u, dev } = setupMock();
    u.expect(expectTable([{ vq_name: "q", blocks: [{ len: 8, flags: 0, rules: [], data: 0x1234n }] }]));
    expect(dev.table!.expects[0]!.blocks[0]!.data).toBe(0x1234n);
    expect(dev.blob!.used).toBe(0);
  });

  it("the walk stops at the first empty vq_name and, per expect, at the first zero block len", () => {
    const { u, dev } = setupMock();
    const table = expectTable([
      { vq_name: "a", blocks: [{ len: 1, flags: 0, rules: [{ off: 0, len: 2 }], data: Uint8Array.of(1, 2) }] },
      { vq_name: "", blocks: [{ len: 1, flags: 0, rules: [{ off: 0, len: 2 }], data: UNMAPPED }] },
    ]);
    table.expects[0]!.blocks[2] = { len: 1, flags: 0, data: UNMAPPED, rules: table.expects[0]!.blocks[0]!.rules };
    u.expect(table); // the UNMAPPED data is never read
    expect(dev.blob!.used).toBe(2);
  });

  it("each call allocates a fresh blob (v3 never frees the old one)", () => {
    const { u, dev } = setupMock();
    u.expect(vgaExpect());
    const first = dev.blob;
    u.expect(tableWithData([10], fill));
    expect(dev.blob).not.toBe(first);
    expect(dev.blob!.used).toBe(10);
    expect(dev.leakedBlobs).toBe(1);
  });
});
