/** `abigen fmt`: print specs in canonical form (gofmt-style); `--write` rewrites, `--check` lists files that differ. */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { UsageError, findSpecFiles } from "../compiler.js";
import { Diagnostics } from "../diagnostics/diagnostic.js";
import { renderText } from "../diagnostics/render.js";
import { parseSource } from "../syntax/parse.js";
import { printFile } from "../syntax/printer.js";
import { Source } from "../syntax/source.js";
import { relative } from "node:path";
import type { Io } from "./main.js";

export async function fmtCommand(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { write: { type: "boolean", default: false }, check: { type: "boolean", default: false } },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError("fmt: give spec files or directories");
  if (values.write && values.check) throw new UsageError("fmt: --write and --check do not go together");

  let status = 0;
  for (const abs of findSpecFiles(positionals)) {
    const name = relative(process.cwd(), abs) || abs;
    const text = readFileSync(abs, "utf8");
    const diags = new Diagnostics();
    const file = parseSource(new Source(name, text), diags);
    if (diags.hasErrors()) {
      // Never rewrite a file we could not parse completely: formatting would drop text.
      for (const d of diags.sorted()) io.err(renderText(d) + "\n");
      status = 1;
      continue;
    }
    const formatted = printFile(file);
    if (values.check) {
      if (formatted !== text) {
        io.err(`${name}: not in canonical form`);
        status = 1;
      }
    } else if (values.write) {
      if (formatted !== text) writeFileSync(abs, formatted);
    } else {
      io.out(formatted.replace(/\n$/, ""));
    }
  }
  return status;
}
