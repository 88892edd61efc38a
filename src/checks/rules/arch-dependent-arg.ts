/**
 * ABI056 (warning): int, uint, long, ulong or ptr anywhere in what an ioctl passes — the pointed-to
 * argument (through nested records and arrays) or the by-value argument. Their size or alignment
 * differs between targets (long and pointers are 4 or 8 bytes; int aligns to 2 on m68k), so a
 * 32-bit process on a 64-bit kernel needs compat code. One warning per ioctl, naming every path.
 */
import type { RecordModel, Type } from "../../model/model.js";
import type { Rule } from "../rule.js";
import { allIoctls } from "../ioctls.js";

export const archDependentArg: Rule = {
  name: "arch-dependent-arg",
  codes: ["ABI056"],
  check(ctx) {
    const memo = new Map<RecordModel, boolean>();
    for (const io of allIoctls(ctx.program)) {
      const found: string[] = [];
      // Paths are spelled out only for an argument that has something to report (rarely).
      if (io.arg && hasArchDependent(io.arg, memo)) collect(io.arg, "arg", found, new Set());
      if (io.value?.type.archDependent) found.push(`value (${io.value.type.name})`);
      if (found.length === 0) continue;
      ctx.report("ABI056", io, {
        message: `ioctl \`${io.name}\` passes arch-dependent types: ${found.map((f) => `\`${f.replace(/ \(/, "` (")}`).join(", ")}`,
        hint:
          "use fixed-size types: s32/u32 for int, s64/u64 for long, u64 @ptr for pointers; for an ABI " +
          "that cannot change add @allow(ABI056, \"reason\")",
        loc: io.loc,
      });
    }
  },
};

/** Whether collect would find anything in `type` (records memoised in `memo`). */
function hasArchDependent(type: Type, memo: Map<RecordModel, boolean>): boolean {
  switch (type.kind) {
    case "scalar": return type.scalar.archDependent === true;
    case "enum": return false;
    case "array": return hasArchDependent(type.element, memo);
    case "record": {
      const known = memo.get(type.decl);
      if (known !== undefined) return known;
      memo.set(type.decl, false); // recursion guard, as collect's `visiting`
      const result = type.decl.fields.some((f) => hasArchDependent(f.type, memo));
      memo.set(type.decl, result);
      return result;
    }
  }
}

/** Append "path (type)" for every arch-dependent scalar inside `type`. */
function collect(type: Type, path: string, out: string[], visiting: Set<RecordModel>): void {
  switch (type.kind) {
    case "scalar":
      if (type.scalar.archDependent) out.push(`${path} (${type.alias ?? type.scalar.name})`);
      return;
    case "enum":
      return; // stored as a fixed-size base type (ABI043 rejects others)
    case "array":
      collect(type.element, `${path}[]`, out, visiting);
      return;
    case "record": {
      if (visiting.has(type.decl)) return; // recursive types are rejected earlier; be safe anyway
      visiting.add(type.decl);
      for (const f of type.decl.fields) collect(f.type, f.name === undefined ? path : `${path}.${f.name}`, out, visiting);
      visiting.delete(type.decl);
      return;
    }
  }
}
