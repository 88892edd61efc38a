/**
 * Model-based test of the uio_msi mock (fast-check commands): random sequences of
 * UIO_MSI_IRQ_SET (an eventfd of a pool, -1, a number that is not open, a pipe), raises and
 * closes of the caller's eventfds. The model says which vector is bound to which eventfd; after
 * every command each eventfd's counter — read through an observer dup, so closed caller fds are
 * still seen — must be exactly what the model delivered, and the mock's bindings must match.
 */
import { openFdCount } from "../helpers/open-fds.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UioMsi } from "../../generated/ts/uio_msi/stubs.js";
import { isIoctlError } from "../../generated/ts/runtime/errors.js";
import { dupFd, eventfd, eventfdRead, pipe, type RealFd } from "../../generated/ts/runtime/real-fd.js";
import { UioMsiDevice } from "../../src/mocks/uio-msi.js";

const VECTORS = 3;
const POOL = 3;
/** A number no file of this process has (above anything the test opens). */
const NOT_OPEN = 999_999;

interface Model {
  /** vector → index of the bound eventfd in the pool. */
  bound: (number | undefined)[];
  /** What each pool eventfd's counter should be now. */
  counts: bigint[];
  callerOpen: boolean[];
}

interface Real {
  dev: UioMsiDevice;
  stub: UioMsi;
  callers: RealFd[];
  observers: RealFd[];
  pipeEnd: RealFd;
}

/** After every command: counters as the model says (then drained), bindings as the model says. */
function check(m: Model, r: Real): void {
  for (let i = 0; i < POOL; i++) {
    const seen = r.observers[i]!.waitReadable(0) ? eventfdRead(r.observers[i]!) : 0n;
    expect(seen, `eventfd ${i}`).toBe(m.counts[i]);
    m.counts[i] = 0n;
  }
  for (let v = 0; v < VECTORS; v++) expect(r.dev.isBound(v), `vector ${v}`).toBe(m.bound[v] !== undefined);
  expect(r.dev.references).toBe(m.bound.filter((b) => b !== undefined).length);
}

type Target = { kind: "eventfd"; index: number } | { kind: "none" } | { kind: "not-open" } | { kind: "pipe" };

class SetCommand implements fc.Command<Model, Real> {
  constructor(readonly vec: number, readonly target: Target) {}
  check(m: Readonly<Model>): boolean {
    // A closed caller number may be reused by the next dup; the closed case uses NOT_OPEN.
    return this.target.kind !== "eventfd" || m.callerOpen[this.target.index] === true;
  }
  run(m: Model, r: Real): void {
    const t = this.target;
    const fd = t.kind === "eventfd" ? r.callers[t.index]!.fd : t.kind === "none" ? -1 : t.kind === "not-open" ? NOT_OPEN : r.pipeEnd.fd;
    const expected = this.vec >= VECTORS ? "ERANGE" : t.kind === "not-open" ? "EBADF" : t.kind === "pipe" ? "EINVAL" : undefined;
    let got: string | undefined;
    try {
      r.stub.irqSet({ vec: this.vec, fd });
    } catch (e) {
      if (!isIoctlError(e)) throw e;
      got = e.code;
    }
    expect(got).toBe(expected);
    if (expected === undefined) m.bound[this.vec] = t.kind === "eventfd" ? t.index : undefined;
    check(m, r);
  }
  toString(): string {
    return `set(${this.vec}, ${this.target.kind === "eventfd" ? `efd${this.target.index}` : this.target.kind})`;
  }
}

class RaiseCommand implements fc.Command<Model, Real> {
  constructor(readonly vec: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const target = m.bound[this.vec];
    expect(r.dev.raise(this.vec)).toBe(target !== undefined);
    if (target !== undefined) m.counts[target]! += 1n;
    check(m, r);
  }
  toString(): string {
    return `raise(${this.vec})`;
  }
}

class CloseCallerCommand implements fc.Command<Model, Real> {
  constructor(readonly index: number) {}
  check(m: Readonly<Model>): boolean {
    return m.callerOpen[this.index] === true;
  }
  run(m: Model, r: Real): void {
    r.callers[this.index]!.close();
    m.callerOpen[this.index] = false;
    check(m, r);
  }
  toString(): string {
    return `closeCaller(efd${this.index})`;
  }
}

const target: fc.Arbitrary<Target> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: POOL - 1 }).map((index) => ({ kind: "eventfd" as const, index })) },
  { weight: 2, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "not-open" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "pipe" as const }) },
);
const vec = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: VECTORS - 1 }) }, { weight: 1, arbitrary: fc.integer({ min: VECTORS, max: 0xffffffff }) });

const commands = fc.commands(
  [
    fc.tuple(vec, target).map(([v, t]) => new SetCommand(v, t)),
    fc.integer({ min: 0, max: VECTORS - 1 }).map((v) => new RaiseCommand(v)),
    fc.integer({ min: 0, max: POOL - 1 }).map((i) => new CloseCallerCommand(i)),
  ],
  { maxCommands: 40, size: "max" },
);

describe("uio_msi mock: model-based", () => {
  it("random set/raise/close sequences signal exactly the eventfds the model says, and leak nothing", () => {
    const before = openFdCount();
    fc.assert(
      fc.property(commands, (cmds) => {
        const dev = new UioMsiDevice({ vectors: VECTORS });
        const callers = Array.from({ length: POOL }, () => eventfd(0, { nonblock: true }));
        const observers = callers.map((c) => dupFd(c.fd, "observer"));
        const [pr, pw] = pipe();
        const real: Real = { dev, stub: UioMsi.from(dev.open()), callers, observers, pipeEnd: pr };
        const model: Model = { bound: new Array(VECTORS).fill(undefined), counts: new Array(POOL).fill(0n), callerOpen: new Array(POOL).fill(true) };
        try {
          fc.modelRun(() => ({ model, real }), cmds);
        } finally {
          real.stub.close();
          for (const c of callers) if (!c.closed) c.close();
          for (const o of observers) o.close();
          pr.close();
          pw.close();
        }
        expect(dev.references).toBe(0);
      }),
      { numRuns: 150 },
    );
    expect(openFdCount()).toBe(before);
  });
});
