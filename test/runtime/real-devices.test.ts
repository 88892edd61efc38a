/**
 * The generated stubs on real kernel fds (generated/ts/tty and kvm stubs, the generated runtime):
 * a pty's window size round trip and slave number, FIONREAD on a pipe, a typed ENOTTY from
 * /dev/null, and no fd leaks over many open/ioctl/close cycles. Errno numbers and open flags
 * come from C; a missing device says SKIPPED.
 */
import { readlinkSync } from "node:fs";
import { openFds } from "../helpers/open-fds.js";
import { beforeAll, describe, expect, it } from "vitest";
import { Ptmx, Tty, TtyIoctls } from "../../generated/ts/tty/stubs.js";
import { Kvm } from "../../generated/ts/kvm/stubs.js";
import { IoctlError, isIoctlError, openFd, pipe } from "../../generated/ts/runtime/stub.js";
import { TIOCGWINSZ } from "../../generated/ts/tty/index.js";
import { cConstants, HAVE_GCC, need } from "./host-c.js";

let C = new Map<string, bigint>();
beforeAll(() => {
  if (HAVE_GCC) {
    C = cConstants(["errno.h", "fcntl.h", "sys/ioctl.h"], {
      ENOTTY: "ENOTTY", EBADF: "EBADF", O_RDWR: "O_RDWR", O_NOCTTY: "O_NOCTTY", O_CLOEXEC: "O_CLOEXEC", TIOCGWINSZ: "TIOCGWINSZ",
    });
  }
});

