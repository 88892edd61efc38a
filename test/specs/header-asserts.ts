/**
 * Checking a spec against a real C header: a C file that includes the header and asserts, with
 * _Static_assert, every size and member offset the model lays out for one target, every
 * constant and enum member value, and every ioctl number the model encodes. GCC is the judge:
 * if the spec disagrees with the header in any number, the file does not compile.
 *
 * Unlike src/layout/c-asserts.ts (which re-declares the spec's own records to prove the layout
 * engine), nothing here is declared from the spec: the C side is the header as installed or as
 * published, so a wrong spec cannot agree with itself.
 */
import { spawnSync } from "node:child_process";
import type { FamilyModel, RecordModel, Type } from "../../src/model/model.js";
import { recordLayout, sizeAlign } from "../../src/layout/layout.js";
import { encodeIoctl, hex32 } from "../../src/targets/ioctl-encoding.js";
import type { Target } from "../../src/targets/targets.js";

export interface HeaderAssertOptions {
  /**
   * Fields the spec adds to make the header's implicit padding explicit (abigen rejects implicit
   * padding), as "record.path" — e.g. "kvm_run.fail_entry.__pad". The header has no such member,
   * so no offset is asserted for them; the offsets of their neighbours and the sizes pin them.
   */
  readonly specOnly?: ReadonlySet<string>;
  /** Constants the spec names that the header does not define. */
  readonly specOnlyConsts?: ReadonlySet<string>;
}

export interface HeaderAsserts {
  /** Lines of C: one _Static_assert each. */
  readonly lines: readonly string[];
  /** Which kinds of fact were asserted, for tests that make sure nothing was silently skipped. */
  readonly counts: { records: number; fields: number; constants: number; ioctls: number };
}

function elementType(type: Type): Type {
  return type.kind === "array" ? elementType(type.element) : type;
}

/** A C integer literal for an exact value (enum constants and 64-bit masks alike). */
function cInt(v: bigint): string {
  return v < 0n ? `(${v}ll)` : `${v}ull`;
}

export function headerAsserts(family: FamilyModel, target: Target, options: HeaderAssertOptions = {}): HeaderAsserts {
  const specOnly = options.specOnly ?? new Set<string>();
  const specOnlyConsts = options.specOnlyConsts ?? new Set<string>();
  const lines: string[] = [];
  const counts = { records: 0, fields: 0, constants: 0, ioctls: 0 };
  const check = (cond: string, what: string): void => {
    lines.push(`_Static_assert(${cond}, "${family.name}: ${what.replace(/["\\]/g, "")}");`);
  };

  // Members of `rec` at byte `base` of the C type `tag`, reached through the member path `prefix`.
  const walk = (tag: string, owner: string, rec: RecordModel, base: number, prefix: string): void => {
    for (const fl of recordLayout(rec, target).fields) {
      const f = fl.field;
      const offset = base + fl.offset;
      const el = elementType(f.type);
      if (f.name === undefined) {
        // An anonymous member: C11 promotes its members into the enclosing record.
        if (el.kind === "record") walk(tag, owner, el.decl, offset, prefix);
        continue;
      }
      const path = prefix + f.name;
      if (specOnly.has(`${owner}.${path}`)) continue;
      check(`offsetof(${tag}, ${path}) == ${offset}`, `offsetof(${owner}.${path}) is ${offset}`);
      check(`sizeof(((${tag} *)0)->${path}) == ${fl.size}`, `sizeof(${owner}.${path}) is ${fl.size}`);
      counts.fields++;
      // Inline records have no C name of their own: check their members through this path.
      if (el.kind === "record" && el.decl.anonymous) {
        walk(tag, owner, el.decl, offset, `${path}${f.type.kind === "array" ? "[0]" : ""}.`);
      }
    }
  };

  for (const d of family.decls) {
    switch (d.kind) {
      case "record": {
        const tag = `${d.record} ${d.name}`;
        const lay = recordLayout(d, target);
        check(`sizeof(${tag}) == ${lay.size}`, `sizeof(${d.name}) is ${lay.size}`);
        check(`_Alignof(${tag}) == ${lay.align}`, `alignof(${d.name}) is ${lay.align}`);
        counts.records++;
        walk(tag, d.name, d, 0, "");
        break;
      }
      case "const":
        if (specOnlyConsts.has(d.name)) break;
        check(`(${d.name}) == ${cInt(d.value)}`, `${d.name} is ${d.value}`);
        counts.constants++;
        break;
      case "enum":
        for (const m of d.members) {
          check(`(${m.name}) == ${cInt(m.value)}`, `${m.name} is ${m.value}`);
          counts.constants++;
        }
        break;
      case "ioctl": {
        const size = d.arg ? sizeAlign(d.arg, target).size : 0;
        const n = d.legacy
          ? (d.legacy.overrides.get(target.name) ?? d.legacy.number)
          : encodeIoctl(target.ioctl, d.dir, d.magic, d.nr, size);
        check(`(${d.name}) == ${hex32(n)}u`, `${d.name} is ${hex32(n)}`);
        counts.ioctls++;
        break;
      }
      default:
        break;
    }
  }
  return { lines, counts };
}

export interface GccOutcome {
  readonly ok: boolean;
  readonly errors: string;
}

/** `cc -fsyntax-only` on a C source; the first error lines when it fails. */
export function gccSyntaxOnly(cc: string, source: string): GccOutcome {
  const r = spawnSync(cc, ["-std=gnu11", "-fsyntax-only", "-x", "c", "-"], { input: source, encoding: "utf8" });
  const errors = (r.stderr ?? "").split("\n").filter((l) => /error/.test(l)).slice(0, 20).join("\n");
  return { ok: r.status === 0, errors: errors || (r.error ? String(r.error) : "") };
}

export function hasCompiler(cc: string): boolean {
  return spawnSync(cc, ["--version"], { stdio: "ignore" }).status === 0;
}
