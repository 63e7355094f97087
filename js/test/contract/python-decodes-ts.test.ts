/**
 * The other direction of the decode contract: Python's decoder reads the TypeScript encoder's
 * text for the whole cross-language corpus to the value Python expects (type-exact: compared as
 * Python's compact JSON text, which tells 3.0 from 3 and keeps key order). Runs the Python SDK
 * as a subprocess: KAIZEN_PYTHON (set by `python3 dev.py test`) or the repository's .venv;
 * skipped, saying why, when neither exists.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encode } from "../../src/ktof/index.js";
import { CROSS_DIR, REPO_ROOT, encodeOptions, get, jsonFiles, readExact } from "./helpers.js";

const venv = join(REPO_ROOT, ".venv", "bin", "python");
const python = process.env.KAIZEN_PYTHON ?? (existsSync(venv) ? venv : undefined);

const CHECK = `
import json, sys
from kaizen_client.ktof import decode
texts = json.load(open(sys.argv[1], encoding="utf-8"))
docs = [doc for path in sys.argv[2:] for doc in json.load(open(path, encoding="utf-8"))["documents"]]
assert len(texts) == len(docs), (len(texts), len(docs))
dump = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
bad = []
for text, doc in zip(texts, docs):
    try:
        ok = dump(decode(text, indent=doc["options"].get("indentSize", 2))) == dump(doc["decoded"])
    except ValueError as exc:
        ok = False
    if not ok:
        bad.append(doc["name"])
print(json.dumps({"checked": len(docs), "mismatches": bad}))
`;

describe.skipIf(python === undefined)(`Python decodes TypeScript's text (${python ?? "no Python: set KAIZEN_PYTHON"})`, () => {
  it("reads every corpus document to Python's value", () => {
    const paths = jsonFiles(CROSS_DIR);
    const texts: string[] = [];
    for (const path of paths) {
      for (const doc of get(readExact(path), "documents") as unknown[]) {
        texts.push(encode(get(doc, "input"), encodeOptions(get(doc, "options"))));
      }
    }
    const dir = mkdtempSync(join(tmpdir(), "kaizen-contract-"));
    try {
      const file = join(dir, "ts-texts.json");
      writeFileSync(file, JSON.stringify(texts));
      const out = execFileSync(python as string, ["-c", CHECK, file, ...paths], {
        encoding: "utf8",
        maxBuffer: 1 << 26,
      });
      const result = JSON.parse(out) as { checked: number; mismatches: string[] };
      expect(result.checked).toBe(texts.length);
      expect(result.checked).toBeGreaterThanOrEqual(3000);
      expect(result.mismatches).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
