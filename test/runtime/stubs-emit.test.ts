/**
 * The stubs emitter: the method naming rule (and its outcome on the shipped specs), which files
 * and exports the package gets, and the stubs as a dependency of another project (tsx runs them
 * on a mock, tsc type-checks the consumer).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { camel, classMethodNames, commonPrefix, methodWords } from "../../src/emit/ts/stub-names.js";
import { generateTs, ROOT, shippedProgram, type GeneratedTs } from "../emit/ts-harness.js";

let gen: GeneratedTs;
beforeAll(async () => {
  const { program, targets } = shippedProgram();
  gen = await generateTs(program, targets);
});

const methodsOf = (text: string, cls: string): string[] => {
  const body = text.slice(text.indexOf(`export class ${cls} `));
  const next = [body.indexOf("\nexport class", 1), body.indexOf("\n// ----"), body.length].filter((i) => i > 0);
  const end = Math.min(...next);
  return [...body.slice(0, end).matchAll(/^\s*([a-z]\w*)\(.*\): .* \{$/gm)].map((m) => m[1]!);
};

describe("method naming", () => {
  it("strips the family prefix and the fd kind, then camelCases", () => {
    const gh = ["GH_CREATE_VM", "GH_VM_SET_DTB_CONFIG", "GH_VCPU_RUN"];
    expect(commonPrefix(gh)).toEqual(["GH"]);
    expect(camel(methodWords("GH_CREATE_VM", ["GH"], "gunyah"))).toBe("createVm");
    expect(camel(methodWords("GH_VM_SET_DTB_CONFIG", ["GH"], "vm"))).toBe("setDtbConfig");
    expect(camel(methodWords("GH_VCPU_RUN", ["GH"], "vcpu"))).toBe("run");
    expect(camel(methodWords("KVM_GET_REGS", ["KVM"], "kvm_vcpu"))).toBe("getRegs");
    // The kind without the family prefix: KVM_VCPU_X on kvm_vcpu → x.
    expect(camel(methodWords("KVM_VCPU_RESET", ["KVM"], "kvm_vcpu"))).toBe("reset");
  });

  it("never strips a whole name; one ioctl has no family prefix", () => {
    expect(commonPrefix(["UV_DEV_CREATE", "UV_DEV_EXPECT"])).toEqual(["UV", "DEV"]);
    expect(commonPrefix(["A_B", "A_B_C"])).toEqual(["A"]);
    expect(commonPrefix(["UIO_MSI_IRQ_SET"])).toEqual([]);
    expect(camel(methodWords("GH_VM", ["GH"], "vm"))).toBe("vm");
    expect(camel(methodWords("FIONREAD", [], undefined))).toBe("fionread");
  });

  it("reserved names get a suffix; collisions fall back to the whole name", () => {
    expect(classMethodNames(["X_CLOSE", "X_MAP", "X_GET"], ["X"], undefined)).toEqual(["closeIoctl", "mapIoctl", "get"]);
    expect(classMethodNames(["X_VM_RUN", "X_RUN"], ["X"], "vm")).toEqual(["xVmRun", "xRun"]);
  });

  it("gives the shipped specs the documented names", () => {
    const kvm = gen.files.get("ts/kvm/stubs.ts")!;
    expect(methodsOf(kvm, "Kvm")).toEqual(["getApiVersion", "createVm", "getVcpuMmapSize"]);
    expect(methodsOf(kvm, "KvmVm")).toEqual(["setUserMemoryRegion", "createVcpu"]);
    expect(methodsOf(kvm, "KvmVcpu")).toEqual(["map", "getRegs", "setRegs", "getSregs", "setSregs", "run"]);
    const gh = gen.files.get("ts/gunyah/stubs.ts")!;
    expect(methodsOf(gh, "Gunyah")).toContain("createVm");
    expect(methodsOf(gh, "Vm")).toContain("setDtbConfig");
    expect(methodsOf(gh, "Vcpu")).toEqual(["map", "run", "mmapSize"]);
    expect(methodsOf(gen.files.get("ts/uvirtio/stubs.ts")!, "Uvirtio")).toEqual(["create", "expect"]);
    const tty = gen.files.get("ts/tty/stubs.ts")!;
    // Ioctls without `on` are on every kind of the family and on TtyIoctls.
    expect(methodsOf(tty, "TtyIoctls")).toEqual(["fionread", "tiocgwinsz", "tiocswinsz"]);
    expect(methodsOf(tty, "Ptmx")).toEqual(["tiocgptn", "tiocsptlck", "tiocgptpeer", "fionread", "tiocgwinsz", "tiocswinsz"]);
  });
});

describe("package", () => {
  it("has stubs for families with fd kinds or ioctls, exported, and the fd runtime", () => {
    const pkg = JSON.parse(gen.files.get("ts/package.json")!) as { exports: Record<string, unknown>; peerDependencies: Record<string, string> };
    for (const fam of ["kvm", "gunyah", "uvirtio", "uio_msi", "tty"]) {
      expect(gen.files.has(`ts/${fam}/stubs.ts`)).toBe(true);
      expect(pkg.exports[`./${fam}/stubs`]).toEqual({ types: `./${fam}/stubs.ts`, default: `./${fam}/stubs.ts` });
    }
    expect(gen.files.has("ts/virtio_ids/stubs.ts")).toBe(false);
    expect(pkg.peerDependencies["koffi"]).toBeDefined();
    for (const f of ["stub", "fd", "real-fd", "mock-fd", "errors", "errno", "errno-table", "libc", "user-memory"]) {
      expect(gen.files.has(`ts/runtime/${f}.ts`), f).toBe(true);
    }
    // No import leaves the package's runtime directory.
    for (const [p, text] of gen.files) {
      if (p.startsWith("ts/runtime/")) expect(text, p).not.toMatch(/from "\.\.\//);
    }
  });

  it("the root index stays free of the fd runtime (codec users need neither Node nor koffi)", () => {
    expect(gen.files.get("ts/index.ts")).not.toMatch(/stubs|runtime\/stub/);
  });

  it("is usable from another project: tsx runs a stub on a mock, tsc type-checks it", () => {
    const proj = mkdtempSync(join(tmpdir(), "abigen-stub-consumer-"));
    mkdirSync(join(proj, "node_modules", "@abigen"), { recursive: true });
    symlinkSync(join(gen.dir, "ts"), join(proj, "node_modules", "@abigen", "generated"), "dir");
    for (const dep of ["koffi", "@types"]) symlinkSync(join(ROOT, "node_modules", dep), join(proj, "node_modules", dep), "dir");
    writeFileSync(join(proj, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
    writeFileSync(
      join(proj, "main.ts"),
      `import { Uvirtio } from "@abigen/generated/uvirtio/stubs";
import { UvirtioSetup, UV_DEV_CREATE } from "@abigen/generated/uvirtio";
import { MockDevice, type MockFd } from "@abigen/generated/runtime/mock-fd";
class Dev extends MockDevice {
  seen: number[] = [];
  override ioctl(_f: MockFd, request: number, arg: bigint): number {
    if (request !== UV_DEV_CREATE.number) return 0;
    const s = UvirtioSetup.decode(this.memory.copyFromUser(arg, UvirtioSetup.SIZE));
    this.seen = [...this.memory.copyFromUser(s.config_addr, s.config_len)];
    return 0;
  }
}
const dev = new Dev("uvirtio");
{
  using u = Uvirtio.from(dev.open());
  u.create({ features: 0n, config_addr: Uint8Array.of(3, 1, 4), flags: 0, id: 2 });
}
console.log(JSON.stringify({ seen: dev.seen, open: dev.openCount }));
`,
    );
    writeFileSync(
      join(proj, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022"], types: ["node"], strict: true, noEmit: true, skipLibCheck: true }, files: ["main.ts"] }),
    );
    const out = execFileSync(join(ROOT, "node_modules", ".bin", "tsx"), ["main.ts"], { cwd: proj, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ seen: [3, 1, 4], open: 0 });
    const tsc = spawnSync(join(ROOT, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", join(proj, "tsconfig.json")], { encoding: "utf8" });
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
  });
});
