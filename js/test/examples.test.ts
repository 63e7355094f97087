/** Every example runs offline with `node` over the built package (`npm run check` builds first). */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = existsSync(join(root, "dist", "esm", "index.js")) && existsSync(join(root, "dist", "esm", "ai-sdk", "index.js"));
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".mjs"));
/** What each example must print: its own check that the result is right. */
const EXPECT: Record<string, RegExp[]> = {
  "local-client.mjs": [/mode: local/, /round trip equal: true/, /optimize_request: \d+ -> \d+ tokens in 1 fragment/],
  "compress-messages.mjs": [/fence decodes to the rows: true/, /saved \d+ of \d+ tokens/],
  "ai-sdk-middleware.mjs": [/\[kaizen\] generate: saved \d+ of \d+ tokens in 1 fragment/, /SKU-1003 is low\./],
};

describe.skipIf(!built)("examples (over dist/; run `npm run build` first)", () => {
  it("the package loads from CommonJS too, root and ai-sdk subpath", () => {
    const script =
      'const k = require("kaizen-client"); const a = require("kaizen-client/ai-sdk");' +
      'console.log(typeof k.KaizenClient, typeof k.compressMessages, typeof a.kaizenMiddleware);';
    const out = execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });
    expect(out.trim()).toBe("function function function");
  });

  it.each(examples)("%s runs and prints its result", (name) => {
    const out = execFileSync(process.execPath, [join(root, "examples", name)], { cwd: root, encoding: "utf8", env: { ...process.env, KAIZEN_API_KEY: "", KAIZEN_BASE_URL: "" } });
    const expected = EXPECT[name];
    expect(expected, `add ${name} to EXPECT`).toBeDefined();
    for (const pattern of expected ?? []) expect(out).toMatch(pattern);
  });
});
