import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./fixtures/gc-leak.mts", import.meta.url));

describe("finalizers", () => {
  it("a RealFd or mapping dropped without close/unmap is released at GC, with a leak warning per fd", () => {
    const run = spawnSync(process.execPath, ["--expose-gc", "--no-warnings", "--import", "tsx", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as {
      before: number;
      dropped: { fds: number; maps: number };
      after: { fds: number; maps: number };
      warnings: string[];
    };
    expect(r.dropped).toEqual({ fds: r.before + 5, maps: 1 });
    expect(r.after).toEqual({ fds: r.before, maps: 0 });
    expect(r.warnings).toEqual(Array(5).fill("ResourceLeakWarning"));
  });
});
