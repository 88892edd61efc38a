/** Small helpers for writing generated function bodies. */

/** A byte offset: `o + 16`, `o + 64 + i0 * 48` — symbolic terms plus a folded constant. */
export class Off {
  constructor(
    readonly terms: readonly string[],
    readonly k: number,
  ) {}

  static base(name: string): Off {
    return new Off([name], 0);
  }

  plus(n: number): Off {
    return new Off(this.terms, this.k + n);
  }

  /** `this + index * stride`. */
  index(index: string, stride: number): Off {
    return new Off([...this.terms, stride === 1 ? index : `${index} * ${stride}`], this.k);
  }

  toString(): string {
    if (this.terms.length === 0) return String(this.k);
    return this.k === 0 ? this.terms.join(" + ") : `${this.terms.join(" + ")} + ${this.k}`;
  }
}

/** Lines of a function body plus fresh local names. */
export class Body {
  readonly lines: string[] = [];
  private counter = 0;
  /** Loop nesting depth: names loop indices i0, i1, … */
  depth = 0;

  /**
   * `fast`: an encoder body whose checks `return false` instead of throwing (its caller then
   * runs the throwing twin to build the exact error); otherwise checks throw.
   */
  constructor(readonly fast = false) {}

  /** The statement a failed check runs: throw `error`, or in a fast body `return false`. */
  fail(error: string): string {
    return this.fast ? "return false;" : `throw ${error};`;
  }

  tmp(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  push(...lines: string[]): void {
    this.lines.push(...lines);
  }

  text(): string {
    return this.lines.join("\n");
  }
}

/** A path literal for error constructors: `["rules", i0, "len"]`. */
export function pathLit(segments: readonly string[]): string {
  return `[${segments.join(", ")}]`;
}

/** A path segment for a field name. */
export function nameSeg(name: string): string {
  return JSON.stringify(name);
}
