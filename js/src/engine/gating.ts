/**
 * Decide whether one JSON fragment is worth replacing by its KTOF text (Python's
 * `engine/gating.py`). A fragment is replaced only when the replacement saves at least
 * `minTokensSaved` tokens *and* `minPercentSaved` percent of the fragment's tokens, both
 * counted with the caller's model; saving zero tokens never counts. A replacement is decoded
 * and compared with the original value (type-exactly in auto mode) before it is used, so a
 * codec bug costs a skipped fragment (reason `error`), never a corrupted prompt. Outcomes are
 * cached by (fragment text, model, settings).
 */
import { decode, encode, encodeCounted, sameValue } from "../ktof/index.js";
import { countTokens } from "../tokens.js";
import { ENGINE_CACHE, MAX_CACHED_CHARS } from "./cache.js";
import type { EncodeMode, FragmentReason } from "./defaults.js";
import { valueEqual } from "./equal.js";

/** Fence label for replacement text that is exactly what plain TOON 4.0 encoding gives. */
export const TOON_LABEL = "toon";
/** Fence label for replacement text that uses KTOF extensions (or may; the safe default). */
export const KTOF_LABEL = "ktof";

/** The options that change a fragment's outcome; `key` makes them part of cache keys. */
export interface GateSettings {
  mode: EncodeMode;
  minTokensSaved: number;
  minPercentSaved: number;
  indent: number | undefined;
  delimiter: string | undefined;
  verify: boolean;
  jsonl: boolean;
  key: string;
}

/** The decision for one fragment; `encoded` is set only when `reason` is compressed. */
export interface Outcome {
  reason: FragmentReason;
  tokensBefore: number;
  tokensAfter: number;
  encoded: string | undefined;
  label: string;
}

function encodeOptions(settings: GateSettings, model: string, mode: EncodeMode = settings.mode) {
  return {
    mode,
    model,
    ...(settings.indent === undefined ? {} : { indent: settings.indent }),
    ...(settings.delimiter === undefined ? {} : { delimiter: settings.delimiter }),
  };
}

/** Tokens of `text` for `model`, cached like outcomes. */
export function count(text: string, model: string): number {
  if (text.length > MAX_CACHED_CHARS) return countTokens(text, model);
  const key = `count\u0000${model}\u0000${text}`;
  const cached = ENGINE_CACHE.get(key);
  if (typeof cached === "number") return cached;
  const tokens = countTokens(text, model);
  ENGINE_CACHE.put(key, tokens);
  return tokens;
}

/** Outcome for a parsed fragment whose source text is `jsonText` (cached). */
export function decide(jsonText: string, value: unknown, model: string, settings: GateSettings, fenced: boolean): Outcome {
  if (jsonText.length > MAX_CACHED_CHARS) return decideNow(jsonText, value, model, settings, fenced);
  const key = `decide\u0000${model}\u0000${settings.key}\u0000${String(fenced)}\u0000${jsonText}`;
  const cached = ENGINE_CACHE.get(key) as Outcome | undefined;
  if (cached !== undefined) return cached;
  const outcome = decideNow(jsonText, value, model, settings, fenced);
  ENGINE_CACHE.put(key, outcome);
  return outcome;
}

function keep(reason: FragmentReason, tokens: number): Outcome {
  return { reason, tokensBefore: tokens, tokensAfter: tokens, encoded: undefined, label: KTOF_LABEL };
}

function decideNow(jsonText: string, value: unknown, model: string, settings: GateSettings, fenced: boolean): Outcome {
  const before = count(jsonText, model);
  const floor = Math.max(settings.minTokensSaved, 1);
  if (before <= floor) return keep("too_small", before);
  let encoded: string;
  let after: number;
  try {
    // The cheapest KTOF form, not compared with compact JSON: the gate below compares with
    // the original fragment anyway (Python's encode_counted(..., compare_json=False)).
    [encoded, after] = encodeCounted(value, { ...encodeOptions(settings, model), compareJson: false });
  } catch {
    return keep("error", before); // the hot path must never break an LLM call
  }
  const saved = before - after;
  if (saved < floor || saved * 100 < settings.minPercentSaved * before) return keep("no_saving", before);
  if (settings.verify && !roundTrips(value, encoded, settings)) return keep("error", before);
  const label = fenced ? fenceLabel(value, encoded, model, settings) : KTOF_LABEL;
  return { reason: "compressed", tokensBefore: before, tokensAfter: after, encoded, label };
}

/** Whether `encoded` decodes back to `value` (type-exactly unless in lossy toon mode). */
function roundTrips(value: unknown, encoded: string, settings: GateSettings): boolean {
  try {
    const decoded = decode(encoded, { indent: settings.indent ?? 2, exact: true });
    if (settings.mode === "toon") return valueEqual(decoded, value);
    return sameValue(decoded, value); // types, values and key order
  } catch {
    return false;
  }
}

/** `toon` when `encoded` is what plain TOON encoding gives, else `ktof`. */
function fenceLabel(value: unknown, encoded: string, model: string, settings: GateSettings): string {
  if (settings.mode === "toon") return TOON_LABEL;
  try {
    return encode(value, encodeOptions(settings, model, "toon")) === encoded ? TOON_LABEL : KTOF_LABEL;
  } catch {
    return KTOF_LABEL;
  }
}
