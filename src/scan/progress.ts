/**
 * A one-line progress counter on stderr (`\r`-rewritten), only for a terminal: quiet when
 * stderr is not a TTY or CI=true, so logs stay clean.
 */
export interface Progress {
  tick(done: number, total: number, what: string): void;
  done(): void;
}

const QUIET: Progress = { tick() {}, done() {} };

export function progressFor(enabled?: boolean): Progress {
  const on = enabled ?? (process.stderr.isTTY === true && process.env.CI !== "true");
  if (!on) return QUIET;
  let last = 0;
  let shown = false;
  return {
    tick(done, total, what) {
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      shown = true;
      const line = `scan: ${done}/${total} headers  ${what}`;
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 80) - 1).padEnd((process.stderr.columns ?? 80) - 1)}`);
    },
    done() {
      if (shown) process.stderr.write(`\r${" ".repeat((process.stderr.columns ?? 80) - 1)}\r`);
    },
  };
}
