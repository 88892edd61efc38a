/**
 * Decoding integer, character and string literals (docs/language.md, "Lexical structure").
 *
 * Each decoder returns the value or a problem with the offending sub-span (relative to the
 * literal's start), reported by the caller as ABI001.
 */

export interface LiteralProblem {
  readonly message: string;
  readonly hint: string;
  /** Offsets relative to the literal's first character. */
  readonly start: number;
  readonly end: number;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; problem: LiteralProblem };

const INT_HINT = "integers are decimal (1024), hex (0x4e), octal (0o17 or 017) or binary (0b101), with optional _ separators and a u/ul/ull suffix";

const DIGITS: Record<number, RegExp> = {
  16: /^[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*$/,
  10: /^[0-9]+(?:_[0-9]+)*$/,
  8: /^[0-7]+(?:_[0-7]+)*$/,
  2: /^[01]+(?:_[01]+)*$/,
};
const PREFIX: Record<number, string> = { 16: "0x", 10: "", 8: "0o", 2: "0b" };

export function decodeInt(raw: string): Decoded<bigint> {
  // Plain decimal (not C octal) and plain 0x hex, the common spellings: no regexes, no slices.
  const fast = plainDigits(raw);
  if (fast !== undefined) return { ok: true, value: BigInt(fast) };
  const bad = (): Decoded<bigint> => ({
    ok: false,
    problem: { message: `invalid integer literal ${JSON.stringify(raw)}`, hint: INT_HINT, start: 0, end: raw.length },
  });
  const body = raw.replace(/(?:u|ul|ull)$/i, "");
  let radix: number;
  let digits: string;
  const p = body.slice(0, 2).toLowerCase();
  if (p === "0x") [radix, digits] = [16, body.slice(2)];
  else if (p === "0o") [radix, digits] = [8, body.slice(2)];
  else if (p === "0b") [radix, digits] = [2, body.slice(2)];
  else if (body.length > 1 && body[0] === "0") [radix, digits] = [8, body.slice(1)]; // C octal: 017
  else [radix, digits] = [10, body];
  if (!DIGITS[radix]!.test(digits)) return bad();
  return { ok: true, value: BigInt(PREFIX[radix]! + digits.replaceAll("_", "")) };
}

/**
 * `raw` itself when it is decimal digits without a leading 0 (or just "0"), or 0x/0X and hex
 * digits (then spelled "0x…", as the general path does): what BigInt reads as decodeInt would.
 */
function plainDigits(raw: string): string | undefined {
  const n = raw.length;
  const c0 = raw.charCodeAt(0);
  if (c0 !== 48 || n === 1) {
    for (let i = 0; i < n; i++) {
      const c = raw.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    return raw;
  }
  const c1 = raw.charCodeAt(1);
  if ((c1 !== 120 && c1 !== 88) || n === 2) return undefined;
  for (let i = 2; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return undefined;
  }
  return c1 === 120 ? raw : "0x" + raw.slice(2);
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, "0": 0, "\\": 92, "'": 39, '"': 34 };

/**
 * Decodes the escapes of a quoted literal's body. `offset` is the body's offset within the
 * literal (1, after the quote), for problem spans.
 */
function unescape(body: string, offset: number, what: string): Decoded<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i)!;
    if (cp !== 92) {
      codes.push(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1] ?? "";
    if (e === "x") {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 2))?.[0];
      if (!hex) {
        return problem(`invalid escape in ${what}: \\x needs one or two hex digits`, offset + i, offset + i + 2);
      }
      codes.push(parseInt(hex, 16));
      i += 2 + hex.length;
    } else if (e in SIMPLE_ESCAPES) {
      codes.push(SIMPLE_ESCAPES[e]!);
      i += 2;
    } else {
      return problem(`unknown escape \\${e} in ${what}`, offset + i, offset + i + 2);
    }
  }
  return { ok: true, value: codes };
}

function problem<T>(message: string, start: number, end: number): Decoded<T> {
  return { ok: false, problem: { message, hint: 'the escapes are \\" \\\\ \\\' \\n \\t \\r \\0 and \\xHH', start, end } };
}

/** `"linux/gunyah.h"` → `linux/gunyah.h`. */
export function decodeString(raw: string): Decoded<string> {
  const r = unescape(raw.slice(1, -1), 1, "string");
  if (!r.ok) return r;
  return { ok: true, value: String.fromCodePoint(...r.value) };
}

/** `'G'` → 71; exactly one byte. */
export function decodeChar(raw: string): Decoded<bigint> {
  const r = unescape(raw.slice(1, -1), 1, "character literal");
  if (!r.ok) return r;
  const hint = "a character literal is one byte: 'G', '\\0' or '\\x7f'";
  if (r.value.length !== 1) {
    const message = r.value.length === 0 ? "empty character literal" : `character literal ${raw} holds more than one character`;
    return { ok: false, problem: { message, hint, start: 0, end: raw.length } };
  }
  const v = r.value[0]!;
  // A written non-ASCII character is several bytes in UTF-8; escapes may give any byte.
  const escaped = raw[1] === "\\";
  if (v > 255 || (!escaped && v > 127)) {
    return { ok: false, problem: { message: `character literal ${raw} is not one byte`, hint, start: 0, end: raw.length } };
  }
  return { ok: true, value: BigInt(v) };
}
