import { describe, expect, it } from "vitest";
import { errno, isIoctlError, IoctlError, SyscallError } from "../../src/runtime/errors.js";
import { bufferArg, type Fd, NO_ARG, valueArg } from "../../src/runtime/fd.js";
import { MockDevice, MockFd, MockProcess, UserMemory } from "../../src/runtime/mock-fd.js";
import { eventfd, eventfdRead, eventfdSignal } from "../../src/runtime/real-fd.js";

// A toy device's own request numbers (a model defines these; they are not kernel numbers).
const TOY_SUM = 1; // arg → struct toy_sum { u64 data_ptr; u32 len; u32 sum; }: sum = Σ bytes
const TOY_SIGNAL = 2; // arg = an eventfd number to signal
const TOY_CREATE = 3; // returns a new fd of a child device
const TOY_BAD = 4; // a buggy handler returning a negative number

const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toySum(dataPtr: bigint, len: number): Uint8Array {
  const s = new Uint8Array(16);
  const v = new DataView(s.buffer);
  v.setBigUint64(0, dataPtr, le);
  v.setUint32(8, len, le);
  return s;
}

class Child extends MockDevice {
  released = 0;
  override ioctl(_f: MockFd, request: number): number {
    if (request === TOY_SUM) return 7;
    throw errno("ENOTTY");
  }
  override release(): void {
    this.released++;
  }
}

class Toy extends MockDevice {
  readonly ram = new Uint8Array(8192);
  children: Child[] = [];

  constructor(proc?: MockProcess) {
    super("toy", proc);
  }

  override ioctl(_f: MockFd, request: number, arg: bigint): number {
    switch (request) {
      case TOY_SUM: {
        const s = this.memory.copyFromUser(arg, 16);
        const v = new DataView(s.buffer);
        const data = this.memory.copyFromUser(v.getBigUint64(0, le), v.getUint32(8, le));
        v.setUint32(12, data.reduce((a, b) => a + b, 0), le);
        this.memory.copyToUser(arg, s);
        return 0;
      }
      case TOY_SIGNAL:
        eventfdSignal(Number(arg));
        return 0;
      case TOY_CREATE: {
        const child = new Child("toy-child", this.process);
        this.children.push(child);
        return this.process.install(child.open());
      }
      case TOY_BAD:
        return -22;
      default:
        return super.ioctl(_f, request, arg); // ENOTTY, like the kernel's default
    }
  }

  override read(_f: MockFd, buf: Uint8Array): number {
    if (buf.length < 3) throw errno("EINVAL");
    buf.set([1, 2, 3]);
    return 3;
  }

  override mmap(_f: MockFd, length: number, offset: bigint): Uint8Array {
    if (offset + BigInt(length) > BigInt(this.ram.length)) throw errno("EINVAL");
    return this.ram.subarray(Number(offset), Number(offset) + length);
  }
}

/** A typed-stub-shaped caller: the same code runs on any Fd. */
function sum(fd: Fd, data: Uint8Array): number {
  return fd.withUserBuffers([{ bytes: data, access: "read" }], ([ptr]) => {
    const s = toySum(ptr!, data.length);
    fd.ioctl(TOY_SUM, bufferArg(s), "TOY_SUM");
    return new DataView(s.buffer).getUint32(12, le);
  });
}

