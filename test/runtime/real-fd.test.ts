import { existsSync, readlinkSync } from "node:fs";
import koffi from "koffi";
import { beforeAll, describe, expect, it } from "vitest";
import { isIoctlError, isSyscallError, IoctlError, SyscallError } from "../../src/runtime/errors.js";
import { bufferArg, NO_ARG, valueArg } from "../../src/runtime/fd.js";
import { anonymousMemory, eventfd, eventfdRead, memfd, openFd, pipe, RealFd } from "../../src/runtime/real-fd.js";
import { cConstants, HAVE_GCC, need } from "./host-c.js";

// ioctl numbers and the KVM API version come from C: never typed here.
let C = new Map<string, bigint>();
beforeAll(() => {
  if (!HAVE_GCC) return;
  C = cConstants(["sys/ioctl.h", "termios.h", "stddef.h", "linux/kvm.h"], {
    FIONREAD: "FIONREAD", TIOCGWINSZ: "TIOCGWINSZ", TIOCSWINSZ: "TIOCSWINSZ", TIOCGPTN: "TIOCGPTN",
    KVM_GET_API_VERSION: "KVM_GET_API_VERSION", KVM_CREATE_VM: "KVM_CREATE_VM", KVM_API_VERSION: "KVM_API_VERSION",
    KVM_CHECK_EXTENSION: "KVM_CHECK_EXTENSION", KVM_CAP_USER_MEMORY: "KVM_CAP_USER_MEMORY",
    WINSZ_SIZE: "sizeof(struct winsize)", WS_ROW: "offsetof(struct winsize, ws_row)",
    WS_COL: "offsetof(struct winsize, ws_col)", WS_XPIXEL: "offsetof(struct winsize, ws_xpixel)",
    WS_YPIXEL: "offsetof(struct winsize, ws_ypixel)",
  });
});

const canOpen = (path: string): boolean => {
  try {
    openFd(path).close();
    return true;
  } catch {
    return false;
  }
};
const HAVE_KVM = canOpen("/dev/kvm");
const HAVE_PTMX = canOpen("/dev/ptmx");
if (!HAVE_GCC) console.warn("SKIPPED: real ioctl tests — gcc not found (ioctl numbers come from C)");
if (!HAVE_KVM) console.warn("SKIPPED: /dev/kvm tests — /dev/kvm cannot be opened on this machine");
if (!HAVE_PTMX) console.warn("SKIPPED: /dev/ptmx tests — /dev/ptmx cannot be opened on this machine");

const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const i32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getInt32(0, le);

