/**
 * A spec source file and the location helpers built on it.
 *
 * Nodes and tokens carry character offsets only; line and column are computed when a
 * diagnostic is printed (graphql-js style), from a lazily built table of line starts.
 */
export class Source {
  private lineStarts: number[] | undefined;

  constructor(
    /** Path as the user gave it (relative paths stay relative: diagnostics print them). */
    readonly name: string,
    readonly text: string,
  ) {}

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    const start = starts[line - 1];
    if (start === undefined) return "";
    const next = starts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, "");
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** A half-open character range [start, end) in a source. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A span together with the source it belongs to. */
export interface Loc extends Span {
  readonly source: Source;
}

export function locOf(source: Source, span: Span): Loc {
  return { source, start: span.start, end: span.end };
}

/** "file:line:col" for messages. */
export function formatLoc(loc: Loc): string {
  const { line, column } = loc.source.position(loc.start);
  return `${loc.source.name}:${line}:${column}`;
}
