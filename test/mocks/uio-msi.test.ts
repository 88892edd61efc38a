/**
 * The uio_msi mock through the generated stub (UioMsi.from(device.open())), with real eventfds:
 * every error path with the errno eventfd_ctx_fdget / the driver returns, interrupts observable
 * on the caller's eventfd, the device's own reference surviving the caller's close, and no fd
 * leaks (the device's references are real dups, counted in /proc/self/fd).
 */
import { openFdCount as openFds } from "../helpers/open-fds.js";
import { describe, expect, it } from "vitest";
import { UIO_MSI_IRQ_SET } from "../../generated/ts/uio_msi/index.js";
import { UioMsi } from "../../generated/ts/uio_msi/stubs.js";
import { IoctlError } from "../../generated/ts/runtime/errors.js";
import { bufferArg } from "../../generated/ts/runtime/fd.js";
import { dupFd, eventfd, eventfdRead, memfd, pipe, type RealFd } from "../../generated/ts/runtime/real-fd.js";
import { UioMsiDevice } from "../../src/mocks/uio-msi.js";


function ioctlError(fn: () => unknown): IoctlError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IoctlError);
    return e as IoctlError;
  }
  throw new Error("expected an IoctlError, the call succeeded");
}

function expectErrno(fn: () => unknown, code: string): void {
  const e = ioctlError(fn);
  expect(e.code).toBe(code);
  expect(e.ioctl).toBe("UIO_MSI_IRQ_SET");
  expect(e.fdKind).toBe("mock:uio_msi");
}

/** The eventfd's counter, 0 when nothing is pending (nonblocking eventfds only). */
function pending(fd: RealFd): bigint {
  return fd.waitReadable(0) ? eventfdRead(fd) : 0n;
}

describe("uio_msi mock: error paths", () => {
  it("vec at or above the vector count is ERANGE, checked before fd", () => {
    using dev = new UioMsiDevice({ vectors: 4 });
    using u = UioMsi.from(dev.open());
    using efd = eventfd(0, { nonblock: true });
    expectErrno(() => u.irqSet({ vec: 4, fd: efd.fd }), "ERANGE");
    expectErrno(() => u.irqSet({ vec: 0xffffffff, fd: -1 }), "ERANGE");
    expectErrno(() => u.irqSet({ vec: 4, fd: 999_999 }), "ERANGE"); // a bad fd too: ERANGE wins
    expect(dev.references).toBe(0);
  });

  it("an fd number that is not open is EBADF (eventfd_ctx_fdget: fdget failed)", () => {
    using dev = new UioMsiDevice();
    using u = UioMsi.from(dev.open());
    const closed = eventfd();
    const n = closed.fd;
    closed.close();
    // The number may be reused by the next open; nothing in between opens a file.
    expectErrno(() => u.irqSet({ vec: 0, fd: n }), "EBADF");
    expectErrno(() => u.irqSet({ vec: 0, fd: 999_999 }), "EBADF");
    expectErrno(() => u.irqSet({ vec: 0, fd: -2 }), "EBADF");
    expectErrno(() => u.irqSet({ vec: 0, fd: -0x80000000 }), "EBADF");
    expect(dev.references).toBe(0);
  });

  it("an open file that is not an eventfd is EINVAL (eventfd_ctx_fileget: wrong f_op)", () => {
    using dev = new UioMsiDevice();
    using u = UioMsi.from(dev.open());
    const before = openFds();
    const [r, w] = pipe();
    using _r = r;
    using _w = w;
    using mem = memfd("not-an-eventfd", 64);
    expectErrno(() => u.irqSet({ vec: 0, fd: r.fd }), "EINVAL");
    expectErrno(() => u.irqSet({ vec: 1, fd: mem.fd }), "EINVAL");
    expect(dev.references).toBe(0);
    expect(openFds()).toBe(before + 3); // the rejected dups were closed
  });

  it("a bad argument address is EFAULT; another request is ENOTTY", () => {
    using dev = new UioMsiDevice();
    const fd = dev.open();
    using u = UioMsi.from(fd);
    const bad = ioctlError(() => fd.ioctl(UIO_MSI_IRQ_SET.number, { kind: "value", value: 0x1000n }, "UIO_MSI_IRQ_SET"));
    expect(bad.code).toBe("EFAULT");
    const other = ioctlError(() => fd.ioctl(UIO_MSI_IRQ_SET.number + 1, bufferArg(new Uint8Array(8))));
    expect(other.code).toBe("ENOTTY");
    expect(u.closed).toBe(false);
  });

  it("a failed rebind keeps the old binding (the new fd is checked before the old one is dropped)", () => {
    using dev = new UioMsiDevice();
    using u = UioMsi.from(dev.open());
    using efd = eventfd(0, { nonblock: true });
    u.irqSet({ vec: 2, fd: efd.fd });
    expectErrno(() => u.irqSet({ vec: 2, fd: 999_999 }), "EBADF");
    expect(dev.raise(2)).toBe(true);
    expect(eventfdRead(efd)).toBe(1n);
  });
});

