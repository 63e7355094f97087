/**
 * Differential test of the engines over the cross-language corpus: Python's engine
 * (`python/scripts/engine_corpus.py`, run here) builds chat messages from the 3000 seeded
 * documents of `shared/fixtures/cross/` and compresses them; the TypeScript engine must give
 * the same messages, byte for byte, and the same report for every case. Skipped, with the
 * reason printed, only when no Python with kaizen_client is found.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clearCache, compactJson, compressMessages } from "../../src/engine/index.js";
import { parseJsonExact } from "../../src/service/json.js";
import { referencePython } from "../client/helpers.js";
import { REPO_ROOT, get } from "../contract/helpers.js";

const python = referencePython();
if (python === undefined) console.warn("engine corpus test skipped: no Python found (set KAIZEN_PYTHON)");

describe.skipIf(python === undefined)("engine corpus: TypeScript vs Python", () => {
  it("gives Python's messages and report for every case", () => {
    const out = execFileSync(python ?? "", [join(REPO_ROOT, "python", "scripts", "engine_corpus.py")], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    const lines = out.split("\n").filter((line) => line !== "");
    clearCache();
    const mismatches: string[] = [];
    let compressed = 0;
    for (const line of lines) {
      const test = parseJsonExact(line);
      const spec = get(test, "options") as Map<string, unknown> | Record<string, unknown>;
      const options = Object.fromEntries(spec instanceof Map ? spec : Object.entries(spec)) as Record<string, unknown>;
      const { messages, report } = compressMessages(get(test, "messages") as unknown[], {
        model: get(test, "model") as string,
        mode: options.mode as "auto" | "toon" | undefined,
        delimiter: options.delimiter as string | undefined,
        indent: options.indent as number | undefined,
      });
      compressed += report.fragments_compressed;
      const sameMessages = compactJson(messages) === compactJson(get(test, "expected_messages"));
      const sameReport = compactJson(report) === compactJson(get(test, "expected_report"));
      if (!sameMessages || !sameReport) mismatches.push(`${String(get(test, "name"))}: ${sameMessages ? "report" : "messages"} differ`);
    }
    console.info(`engine corpus: ${lines.length} cases, ${compressed} fragments compressed, ${mismatches.length} mismatches`);
    expect(lines.length).toBeGreaterThanOrEqual(3000);
    expect(compressed).toBeGreaterThan(1000);
    expect(mismatches).toEqual([]);
  });
});
