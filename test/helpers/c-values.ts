/**
 * Ask a C compiler for the values of integer constant expressions — the truth for ioctl numbers,
 * sizes and offsets. Works for cross compilers too: the expressions become a static array,
 * compiled to assembly (-S), and the values are read back from the data directives, so nothing
 * has to run on the target.
 */
import { execFileSync, spawnSync } from "node:child_process";

export function haveCompiler(cc: string): boolean {
  return spawnSync(cc, ["--version"], { stdio: "ignore" }).status === 0;
}

/** Values of `exprs` (each a C integer constant expression) as unsigned 32-bit numbers. */
export function cValues(exprs: readonly string[], options: { cc?: string; prelude?: string; args?: string[] } = {}): number[] {
  const src = `${options.prelude ?? ""}
unsigned int abigen_values[] = {
${exprs.map((e) => `  (unsigned int)(${e}),`).join("\n")}
};
`;
  const asm = execFileSync(options.cc ?? "gcc", ["-std=gnu11", "-O0", "-S", "-o", "-", "-x", "c", "-", ...(options.args ?? [])], {
    input: src,
    encoding: "utf8",
  });
  const body = asm.slice(asm.indexOf("abigen_values:"));
  const values = [...body.matchAll(/^\s*\.(?:long|word|4byte|int)\s+(-?\w+)/gm)].map((m) => Number(BigInt.asUintN(32, BigInt(m[1]!))));
  if (values.length < exprs.length) throw new Error(`could not read ${exprs.length} values from ${options.cc ?? "gcc"} output`);
  return values.slice(0, exprs.length);
}
