/**
 * generated/ is the golden output: regenerating from specs/ must reproduce it byte for byte,
 * and the shipped specs must compile without errors.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { compileSpecs } from "../src/compiler.js";
import { emitAll } from "../src/emit/index.js";
import { compareOutputs } from "../src/emit/output.js";
import { renderText } from "../src/diagnostics/render.js";

const ROOT = join(import.meta.dirname, "..");

describe("shipped specs", () => {
  it("compile without errors, and generated/ is up to date", async () => {
    const prev = process.cwd();
    process.chdir(ROOT);
    try {
      const result = compileSpecs(["specs"]);
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      expect(errors.map(renderText)).toEqual([]);
      expect(result.program).toBeDefined();
      const files = await emitAll(result.program!, result.targets);
      const stale = compareOutputs(join(ROOT, "generated"), files);
      expect(stale, "generated/ is stale: run `npx abigen specs/` and commit").toEqual({ changed: [], extra: [] });
    } finally {
      process.chdir(prev);
    }
  });
});
