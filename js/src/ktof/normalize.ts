/**
 * Bring a JavaScript value into the JSON data model before encoding, or say exactly where it
 * fails (the mirror of Python's `_normalize.py`).
 *
 * The result is the codec's internal form: `null`, booleans, strings, ints (`bigint` or
 * safe-integer `number`), floats (`number` or {@link KFloat}), arrays and `Map`s (ordered keys).
 * Errors name the JSON path of the offending value (`$.orders[3].created`).
 */
import { KTOFEncodeError } from "./errors.js";
import { INT_DIGIT_LIMIT } from "./numbers.js";
import { KFloat } from "./values.js";

/** Deepest nesting the encoder accepts (the decoder accepts the same). */
export const MAX_DEPTH = 200;

/** A value in the codec's internal JSON model. */
export type Normalized =
  | null
  | boolean
  | number
  | bigint
  | string
  | KFloat
  | Normalized[]
  | Map<string, Normalized>;

/** Converts values that are not JSON (like `json.dumps`'s `default`). */
export type DefaultFn = (value: unknown) => unknown;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** JSONPath of `parts`: `$.a[3]["b c"]` (bracket notation for non-identifier keys). */
export function formatPath(parts: readonly (string | number)[]): string {
  let out = "$";
  for (const part of parts) {
    if (typeof part === "number") out += `[${part}]`;
    else if (IDENTIFIER.test(part)) out += `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

function typeName(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "object" && value !== null) {
    const ctor = (value as { constructor?: { name?: string } }).constructor;
    return ctor?.name ?? "Object";
  }
  return typeof value;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** One normalization run: `lossy` (TOON mode) maps NaN/Infinity to null (TOON §3) instead of throwing. */
export class Normalizer {
  readonly path: (string | number)[] = [];

  constructor(
    readonly defaultFn: DefaultFn | undefined,
    readonly lossy: boolean,
  ) {}

  error(message: string): KTOFEncodeError {
    return new KTOFEncodeError(message, formatPath(this.path));
  }

  value(value: unknown, depth = 0): Normalized {
    switch (typeof value) {
      case "string":
        if (LONE_SURROGATE.test(value)) throw this.error("lone surrogate in a string: not valid Unicode text");
        return value;
      case "boolean":
        return value;
      case "number":
        if (!Number.isFinite(value)) return this.nonFinite(value, depth);
        return value;
      case "bigint":
        return this.bigint(value);
      case "object":
        if (value === null) return null;
        if (Array.isArray(value)) return this.sequence(value, depth);
        if (value instanceof KFloat) {
          if (!Number.isFinite(value.value)) return this.nonFinite(value.value, depth);
          return value;
        }
        if (value instanceof Map) return this.mapping(value.entries(), depth);
        if (isPlainObject(value)) return this.mapping(Object.entries(value), depth);
        return this.other(value, depth);
      default:
        return this.other(value, depth);
    }
  }

  nonFinite(value: number, depth: number): Normalized {
    if (this.defaultFn !== undefined) return this.convert(value, depth);
    if (this.lossy) return null;
    const text = Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
    throw this.error(`${text} is not a finite number; JSON has no NaN/Infinity`);
  }

  bigint(value: bigint): bigint {
    const digits = (value < 0n ? -value : value).toString().length;
    if (digits > INT_DIGIT_LIMIT) {
      throw this.error(
        `integer with more than ${INT_DIGIT_LIMIT} digits: Python's int/str digit limit ` +
          "(sys.set_int_max_str_digits) would keep decode from reading it back",
      );
    }
    return value;
  }

  mapping(entries: Iterable<[unknown, unknown]>, depth: number): Map<string, Normalized> {
    if (depth >= MAX_DEPTH) throw this.error(`nesting deeper than ${MAX_DEPTH} levels`);
    const out = new Map<string, Normalized>();
    const path = this.path;
    for (const [key, item] of entries) {
      if (typeof key !== "string") {
        throw this.error(`object keys must be str, found ${typeName(key)} key ${String(key)}`);
      }
      path.push(key);
      if (LONE_SURROGATE.test(key)) throw this.error("lone surrogate in a string: not valid Unicode text");
      out.set(key, this.value(item, depth + 1));
      path.pop();
    }
    return out;
  }

  sequence(items: readonly unknown[], depth: number): Normalized[] {
    if (depth >= MAX_DEPTH) throw this.error(`nesting deeper than ${MAX_DEPTH} levels`);
    const out: Normalized[] = new Array<Normalized>(items.length);
    const path = this.path;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const kind = typeof item;
      if (kind === "string" && !LONE_SURROGATE.test(item as string)) {
        out[i] = item as string;
        continue;
      }
      path.push(i);
      out[i] = this.value(item, depth + 1);
      path.pop();
    }
    return out;
  }

  /** Apply `default` (like `json.dumps`) and normalize what it returns. */
  convert(value: unknown, depth: number): Normalized {
    const convert = this.defaultFn;
    if (convert === undefined) throw this.error(`${typeName(value)} is not JSON serializable`);
    if (depth >= MAX_DEPTH) throw this.error(`nesting deeper than ${MAX_DEPTH} levels`);
    let converted: unknown;
    try {
      converted = convert(value);
    } catch (exc) {
      if (exc instanceof KTOFEncodeError) throw exc;
      if (exc instanceof TypeError || exc instanceof RangeError) {
        throw this.error(`default() could not convert ${typeName(value)}: ${exc.message}`);
      }
      throw exc;
    }
    const number = converted instanceof KFloat ? converted.value : converted;
    if (typeof number === "number" && !Number.isFinite(number)) {
      throw this.error(`default() returned ${String(number)}; JSON has no NaN/Infinity`);
    }
    return this.value(converted, depth + 1);
  }

  other(value: unknown, depth: number): Normalized {
    if (this.defaultFn !== undefined) return this.convert(value, depth);
    throw this.error(`${typeName(value)} is not JSON serializable (pass default to convert it)`);
  }
}

/** `value` in the codec's internal JSON model (see {@link Normalizer}). */
export function normalize(value: unknown, defaultFn: DefaultFn | undefined, lossy: boolean): Normalized {
  return new Normalizer(defaultFn, lossy).value(value);
}
