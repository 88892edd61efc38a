/**
 * Integer literals in C. abigen evaluates constants exactly (up to 64 bits, signed or unsigned);
 * a C literal carries a type too, so a value outside `int` needs a suffix or the compiler would
 * warn (or, for 1 << 40, silently compute something else). The most negative 64-bit value has
 * no literal at all and is written as the kernel does, `(-0x7fffffffffffffffLL - 1)`.
 */

export const INT_MIN = -(2n ** 31n);
export const INT_MAX = 2n ** 31n - 1n;
const UINT_MAX = 2n ** 32n - 1n;
const LLONG_MAX = 2n ** 63n - 1n;

export function fitsInt(v: bigint): boolean {
  return v >= INT_MIN && v <= INT_MAX;
}

/** True when the C text is more than one token (a define then needs parentheses). */
export function isCompound(text: string): boolean {
  return /[\s+\-~!*/%<>&|^]/.test(text.replace(/^0x/i, ""));
}

/**
 * `value` as a C literal: plain when it fits `int`, else with U / ULL / LL. Hex when asked for
 * (the source wrote hex or bit operations) and for anything past INT_MAX (masks read better so).
 */
export function cIntLiteral(value: bigint, preferHex = false): string {
  const hex = (v: bigint): string => "0x" + v.toString(16);
  if (value >= 0n) {
    const body = preferHex || value > INT_MAX ? hex(value) : value.toString();
    if (value <= INT_MAX) return body;
    if (value <= UINT_MAX) return body + "U";
    return body + "ULL";
  }
  if (value >= INT_MIN) return "-" + (preferHex ? hex(-value) : (-value).toString());
  if (-value <= LLONG_MAX) return "-" + hex(-value) + "LL";
  return "(-0x7fffffffffffffffLL - 1)";
}

/** The literal wrapped in parentheses when it is more than one token (negative values). */
export function cIntValue(value: bigint, preferHex = false): string {
  const text = cIntLiteral(value, preferHex);
  return isCompound(text) && !text.startsWith("(") ? `(${text})` : text;
}
