/**
 * Whether a parsed JSON number still says what its source text said, digit for digit
 * (Python's `engine/exact.py`). `0.123456789012345678` parses to the nearest double, whose
 * shortest text is `0.12345678901234568`: the engine replaces a fragment only when every
 * float literal in it survives the trip.
 *
 * Two literals are the same number when they differ only in formatting: `1.50` and `1.5`,
 * `1e5` and `100000.0`. `1e400` (Infinity) and `1e-400` (0) are not the numbers they spell.
 * Both languages print a double with its shortest round-trip digits (Python's `repr`, JS's
 * `String`), so the keys of the two printouts agree.
 */

export const FAST_MAX_CHARS = 16;
/** Smallest normal double; below it doubles are subnormal and hold fewer digits. */
export const MIN_NORMAL = 2.2250738585072014e-308;
const MAX_EXPONENT_CHARS = 24;

/** (negative, significant digits without leading/trailing zeros, decimal point position). */
export type DecimalKey = readonly [boolean, string, number];

/** The number a JSON number literal spells, ignoring formatting; undefined if unusable. */
export function decimalKey(literal: string): DecimalKey | undefined {
  const negative = literal.startsWith("-");
  const body = (negative ? literal.slice(1) : literal).toLowerCase();
  const e = body.indexOf("e");
  const mantissa = e < 0 ? body : body.slice(0, e);
  let exponent = e < 0 ? "" : body.slice(e + 1);
  const dot = mantissa.indexOf(".");
  const whole = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const fraction = dot < 0 ? "" : mantissa.slice(dot + 1);
  const digits = whole + fraction;
  const significant = digits.replace(/^0+/, "");
  if (significant === "") return [negative, "", 0];
  exponent = exponent.replace(/^\+/, "");
  const magnitude = exponent.replace(/^-/, "").replace(/^0+/, "");
  if (magnitude.length > MAX_EXPONENT_CHARS) return undefined;
  if (exponent !== "" && !/^-?\d+$/.test(exponent)) return undefined;
  const shift = exponent === "" ? 0 : Number(exponent);
  const point = whole.length - (digits.length - significant.length) + shift;
  return [negative, significant.replace(/0+$/, ""), point];
}

/** Whether `value` (parsed from JSON `literal`) writes back as the same number. */
export function floatIsExact(literal: string, value: number): boolean {
  const magnitude = Math.abs(value);
  if (literal.length <= FAST_MAX_CHARS && magnitude >= MIN_NORMAL && magnitude < Infinity) return true;
  if (!Number.isFinite(value)) return false;
  const source = decimalKey(literal);
  const written = decimalKey(Object.is(value, -0) ? "-0" : String(value));
  return (
    source !== undefined &&
    written !== undefined &&
    source[0] === written[0] &&
    source[1] === written[1] &&
    source[2] === written[2]
  );
}