const usable = (open: () => { close(): void }): string | undefined => {
  try {
    open().close();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};
const NO_PTMX = usable(() => Ptmx.open());
const NO_KVM = usable(() => Kvm.open());
if (!HAVE_GCC) console.warn("SKIPPED: real-devices tests that need C constants — gcc not found");
if (NO_PTMX) console.warn(`SKIPPED: pty tests — ${Ptmx.path}: ${NO_PTMX}`);
if (NO_KVM) console.warn(`SKIPPED: kvm leak test — ${Kvm.path}: ${NO_KVM}`);


describe("tty stubs on a pty", () => {
  it.skipIf(!!NO_PTMX || !HAVE_GCC)("TIOCSWINSZ then TIOCGWINSZ round-trips, on the master and through the slave", () => {
    using master = Ptmx.open();
    master.tiocsptlck(0);
    const size = { ws_row: 37, ws_col: 121, ws_xpixel: 968, ws_ypixel: 740 };
    master.tiocswinsz(size);
    expect(master.tiocgwinsz()).toEqual(size);
    using slave = master.tiocgptpeer(need(C, "O_RDWR") | need(C, "O_NOCTTY") | need(C, "O_CLOEXEC"));
    expect(slave).toBeInstanceOf(Tty);
    // A pty pair shares one window size: the slave reads what the master set.
    expect(slave.tiocgwinsz()).toEqual(size);
    slave.tiocswinsz({ ...size, ws_row: 5 });
    expect(master.tiocgwinsz().ws_row).toBe(5);
    // The generated request number is the one C's <sys/ioctl.h> has.
    expect(TIOCGWINSZ.number).toBe(need(C, "TIOCGWINSZ"));
  });

  it.skipIf(!!NO_PTMX || !HAVE_GCC)("TIOCGPTN is the N of the /dev/pts/N that TIOCGPTPEER opens", () => {
    using a = Ptmx.open();
    using b = Ptmx.open();
    a.tiocsptlck(0);
    b.tiocsptlck(0);
    const na = a.tiocgptn();
    const nb = b.tiocgptn();
    expect(na).not.toBe(nb);
    using pa = a.tiocgptpeer(need(C, "O_RDWR") | need(C, "O_NOCTTY") | need(C, "O_CLOEXEC"));
    using pb = b.tiocgptpeer(need(C, "O_RDWR") | need(C, "O_NOCTTY") | need(C, "O_CLOEXEC"));
    expect(readlinkSync(`/proc/self/fd/${pa.fd.fd}`)).toBe(`/dev/pts/${na}`);
    expect(readlinkSync(`/proc/self/fd/${pb.fd.fd}`)).toBe(`/dev/pts/${nb}`);
    // Opening the slave by name gives the same tty.
    using byName = Tty.open(`/dev/pts/${na}`);
    byName.tiocswinsz({ ws_row: 11, ws_col: 22, ws_xpixel: 0, ws_ypixel: 0 });
    expect(a.tiocgwinsz().ws_col).toBe(22);
  });

  it.skipIf(!!NO_PTMX)("a locked slave cannot be opened: EIO as a typed error from TIOCGPTPEER", () => {
    using m = Ptmx.open();
    m.tiocsptlck(1);
    const e = (() => {
      try {
        m.tiocgptpeer(2);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(isIoctlError(e, "EIO")).toBe(true);
    expect((e as IoctlError).ioctl).toBe("TIOCGPTPEER");
    expect((e as IoctlError).fdKind).toBe("ptmx");
  });
});

describe("FIONREAD on a pipe", () => {
  it("counts exactly the bytes written, as they are written and read", () => {
    const [r, w] = pipe();
    using rd = TtyIoctls.from(r);
    using _w = w;
    expect(rd.fionread()).toBe(0);
    const text = new TextEncoder().encode("sixteen bytes!!\n");
    expect(w.write(text)).toBe(16);
    expect(rd.fionread()).toBe(16);
    w.write(text.subarray(0, 5));
    expect(rd.fionread()).toBe(21);
    rd.fd.read(new Uint8Array(7));
    expect(rd.fionread()).toBe(14);
  });
});

describe("errors", () => {
  it.skipIf(!HAVE_GCC)("TIOCGWINSZ on /dev/null is an IoctlError ENOTTY naming the ioctl and the fd kind", () => {
    using devnull = Tty.open("/dev/null");
    let caught: unknown;
    try {
      devnull.tiocgwinsz();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(IoctlError);
    const e = caught as IoctlError;
    expect(e.code).toBe("ENOTTY");
    expect(e.errno).toBe(need(C, "ENOTTY"));
    expect(e.ioctl).toBe("TIOCGWINSZ");
    expect(e.fdKind).toBe("tty");
    expect(e.request).toBe(need(C, "TIOCGWINSZ"));
    expect(e.message).toContain("TIOCGWINSZ");
    expect(e.message).toContain("ENOTTY");
  });

  it.skipIf(!HAVE_GCC)("the family-level class labels errors with the wrapped fd's own kind", () => {
    using f = TtyIoctls.from(openFd("/dev/null", { kind: "/dev/null" }));
    expect(() => f.tiocgwinsz()).toThrowError(expect.objectContaining({ code: "ENOTTY", ioctl: "TIOCGWINSZ", fdKind: "/dev/null" }));
  });

  it.skipIf(!HAVE_GCC)("a call after close is EBADF, and closing twice is EBADF without touching the kernel", () => {
    const t = Tty.open("/dev/null");
    t.close();
    expect(t.closed).toBe(true);
    expect(() => t.fionread()).toThrowError(expect.objectContaining({ code: "EBADF", errno: need(C, "EBADF"), ioctl: "FIONREAD" }));
    expect(() => t.close()).toThrowError(expect.objectContaining({ code: "EBADF" }));
    t[Symbol.dispose](); // after an explicit close: nothing
  });
});

describe("no fd leaks through the stubs", () => {
  it.skipIf(!!NO_PTMX)("10k Ptmx open / TIOCGPTN / close cycles leave /proc/self/fd unchanged", () => {
    const before = openFds();
    for (let i = 0; i < 10_000; i++) {
      using m = Ptmx.open();
      m.tiocgptn();
    }
    expect(openFds()).toEqual(before);
  });

  it("10k open / failing ioctl / close cycles leave /proc/self/fd unchanged", () => {
    const before = openFds();
    let failures = 0;
    for (let i = 0; i < 10_000; i++) {
      using t = Tty.open("/dev/null");
      try {
        t.tiocgwinsz();
      } catch {
        failures++;
      }
    }
    expect(failures).toBe(10_000);
    expect(openFds()).toEqual(before);
  });

  it.skipIf(!!NO_KVM)("KVM: a VM and a vCPU per cycle, parents closed before children, leave no fds", () => {
    const before = openFds();
    for (let i = 0; i < 200; i++) {
      const kvm = Kvm.open();
      const vm = kvm.createVm(0);
      kvm.close(); // children are independent fds: the VM stays usable
      const vcpu = vm.createVcpu(0);
      vm.close();
      expect(vcpu.getRegs().rflags & 2n).toBe(2n);
      vcpu.close();
    }
    expect(openFds()).toEqual(before);
  });
});
