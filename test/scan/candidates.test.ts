import { describe, expect, it } from "vitest";
import { findCandidates, includeKey, iocWrappers } from "../../src/scan/candidates.js";
import { macroDefs, stripComments } from "../../src/scan/macros.js";
import { Registry } from "../../src/registry/registry.js";

describe("macroDefs", () => {
  it("joins continued lines, drops comments, keeps character literals", () => {
    const defs = macroDefs(`#define A _IO('/', 1) /* _IO('x', 2) */
#  define B(nr) \\
   _IOR('b', nr, int)
// #define C 1
#define D(x)(x)
#define E (1)`);
    expect(defs).toEqual([
      { name: "A", body: "_IO('/', 1)" },
      { name: "B", params: "(nr)", body: "_IOR('b', nr, int)" },
      { name: "D", params: "(x)", body: "(x)" },
      { name: "E", body: "(1)" },
    ]);
    // The comment becomes a space plus its newlines, so line numbers stay put.
    expect(stripComments("a /* x\ny */ b")).toBe("a  \n b");
  });
});

describe("candidates", () => {
  it("maps registry paths to include names", () => {
    expect(includeKey("linux/fs.h")).toBe("linux/fs.h");
    expect(includeKey("include/uapi/linux/stm.h")).toBe("linux/stm.h");
    expect(includeKey("uapi/linux/seccomp.h")).toBe("linux/seccomp.h");
    expect(includeKey("linux/uapi/linux/userfaultfd.h")).toBe("linux/userfaultfd.h");
    expect(includeKey("arch/x86/include/asm/ioctls.h")).toBe("asm/ioctls.h");
    expect(includeKey("arch/powerpc/include/uapi/asm/papr-vpd.h")).toBe("asm/papr-vpd.h");
    expect(includeKey("asm-generic/ioctls.h")).toBe("asm/ioctls.h");
  });

  it("follows wrappers and aliases, and takes bare numbers only inside a registered row", () => {
    const a = macroDefs(`#define W(nr, t) _IOW('w', nr, t)
#define W2(nr) W(nr, int)
#define X1 W2(3)
#define X2 X1
#define NOT1 foo(3)`);
    const b = macroDefs(`#define TIOCX 0x5413
#define TIOCY TIOCX
#define FLAG 0x0100
#define OTHER 0x5413`);
    expect([...iocWrappers(a)].filter((n) => !n.startsWith("_"))).toEqual(["W", "W2"]);
    const reg = new Registry([{ type: 0x54, nrFirst: 0, nrLast: 0xff, include: "", comment: "", conflict: false, line: 1, code: "'T'", seq: "all", headers: ["arch/x86/include/asm/ioctls.h"] }]);
    const c = findCandidates([{ header: "a/a.h", defs: a }, { header: "asm-generic/ioctls.h", defs: b }, { header: "linux/other.h", defs: macroDefs("#define OTHER 0x5413") }], reg);
    expect(c.get("a/a.h")).toEqual([{ name: "X1", kind: "ioc" }, { name: "X2", kind: "ioc" }]);
    expect(c.get("asm-generic/ioctls.h")).toEqual([{ name: "TIOCX", kind: "legacy" }, { name: "TIOCY", kind: "legacy" }, { name: "OTHER", kind: "legacy" }]);
    expect(c.has("linux/other.h")).toBe(false);
  });
});