describe("mock fds", () => {
  it("an ioctl handler copies a struct and the buffer it points to from user memory", () => {
    const toy = new Toy();
    using fd = toy.open();
    expect(fd.fd).toBe(-1);
    expect(fd.kind).toBe("mock:toy");
    expect(sum(fd, new Uint8Array([1, 2, 3, 250]))).toBe(256);
    expect(toy.memory.regionCount).toBe(0); // every region the call mapped is gone
  });

  it("a bad user address is EFAULT, as in the kernel: NULL, unmapped, or running off the end", () => {
    const toy = new Toy();
    using fd = toy.open();
    const efault = (ptr: bigint, len: number) => {
      let err: unknown;
      try {
        fd.ioctl(TOY_SUM, bufferArg(toySum(ptr, len)), "TOY_SUM");
      } catch (e) {
        err = e;
      }
      expect(isIoctlError(err, "EFAULT")).toBe(true);
      expect(err).toMatchObject({ request: TOY_SUM, ioctl: "TOY_SUM", fdKind: "mock:toy", syscall: "ioctl" });
    };
    efault(0n, 1);
    efault(0xdead_0000n, 4);
    fd.withUserBuffers([new Uint8Array(10)], ([p]) => {
      efault(p!, 11); // one byte past the buffer: the guard page
      efault(p! - 1n, 1);
      expect(() => fd.ioctl(TOY_SUM, bufferArg(toySum(p!, 10)))).not.toThrow();
    });
    // A length of zero touches nothing, so even NULL is fine (copy_from_user(.., 0) succeeds).
    expect(() => fd.ioctl(TOY_SUM, bufferArg(toySum(0n, 0)))).not.toThrow();
  });

  it("an unknown request is ENOTTY", () => {
    using fd = new Toy().open();
    expect(() => fd.ioctl(0x1234, NO_ARG)).toThrow(IoctlError);
    expect(() => fd.ioctl(0x1234, NO_ARG)).toThrow(expect.objectContaining({ code: "ENOTTY", request: 0x1234, ioctl: "0x00001234" }));
  });

  it("a device can hand out new fds (like KVM_CREATE_VM) that the caller adopts once", () => {
    const toy = new Toy();
    using fd = toy.open();
    const n = fd.ioctl(TOY_CREATE, NO_ARG, "TOY_CREATE");
    expect(toy.process.pendingFds).toBe(1);
    {
      using child = fd.adopt(n, "toy-child");
      expect(child).toBeInstanceOf(MockFd);
      expect(child.kind).toBe("mock:toy-child");
      expect(child.ioctl(TOY_SUM)).toBe(7);
      expect(toy.process.pendingFds).toBe(0);
      expect(() => fd.adopt(n, "toy-child")).toThrow(expect.objectContaining({ code: "EBADF" }));
    }
    expect(toy.children[0]!.released).toBe(1);
    expect(toy.children[0]!.openCount).toBe(0);
  });

  it("a device model can signal a real eventfd", () => {
    using ev = eventfd(0, { nonblock: true });
    using fd = new Toy().open();
    fd.ioctl(TOY_SIGNAL, valueArg(ev.fd));
    fd.ioctl(TOY_SIGNAL, valueArg(ev.fd));
    expect(ev.waitReadable(0)).toBe(true);
    expect(eventfdRead(ev)).toBe(2n);
  });

  it("mmap shares device memory, and its address is user memory an ioctl can point at", () => {
    const toy = new Toy();
    using fd = toy.open();
    using region = fd.mmap(4096, 4096);
    region.bytes.set([10, 20, 30]);
    expect([...toy.ram.subarray(4096, 4099)]).toEqual([10, 20, 30]);
    const s = toySum(region.address, 3);
    fd.ioctl(TOY_SUM, bufferArg(s));
    expect(new DataView(s.buffer).getUint32(12, le)).toBe(60);
    region.unmap();
    expect(() => fd.ioctl(TOY_SUM, bufferArg(toySum(region.address, 3)))).toThrow(expect.objectContaining({ code: "EFAULT" }));
    expect(() => fd.mmap(8192, 4096)).toThrow(expect.objectContaining({ code: "EINVAL", syscall: "mmap" }));
  });

  it("read/write errors are typed SyscallErrors; unimplemented write is EINVAL", () => {
    using fd = new Toy().open();
    const buf = new Uint8Array(4);
    expect(fd.read(buf)).toBe(3);
    expect([...buf]).toEqual([1, 2, 3, 0]);
    expect(() => fd.read(new Uint8Array(1))).toThrow(expect.objectContaining({ code: "EINVAL", syscall: "read", fdKind: "mock:toy" }));
    expect(() => fd.write(buf)).toThrow(expect.objectContaining({ code: "EINVAL", syscall: "write" }));
  });

  it("closes exactly once; a closed mock fd is EBADF everywhere", () => {
    const toy = new Toy();
    const fd = toy.open();
    expect(toy.openCount).toBe(1);
    fd.close();
    expect(toy.openCount).toBe(0);
    expect(() => fd.close()).toThrow(SyscallError);
    expect(() => fd.close()).toThrow(expect.objectContaining({ code: "EBADF", syscall: "close" }));
    expect(() => fd.ioctl(TOY_SUM)).toThrow(expect.objectContaining({ code: "EBADF", syscall: "ioctl" }));
    expect(() => fd.read(new Uint8Array(4))).toThrow(expect.objectContaining({ code: "EBADF" }));
    fd[Symbol.dispose]();
    expect(toy.openCount).toBe(0);
  });

  it("a handler returning a negative number is a model bug, not an errno", () => {
    using fd = new Toy().open();
    expect(() => fd.ioctl(TOY_BAD)).toThrow(/returned -22; throw errno/);
  });
});

describe("UserMemory", () => {
  it("maps caller bytes in place; copyFromUser copies; read-only regions refuse copyToUser", () => {
    const mem = new UserMemory();
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const a = mem.map(bytes);
    expect(a % 4096n).toBe(0n);
    const got = mem.copyFromUser(a + 1n, 2);
    expect([...got]).toEqual([2, 3]);
    got[0] = 99;
    expect(bytes[1]).toBe(2); // a copy, not a view
    mem.copyToUser(a + 2n, new Uint8Array([7]));
    expect(bytes[2]).toBe(7); // in place
    const ro = mem.map(new Uint8Array(4), { writable: false });
    expect(() => mem.copyToUser(ro, new Uint8Array([1]))).toThrow(expect.objectContaining({ code: "EFAULT" }));
    mem.unmap(a);
    expect(() => mem.copyFromUser(a, 1)).toThrow(expect.objectContaining({ code: "EFAULT" }));
    expect(() => mem.unmap(a)).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });

  it("withUserBuffers: 'read' is not copied back, 'write' starts zeroed, bare arrays are both", () => {
    const mem = new UserMemory();
    const r = new Uint8Array([5, 5]);
    const w = new Uint8Array([9, 9]);
    const rw = new Uint8Array([1, 1]);
    mem.withUserBuffers([{ bytes: r, access: "read" }, { bytes: w, access: "write" }, rw], ([pr, pw, prw]) => {
      expect([...mem.copyFromUser(pr!, 2)]).toEqual([5, 5]);
      expect([...mem.copyFromUser(pw!, 2)]).toEqual([0, 0]);
      mem.copyToUser(pr!, new Uint8Array([6, 6]));
      mem.copyToUser(pw!, new Uint8Array([7, 7]));
      mem.copyToUser(prw!, new Uint8Array([2, 2]));
    });
    expect([...r]).toEqual([5, 5]);
    expect([...w]).toEqual([7, 7]);
    expect([...rw]).toEqual([2, 2]);
    expect(mem.regionCount).toBe(0);
  });
});
