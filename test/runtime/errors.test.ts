import koffi from "koffi";
import { describe, expect, it } from "vitest";
import { errno, Errno, IoctlError, isErrno, isIoctlError, isSyscallError, SyscallError } from "../../src/runtime/errors.js";

// Errno numbers come from koffi's host table (built from the host C headers), not typed here.
const E = koffi.os.errno;

describe("typed errors", () => {
  it("errno() builds a bare Errno with canonical name and host number", () => {
    const e = errno("EWOULDBLOCK");
    expect(e).toBeInstanceOf(Errno);
    expect(e.code).toBe("EAGAIN");
    expect(e.errno).toBe(E.EAGAIN);
    expect(isErrno(e, "EAGAIN")).toBe(true);
    expect(isErrno(e, "EINVAL")).toBe(false);
    expect(() => errno("ENOPE")).toThrow(/unknown errno name/);
  });

  it("SyscallError carries errno name/number, the call and the fd kind", () => {
    const e = new SyscallError({ errno: E.EBADF!, syscall: "read", fdKind: "pipe:r", fd: 7 });
    expect(e).toMatchObject({ name: "SyscallError", code: "EBADF", errno: E.EBADF, syscall: "read", fdKind: "pipe:r", fd: 7 });
    expect(e.message).toBe(`read on pipe:r (fd 7): EBADF (${E.EBADF})`);
    expect(isSyscallError(e)).toBe(true);
    expect(isSyscallError(e, "EBADF")).toBe(true);
    expect(isIoctlError(e)).toBe(false);
  });

  it("IoctlError names the ioctl and its request number, and is a SyscallError", () => {
    const named = new IoctlError({ errno: E.ENOTTY!, request: 0xc008ae67, ioctl: "KVM_X", fdKind: "/dev/kvm", fd: 3 });
    expect(named.message).toBe(`ioctl KVM_X [0xc008ae67] on /dev/kvm (fd 3): ENOTTY (${E.ENOTTY})`);
    expect(named).toMatchObject({ name: "IoctlError", syscall: "ioctl", request: 0xc008ae67, ioctl: "KVM_X" });
    const anon = new IoctlError({ errno: E.EINVAL!, request: 0x1234, fdKind: "mock:toy" });
    expect(anon.ioctl).toBe("0x00001234");
    expect(anon.message).toBe(`ioctl 0x00001234 on mock:toy: EINVAL (${E.EINVAL})`);
    expect(isIoctlError(anon, "EINVAL")).toBe(true);
    expect(isSyscallError(anon, "EINVAL")).toBe(true);
    expect(isIoctlError(new Error("x"))).toBe(false);
  });
});
