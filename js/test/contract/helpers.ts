/**
 * Shared helpers of the contract tests: where the shared fixtures live, a lossless reader for
 * them (so `3.0` stays a float, big ints stay exact and key order survives), and the two
 * equalities the contract uses (type-exact, and TOON's JSON-model equality).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KFloat, normalize, parseJsonDocument, sameValue, type Normalized } from "../../src/ktof/index.js";

/** The repository root (js/test/contract -> three levels up). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const KTOF_VECTORS_DIR = join(REPO_ROOT, "shared", "fixtures", "ktof");
export const CROSS_DIR = join(REPO_ROOT, "shared", "fixtures", "cross");
export const TOKENS_FILE = join(REPO_ROOT, "shared", "fixtures", "tokens", "counts.json");
/** The TOON 4.0 reference suite lives next to the repository, never copied in (as in Python). */
export const TOON_SPEC_DIR = process.env.KAIZEN_TOON_SPEC_DIR ?? join(REPO_ROOT, "..", "shared", "reference", "toon-spec-4.0");
export const TOON_FIXTURES_DIR = join(TOON_SPEC_DIR, "tests", "fixtures");
export const EXPECTED_TOON_FIXTURE_COUNT = 516;

/** Read a JSON file type-exactly (KFloat for integral floats, bigint, Map where key order needs it). */
export function readExact(path: string): unknown {
  return parseJsonDocument(readFileSync(path, "utf8"), { exact: true });
}

/** Property of a parsed JSON object (plain object or Map). */
export function get(obj: unknown, key: string): unknown {
  if (obj instanceof Map) return (obj as Map<string, unknown>).get(key);
  if (typeof obj === "object" && obj !== null && Object.hasOwn(obj, key)) {
    return (obj as Record<string, unknown>)[key];
  }
  return undefined;
}

export function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(dir, name));
}

export interface Case {
  readonly id: string;
  readonly category: string;
  readonly test: unknown;
}

/** Every test of the fixture files in `dirs` (TOON layout: `{category, tests: [...]}`). */
export function loadCases(dirs: readonly string[]): Case[] {
  const cases: Case[] = [];
  for (const dir of dirs) {
    for (const path of jsonFiles(dir)) {
      const data = readExact(path);
      const category = String(get(data, "category"));
      const stem = path.slice(path.lastIndexOf("/") + 1, -".json".length);
      for (const test of get(data, "tests") as unknown[]) {
        cases.push({ id: `${category}/${stem}::${String(get(test, "name"))}`, category, test });
      }
    }
  }
  return cases;
}

/** Type-exact equality (the KTOF auto-mode contract). */
export const sameExact = sameValue;

/** TOON's JSON-model equality: numbers by value (3.0 == 3, -0.0 == 0), key order kept. */
export function sameJsonModel(a: unknown, b: unknown): boolean {
  return modelEqual(normalize(a, undefined, true), normalize(b, undefined, true));
}

function numeric(value: Normalized): number | bigint | null {
  if (typeof value === "number" || typeof value === "bigint") return value;
  if (value instanceof KFloat) return value.value;
  return null;
}

function modelEqual(a: Normalized, b: Normalized): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null || nb !== null) {
    if (na === null || nb === null) return false;
    if (typeof na === "bigint" || typeof nb === "bigint") {
      const ia = typeof na === "bigint" ? na : Number.isInteger(na) ? BigInt(na) : null;
      const ib = typeof nb === "bigint" ? nb : Number.isInteger(nb) ? BigInt(nb) : null;
      return ia !== null && ib !== null ? ia === ib : Number(na) === Number(nb);
    }
    return na === nb;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => modelEqual(item, b[i] as Normalized));
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
    const kb = [...b.keys()];
    let i = 0;
    for (const [key, value] of a) {
      if (key !== kb[i++]) return false;
      if (!modelEqual(value, b.get(key) as Normalized)) return false;
    }
    return true;
  }
  return a === b;
}

/** Encode options of a vector (`mode`, `model`, `delimiter`, `indentSize`). */
export function encodeOptions(options: unknown): { mode: "auto" | "toon"; model: string; delimiter: string; indent: number } {
  const mode = (get(options, "mode") ?? "auto") as "auto" | "toon";
  const model = (get(options, "model") ?? "gpt-4o") as string;
  const delimiter = (get(options, "delimiter") ?? ",") as string;
  const indent = (get(options, "indentSize") ?? 2) as number;
  return { mode, model, delimiter, indent };
}

/** Decode options of a vector (`strict`, `indentSize`). */
export function decodeOptions(options: unknown): { strict: boolean; indent: number } {
  return {
    strict: (get(options, "strict") ?? true) as boolean,
    indent: (get(options, "indentSize") ?? 2) as number,
  };
}
