/**
 * The docs emitter: per family `docs/<family>.md` (for people browsing the repository),
 * `docs/<family>.rst` (for a kernel Documentation/ tree) and `docs/svg/<family>/<record>.svg`,
 * a picture of the bytes of every named struct and union.
 */
import type { Program } from "../../model/model.js";
import type { Target } from "../../targets/targets.js";
import { emitFamilies, type FamilyEmitter, type OutputFiles } from "../output.js";
import { familyRecords } from "../json.js";
import { tidy } from "./markup.js";
import { recordSvg } from "./svg.js";
import { templates } from "./templates.js";
import { familyView } from "./view.js";
import { registry } from "../../registry/registry.js";
import { familyLines, linesOf } from "../../registry/family-lines.js";

/** The program-wide registry lines worked out once, then one family's docs at a time. */
export function docsEmitter(program: Program, targets: readonly Target[]): FamilyEmitter {
  const { md, rst } = templates();
  const lines = familyLines(program, registry());
  return (f, files) => {
    const view = familyView(f, targets, linesOf(lines, f));
    files.set(`docs/${f.name}.md`, tidy(md(view)));
    files.set(`docs/${f.name}.rst`, tidy(rst(view)));
    for (const rec of familyRecords(f)) {
      if (!rec.anonymous) files.set(`docs/svg/${f.name}/${rec.name}.svg`, recordSvg(rec, targets));
    }
  };
}

export function emitDocs(program: Program, targets: readonly Target[]): OutputFiles {
  return emitFamilies(program, docsEmitter(program, targets));
}