describe("real fds: ioctl", () => {
  it.skipIf(!HAVE_GCC)("FIONREAD on a pipe counts the bytes written", () => {
    const [r, w] = pipe();
    using _r = r;
    using _w = w;
    expect(w.write(new TextEncoder().encode("hello, kernel"))).toBe(13);
    const count = new Uint8Array(4);
    expect(r.ioctl(need(C, "FIONREAD"), bufferArg(count), "FIONREAD")).toBe(0);
    expect(i32(count)).toBe(13);
    // A subarray passes its own offset: the kernel writes at byte 8, not at 0.
    const big = new Uint8Array(16);
    r.ioctl(need(C, "FIONREAD"), bufferArg(big.subarray(8, 12)));
    expect(i32(big.subarray(8))).toBe(13);
    expect(big.subarray(0, 8).every((b) => b === 0)).toBe(true);
  });

  it.skipIf(!HAVE_GCC || !HAVE_PTMX)("/dev/ptmx: TIOCSWINSZ then TIOCGWINSZ round-trips; TIOCGPTN gives the pty index", () => {
    expect(need(C, "WINSZ_SIZE")).toBe(8);
    using pt = openFd("/dev/ptmx");
    const put = new Uint8Array(8);
    const pv = new DataView(put.buffer);
    const fields = { WS_ROW: 33, WS_COL: 101, WS_XPIXEL: 640, WS_YPIXEL: 480 };
    for (const [f, v] of Object.entries(fields)) pv.setUint16(need(C, f), v, le);
    pt.ioctl(need(C, "TIOCSWINSZ"), bufferArg(put), "TIOCSWINSZ");
    const got = new Uint8Array(8);
    pt.ioctl(need(C, "TIOCGWINSZ"), bufferArg(got), "TIOCGWINSZ");
    const gv = new DataView(got.buffer);
    for (const [f, v] of Object.entries(fields)) expect(gv.getUint16(need(C, f), le), f).toBe(v);

    const ptn = new Uint8Array(4);
    pt.ioctl(need(C, "TIOCGPTN"), bufferArg(ptn), "TIOCGPTN");
    const n = i32(ptn);
    expect(n).toBeGreaterThanOrEqual(0);
    expect(existsSync(`/dev/pts/${n}`)).toBe(true);
  });

  it.skipIf(!HAVE_GCC)("an ioctl on /dev/null fails with a typed ENOTTY naming the request", () => {
    using nul = openFd("/dev/null");
    const req = need(C, "TIOCGWINSZ");
    let caught: unknown;
    try {
      nul.ioctl(req, bufferArg(new Uint8Array(8)), "TIOCGWINSZ");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(IoctlError);
    expect(isIoctlError(caught, "ENOTTY")).toBe(true);
    expect(isSyscallError(caught)).toBe(true);
    const e = caught as IoctlError;
    expect(e).toMatchObject({ code: "ENOTTY", syscall: "ioctl", request: req, ioctl: "TIOCGWINSZ", fdKind: "/dev/null", fd: nul.fd });
    expect(e.errno).toBe(koffi.os.errno.ENOTTY);
    expect(e.message).toContain("TIOCGWINSZ");
    expect(e.message).toContain("ENOTTY");
    expect(e.message).toContain("0x" + req.toString(16).padStart(8, "0"));
  });

  it.skipIf(!HAVE_GCC || !HAVE_KVM)("/dev/kvm: KVM_GET_API_VERSION is C's KVM_API_VERSION; KVM_CREATE_VM returns a VM fd", () => {
    using kvm = openFd("/dev/kvm");
    expect(kvm.ioctl(need(C, "KVM_GET_API_VERSION"), NO_ARG, "KVM_GET_API_VERSION")).toBe(need(C, "KVM_API_VERSION"));
    const n = kvm.ioctl(need(C, "KVM_CREATE_VM"), valueArg(0), "KVM_CREATE_VM");
    using vm = kvm.adopt(n, "kvm-vm");
    expect(vm).toBeInstanceOf(RealFd);
    expect(vm.fd).toBe(n);
    expect(readlinkSync(`/proc/self/fd/${n}`)).toBe("anon_inode:kvm-vm");
    // The VM fd answers ioctls of its own: KVM_CHECK_EXTENSION(KVM_CAP_USER_MEMORY) is 1 on any KVM host.
    expect(vm.ioctl(need(C, "KVM_CHECK_EXTENSION"), valueArg(need(C, "KVM_CAP_USER_MEMORY")))).toBe(1);
    expect(() => kvm.adopt(n, "kvm-vm")).toThrow(/already owned/);
  });
});

describe("real fds: user buffers behind pointers", () => {
  it.skipIf(!HAVE_GCC)("an address from withUserBuffers is real memory the kernel writes (FIONREAD by value)", () => {
    const [r, w] = pipe();
    using _r = r;
    using _w = w;
    w.write(new Uint8Array(21));
    const out = new Uint8Array(4).fill(0xee);
    const ret = r.withUserBuffers([{ bytes: out, access: "write" }], ([addr]) => {
      expect(typeof addr).toBe("bigint");
      return r.ioctl(need(C, "FIONREAD"), valueArg(addr!));
    });
    expect(ret).toBe(0);
    expect(i32(out)).toBe(21);
  });

  it.skipIf(!HAVE_GCC || !HAVE_PTMX)("a read-only buffer is copied in but never copied back", () => {
    using pt = openFd("/dev/ptmx");
    const ws = new Uint8Array(8);
    new DataView(ws.buffer).setUint16(need(C, "WS_COL"), 77, le);
    pt.withUserBuffers([{ bytes: ws, access: "read" }], ([a]) => pt.ioctl(need(C, "TIOCSWINSZ"), valueArg(a!)));
    const back = new Uint8Array(8).fill(0xaa);
    const keep = back.slice();
    // TIOCGWINSZ writes the struct, but "read" access means the kernel's writes stay native.
    pt.withUserBuffers([{ bytes: back, access: "read" }], ([a]) => pt.ioctl(need(C, "TIOCGWINSZ"), valueArg(a!)));
    expect(back).toEqual(keep);
    pt.withUserBuffers([back], ([a]) => pt.ioctl(need(C, "TIOCGWINSZ"), valueArg(a!)));
    expect(new DataView(back.buffer).getUint16(need(C, "WS_COL"), le)).toBe(77);
  });

  it.skipIf(!HAVE_GCC)("nested calls get distinct live addresses; a buffer too big for the arena gets its own block", () => {
    const [r, w] = pipe();
    using _r = r;
    using _w = w;
    w.write(new Uint8Array(3));
    const outer = new Uint8Array(8);
    const big = new Uint8Array(300 * 1024).fill(0x5a);
    r.withUserBuffers([outer], ([a]) => {
      r.ioctl(need(C, "FIONREAD"), valueArg(a!));
      r.withUserBuffers([big], ([b]) => {
        expect(b).not.toBe(a);
        r.ioctl(need(C, "FIONREAD"), valueArg(b!));
      });
      r.withUserBuffers([new Uint8Array(4)], ([c]) => expect(c! >= a! + 8n).toBe(true));
    });
    expect(i32(outer)).toBe(3);
    expect(i32(big)).toBe(3);
    expect(big.subarray(4).every((x) => x === 0x5a)).toBe(true); // the rest round-tripped intact
  });

  it.skipIf(!HAVE_GCC)("anonymousMemory gives a real address for memory the kernel keeps", () => {
    const [r, w] = pipe();
    using _r = r;
    using _w = w;
    w.write(new Uint8Array(9));
    using mem = anonymousMemory(4096);
    r.ioctl(need(C, "FIONREAD"), valueArg(mem.address + 64n));
    expect(i32(mem.bytes.subarray(64))).toBe(9);
  });

  it("copies back even when the call throws", () => {
    using nul = openFd("/dev/null");
    const buf = new Uint8Array([1, 2, 3]);
    expect(() =>
      nul.withUserBuffers([buf], () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect([...buf]).toEqual([1, 2, 3]);
  });
});

describe("real fds: read/write, eventfd, pipe, mmap", () => {
  it("pipe: bytes written come out of the read end", () => {
    const [r, w] = pipe();
    using _r = r;
    using _w = w;
    const msg = new TextEncoder().encode("ioctl abi");
    expect(w.write(msg)).toBe(msg.length);
    const got = new Uint8Array(32);
    const n = r.read(got);
    expect(new TextDecoder().decode(got.subarray(0, n))).toBe("ioctl abi");
    w.close();
    expect(r.read(got)).toBe(0); // EOF once the write end is gone
  });

  it("eventfd: writes add to the counter, a read returns and resets it", () => {
    using ev = eventfd(0, { nonblock: true });
    expect(ev.waitReadable(0)).toBe(false);
    const one = new Uint8Array(new BigUint64Array([5n]).buffer);
    ev.write(one);
    ev.write(one);
    expect(ev.waitReadable(0)).toBe(true);
    expect(eventfdRead(ev)).toBe(10n);
    // Empty non-blocking counter: EAGAIN, typed.
    expect(() => eventfdRead(ev)).toThrow(expect.objectContaining({ code: "EAGAIN", syscall: "read", fdKind: "eventfd" }));
  });

  it.skipIf(!HAVE_GCC)("errno is the failing call's own, call after call", () => {
    const [r, w] = pipe();
    using _w = w;
    using nul = openFd("/dev/null");
    using ev = eventfd(0, { nonblock: true });
    const cases: [() => unknown, string, string][] = [
      [() => openFd("/nonexistent/abigen"), "ENOENT", "open"],
      [() => r.write(new Uint8Array(1)), "EBADF", "write"], // read end is O_RDONLY
      [() => nul.ioctl(need(C, "FIONREAD"), bufferArg(new Uint8Array(4))), "ENOTTY", "ioctl"],
      [() => eventfdRead(ev), "EAGAIN", "read"],
    ];
    r.close();
    cases.push([() => w.write(new Uint8Array(1)), "EPIPE", "write"]); // Node ignores SIGPIPE
    for (const [call, code, syscall] of cases) {
      let err: unknown;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(isSyscallError(err), code).toBe(true);
      expect(err).toMatchObject({ code, syscall });
    }
  });

  it("mmap of a memfd shares pages with the file; unmap is once and leaves a harmless view", () => {
    using mf = memfd("abigen-test", 8192);
    mf.write(new TextEncoder().encode("from write"));
    const region = mf.mmap(8192);
    expect(region.length).toBe(8192);
    expect(new TextDecoder().decode(region.bytes.subarray(0, 10))).toBe("from write");
    region.bytes.set(new TextEncoder().encode("via mmap"), 4096);
    // Read it back through the fd, whose file offset is now 10: skip to 4096 with reads.
    const skip = new Uint8Array(4096 - 10);
    expect(mf.read(skip)).toBe(skip.length);
    const back = new Uint8Array(8);
    mf.read(back);
    expect(new TextDecoder().decode(back)).toBe("via mmap");

    const stale = region.bytes;
    region.unmap();
    expect(region.mapped).toBe(false);
    expect(() => region.unmap()).toThrow(expect.objectContaining({ code: "EINVAL", syscall: "munmap" }));
    stale[0] = 1; // would be SIGSEGV over a real munmap; the placeholder takes it
    expect(stale[1]).toBe(0);
  });

  it("mmap of /dev/zero (private) reads zeros and is writable", () => {
    using zero = openFd("/dev/zero");
    using region = zero.mmap(4096, 0, { shared: false });
    expect(region.bytes.every((b) => b === 0)).toBe(true);
    region.bytes[100] = 42;
    expect(region.bytes[100]).toBe(42);
  });

  it("mmap failures are typed", () => {
    const [r, w] = pipe();
    using _r = r;
    using _w = w;
    // Read-write shared on an O_RDONLY fd: EACCES; read-only: pipes have no mmap, ENODEV.
    expect(() => r.mmap(4096)).toThrow(expect.objectContaining({ code: "EACCES", syscall: "mmap", fdKind: "pipe:r" }));
    expect(() => r.mmap(4096, 0, { write: false })).toThrow(expect.objectContaining({ code: "ENODEV", syscall: "mmap" }));
  });
});

describe("real fds: close exactly once", () => {
  it("a second close throws EBADF without touching the kernel; the number reads -1", () => {
    const fd = openFd("/dev/null");
    const n = fd.fd;
    expect(n).toBeGreaterThanOrEqual(0);
    fd.close();
    expect(fd.closed).toBe(true);
    expect(fd.fd).toBe(-1);
    expect(() => fd.close()).toThrow(SyscallError);
    expect(() => fd.close()).toThrow(expect.objectContaining({ code: "EBADF", syscall: "close" }));
    expect(() => fd.read(new Uint8Array(1))).toThrow(expect.objectContaining({ code: "EBADF", syscall: "read" }));
    expect(() => fd.ioctl(0x5401, NO_ARG, "TCGETS")).toThrow(expect.objectContaining({ code: "EBADF", ioctl: "TCGETS" }));
    fd[Symbol.dispose](); // no-op after close
  });

  it("`using` closes at scope exit", () => {
    let seen = -1;
    let outer: RealFd | undefined;
    {
      using fd = openFd("/dev/null");
      seen = fd.fd;
      outer = fd;
      expect(existsSync(`/proc/self/fd/${seen}`)).toBe(true);
    }
    expect(outer!.closed).toBe(true);
  });
});
