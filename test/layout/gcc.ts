/** Running a target's cross compiler on C text (stdin), for tests that take GCC as the truth. */
import { spawn, spawnSync } from "node:child_process";

export function hasCompiler(cc: string): boolean {
  return spawnSync("which", [cc], { stdio: "ignore" }).status === 0;
}

export interface CompileOutcome {
  readonly ok: boolean;
  readonly stderr: string;
}

/** `cc -std=gnu11 -ffreestanding -fsyntax-only -x c -` with `source` on stdin. */
export function compileC(cc: string, source: string, extraArgs: readonly string[] = []): Promise<CompileOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(cc, ["-std=gnu11", "-ffreestanding", "-fsyntax-only", ...extraArgs, "-x", "c", "-"], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ ok: code === 0, stderr }));
    child.stdin.end(source);
  });
}

/** The first few error lines of a failed compile, for a readable test failure. */
export function errorsOf(outcome: CompileOutcome, max = 15): string {
  return outcome.stderr.split("\n").filter((l) => /error/.test(l)).slice(0, max).join("\n");
}
