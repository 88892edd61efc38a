/**
 * The predefined-macro tests that pick a target's block in the layout tests: under each
 * target's compiler exactly one of them holds, and it is that target's own.
 */
import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { exactCondition, targetsCondition } from "../../src/emit/c/target-macros.js";
import { TARGETS } from "../../src/targets/targets.js";
import { C11_FLAGS, compile, hasCompiler, skipped, writeTemp } from "./c-harness.js";

describe("target macros", () => {
  it("names whole architectures only when every modelled ABI of them is included", () => {
    expect(targetsCondition(["powerpc", "ppc64le"])).toBe("defined(__powerpc__)");
    expect(targetsCondition(["ppc64le"])).toBe("(defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)");
    expect(targetsCondition(["alpha", "sparc64"])).toBe("defined(__alpha__) || defined(__sparc__)");
  });

  const present = TARGETS.filter((t) => hasCompiler(t.cc));
  for (const t of TARGETS) if (!present.includes(t)) skipped(`${t.cc} not installed: its target macro not checked`);

  it.skipIf(present.length === 0)(`exactly the compiler's own target matches (${present.length}/${TARGETS.length})`, async () => {
    const lines = TARGETS.flatMap((t, i) => [`#if ${exactCondition(t)}`, `#define HIT_${i} 1`, "#else", `#define HIT_${i} 0`, "#endif"]);
    lines.push(`_Static_assert(${TARGETS.map((_, i) => `HIT_${i}`).join(" + ")} == 1, "exactly one target matches");`);
    lines.push(`_Static_assert(EXPECTED == 1, "the compiler's own target matches");`);
    const dir = writeTemp(new Map());
    const file = join(dir, "targets.c");
    writeFileSync(file, lines.join("\n") + "\n");
    const results = await Promise.all(
      present.map((t) => compile(t.cc, [...C11_FLAGS, `-DEXPECTED=HIT_${TARGETS.indexOf(t)}`, file])),
    );
    expect(results.filter((r) => !r.ok).map((r) => `${r.cc}: ${r.output}`)).toEqual([]);
  });
});
