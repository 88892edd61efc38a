/** One classified difference between two ABI locks. */
import { KINDS, type Impact, type Kind, type Severity } from "./kinds.js";

export interface Change {
  readonly kind: Kind;
  readonly severity: Severity;
  readonly impact: Impact;
  /** The family the change belongs to (the new side's, or the old side's for removals). */
  readonly family: string;
  /** What changed: `ioctl GH_VM_MAP_MEM`, `struct gh_fn_desc`, `enum gunyah_map_flags`, `const X`, `fd vcpu`. */
  readonly subject: string;
  /** Within the subject: a field path (`mmio.resume_action`) or an enum member. */
  readonly path?: string;
  /** Targets on which it differs; absent when the change does not depend on the target. */
  readonly targets?: readonly string[];
  /** The explanation, naming the ioctl/field and the targets. */
  readonly message: string;
}

export type Emit = (c: Omit<Change, "severity" | "impact">) => void;

export function makeChange(c: Omit<Change, "severity" | "impact">): Change {
  const info = KINDS[c.kind];
  return { ...c, severity: info.severity, impact: info.impact };
}