describe("uio_msi mock: interrupts", () => {
  it("a raised vector signals its eventfd, once per raise; other vectors stay quiet", () => {
    using dev = new UioMsiDevice({ vectors: 3 });
    using u = UioMsi.from(dev.open());
    using a = eventfd(0, { nonblock: true });
    using b = eventfd(0, { nonblock: true });
    u.irqSet({ vec: 0, fd: a.fd });
    u.irqSet({ vec: 2, fd: b.fd });
    expect(a.waitReadable(0)).toBe(false);
    dev.raise(0);
    dev.raise(0);
    dev.raise(2);
    expect(a.waitReadable(0)).toBe(true);
    expect(eventfdRead(a)).toBe(2n);
    expect(eventfdRead(b)).toBe(1n);
    expect(pending(a)).toBe(0n);
  });

  it("a raise on an unbound vector is lost and counted", () => {
    using dev = new UioMsiDevice({ vectors: 2 });
    using _u = UioMsi.from(dev.open());
    expect(dev.raise(1)).toBe(false);
    expect(dev.stats).toEqual({ raised: 1, delivered: 0, lost: 1 });
    expect(() => dev.raise(2)).toThrow(RangeError);
  });

  it("rebinding moves the vector to the new eventfd", () => {
    using dev = new UioMsiDevice();
    using u = UioMsi.from(dev.open());
    using a = eventfd(0, { nonblock: true });
    using b = eventfd(0, { nonblock: true });
    u.irqSet({ vec: 1, fd: a.fd });
    u.irqSet({ vec: 1, fd: b.fd });
    dev.raise(1);
    expect(pending(a)).toBe(0n);
    expect(pending(b)).toBe(1n);
    expect(dev.references).toBe(1);
  });

  it("fd -1 disables the vector (and is a no-op on an unbound one)", () => {
    using dev = new UioMsiDevice();
    using u = UioMsi.from(dev.open());
    using a = eventfd(0, { nonblock: true });
    u.irqSet({ vec: 3, fd: -1 });
    u.irqSet({ vec: 3, fd: a.fd });
    u.irqSet({ vec: 3, fd: -1 });
    expect(dev.isBound(3)).toBe(false);
    expect(dev.raise(3)).toBe(false);
    expect(pending(a)).toBe(0n);
    expect(dev.references).toBe(0);
  });

  it("the same eventfd on two vectors counts both", () => {
    using dev = new UioMsiDevice();
    using u = UioMsi.from(dev.open());
    using a = eventfd(0, { nonblock: true });
    u.irqSet({ vec: 0, fd: a.fd });
    u.irqSet({ vec: 1, fd: a.fd });
    dev.raise(0);
    dev.raise(1);
    expect(eventfdRead(a)).toBe(2n);
    expect(dev.references).toBe(2);
  });

  it("the caller may close its eventfd after binding: the device's reference still delivers", () => {
    const before = openFds();
    const dev = new UioMsiDevice();
    const u = UioMsi.from(dev.open());
    const a = eventfd(0, { nonblock: true });
    const observer = dupFd(a.fd, "observer"); // another fd of the same eventfd, to look at it
    u.irqSet({ vec: 0, fd: a.fd });
    a.close();
    expect(dev.raise(0)).toBe(true);
    expect(eventfdRead(observer)).toBe(1n);
    expect(openFds()).toBe(before + 2); // the observer and the device's dup
    u.close(); // last close of the device: its references go
    expect(dev.references).toBe(0);
    expect(dev.raise(0)).toBe(false);
    observer.close();
    expect(openFds()).toBe(before);
  });

  it("bindings belong to the device: closing one of two open files keeps them", () => {
    using dev = new UioMsiDevice();
    const first = UioMsi.from(dev.open());
    using second = UioMsi.from(dev.open());
    using a = eventfd(0, { nonblock: true });
    first.irqSet({ vec: 0, fd: a.fd });
    first.close();
    dev.raise(0);
    expect(eventfdRead(a)).toBe(1n);
    second.close();
    expect(dev.references).toBe(0);
  });

  it("works with a blocking eventfd too (the caller waits with poll)", () => {
    using dev = new UioMsiDevice();
    using u = UioMsi.from(dev.open());
    using a = eventfd();
    u.irqSet({ vec: 0, fd: a.fd });
    dev.raise(0);
    expect(a.waitReadable(100)).toBe(true);
    expect(eventfdRead(a)).toBe(1n);
  });
});

describe("uio_msi mock: leaks", () => {
  it("10k open/set/raise/read/close cycles leave /proc/self/fd unchanged", () => {
    const before = openFds();
    const dev = new UioMsiDevice({ vectors: 4 });
    for (let i = 0; i < 10_000; i++) {
      const a = eventfd(0, { nonblock: true });
      const u = UioMsi.from(dev.open());
      const vec = i % 4;
      u.irqSet({ vec, fd: a.fd });
      if (i % 3 === 0) a.close(); // sometimes the device's reference outlives the caller's fd
      dev.raise(vec);
      if (!a.closed) {
        if (eventfdRead(a) !== 1n) throw new Error(`cycle ${i}: interrupt not seen`);
        a.close();
      }
      u.close();
    }
    expect(dev.references).toBe(0);
    expect(dev.openCount).toBe(0);
    expect(dev.process.pendingFds).toBe(0);
    expect(dev.memory.regionCount).toBe(0);
    expect(openFds()).toBe(before);
  });
});
