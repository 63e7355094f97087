/**
 * Number text exactly as Python writes it: `repr(float)`, KTOF's type-keeping form and TOON's
 * canonical form. Both sides derive floats from the shortest round-trip digits (ECMAScript's
 * `toExponential()` and Python's `repr` pick the same digits), then lay them out by Python's
 * rules, so the bytes agree.
 */
import { KFloat, isIntNumber } from "./values.js";

/** Python's int/str digit limit (`sys.get_int_max_str_digits()` default): longer ints are refused. */
export const INT_DIGIT_LIMIT = 4300;

/** Sign, shortest digits and decimal exponent of a finite non-zero number (`d.ddd × 10^exp`). */
function shortest(value: number): [string, string, number] {
  const text = value.toExponential();
  const e = text.indexOf("e");
  const sign = text[0] === "-" ? "-" : "";
  const digits = text.slice(sign.length, e).replace(".", "");
  return [sign, digits, Number(text.slice(e + 1))];
}

/** `repr(value)` of a Python float: `3.0`, `-0.0`, `0.0001`, `1e-05`, `1e+16`, `1.5e+300`. */
export function floatRepr(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [sign, digits, exp] = shortest(value);
  const decpt = exp + 1;
  if (decpt <= -4 || decpt > 16) {
    const mantissa = digits.length > 1 ? `${digits[0] ?? ""}.${digits.slice(1)}` : digits;
    const expSign = exp < 0 ? "-" : "+";
    const expDigits = String(Math.abs(exp)).padStart(2, "0");
    return `${sign}${mantissa}e${expSign}${expDigits}`;
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** Tidy Python's `1e-07` / `1e+21` into the shortest JSON exponent `1e-7` / `1e21`. */
export function exponentText(text: string): string {
  const e = text.indexOf("e");
  if (e === -1) return text;
  const exponent = text.slice(e + 1);
  const sign = exponent.startsWith("-") ? "-" : "";
  const digits = exponent.replace(/^[+-]/, "").replace(/^0+/, "") || "0";
  return `${text.slice(0, e)}e${sign}${digits}`;
}

/** Whether a normalized number is an int (`bigint`, or a safe-integer `number` other than -0). */
export function isInt(value: number | bigint | KFloat): value is number | bigint {
  return typeof value === "bigint" || (typeof value === "number" && isIntNumber(value));
}

/** The float value of a normalized float (`number` or {@link KFloat}). */
export function floatOf(value: number | KFloat): number {
  return typeof value === "number" ? value : value.value;
}

/** Decimal digits of an int. */
export function intText(value: number | bigint): string {
  return typeof value === "bigint" ? value.toString() : String(value);
}

/** KTOF auto mode: ints as digits, floats always with `.` or `e` (`3.0`, `1e-7`, `1e16`). */
export function numberText(value: number | bigint | KFloat): string {
  if (isInt(value)) return intText(value);
  return exponentText(floatRepr(floatOf(value)));
}

/** Python's `json.dumps` of a number: ints as digits, floats as `repr` (`1e+16`, `3.0`). */
export function jsonNumber(value: number | bigint | KFloat): string {
  if (isInt(value)) return intText(value);
  return floatRepr(floatOf(value));
}

/** TOON §2 canonical number: no exponent in [1e-6, 1e21), `-0` -> `0`, `1.0` -> `1`. */
export function toonNumber(value: number | bigint | KFloat): string {
  if (isInt(value)) return intText(value);
  const v = floatOf(value);
  if (v === 0) return "0";
  const magnitude = Math.abs(v);
  if (Number.isInteger(v) && magnitude < 1e21) return BigInt(v).toString();
  const text = floatRepr(v);
  if (magnitude >= 1e-6 && magnitude < 1e21) {
    if (text.includes("e")) {
      // Python: format(Decimal(text), "f"), the exact decimal of the repr digits.
      const [sign, digits, exp] = shortest(v);
      const decpt = exp + 1;
      let fixed: string;
      if (decpt <= 0) fixed = `0.${"0".repeat(-decpt)}${digits}`;
      else if (decpt >= digits.length) fixed = digits + "0".repeat(decpt - digits.length);
      else fixed = `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
      return stripZeros(sign + fixed);
    }
    return stripZeros(text);
  }
  return exponentText(text);
}

function stripZeros(text: string): string {
  if (!text.includes(".")) return text;
  return text.replace(/0+$/, "").replace(/\.$/, "");
}
