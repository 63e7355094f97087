/* global console */
// Hot-path cost of compressMessages in TypeScript and in Python, same messages, same run.
//
// Three chats whose tool result is about 8 KB of JSON (pretty-printed, one line, JSON lines),
// as in python/benchmarks/engine.py. Per engine, the p50 per call of:
//   warm: content seen before (the engine's LRU cache answers: repeated agent turns),
//   cold: the cache cleared before every call, outside the timed region (JSON detection,
//         codec, tokenizer and the decode-and-compare check all paid).
// Both engines must give the same output (checked). Numbers depend on the machine; not a test.
//
//   cd js && npm run build && node benchmarks/engine.mjs [--iterations 200]
import { Buffer } from "node:buffer";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { clearCache, compactJson, compressMessages } from "../dist/esm/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const at = process.argv.indexOf("--iterations");
const iterations = at > 0 ? Number(process.argv[at + 1]) : 200;
const python = process.env.KAIZEN_PYTHON ?? [join(root, ".venv", "bin", "python")].find((p) => existsSync(p));

function rows(bytes, stringify) {
  const out = [];
  for (let i = 0; stringify(out).length < bytes; i++) {
    out.push({ id: i, name: `item ${i}`, price: Math.round(i * 1.25 * 100) / 100, active: i % 2 === 0, tags: ["a", "b"].slice(0, i % 3) });
  }
  return out;
}

const shapes = {
  pretty: (r) => JSON.stringify(r, null, 2),
  "one line": (r) => JSON.stringify(r),
  "JSON lines": (r) => r.map((x) => JSON.stringify(x)).join("\n"),
};
const scenarios = Object.entries(shapes).map(([name, dump]) => {
  const text = dump(rows(8000, dump));
  return {
    name,
    bytes: Buffer.byteLength(text),
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "List the active items." },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "items", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "c1", content: text },
    ],
  };
});

const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeTs(messages) {
  const fresh = () => JSON.parse(JSON.stringify(messages));
  compressMessages(fresh());
  const warm = [];
  const cold = [];
  for (let i = 0; i < iterations; i++) {
    const m = fresh();
    let t = performance.now();
    compressMessages(m);
    warm.push(performance.now() - t);
    clearCache();
    const n = fresh();
    t = performance.now();
    compressMessages(n);
    cold.push(performance.now() - t);
  }
  return { warm: p50(warm), cold: p50(cold), output: compactJson(compressMessages(messages).messages) };
}

const PY = `
import json, sys, time, statistics
from kaizen_client.engine import compress_messages, clear_cache
scenarios, n = json.loads(sys.stdin.read()), ${iterations}
out = []
for messages in scenarios:
    text = json.dumps(messages)
    compress_messages(json.loads(text))
    warm, cold = [], []
    for _ in range(n):
        m = json.loads(text); t = time.perf_counter(); compress_messages(m); warm.append(time.perf_counter() - t)
        clear_cache(); m = json.loads(text); t = time.perf_counter(); compress_messages(m); cold.append(time.perf_counter() - t)
    result, _ = compress_messages(messages)
    out.append({"warm": statistics.median(warm) * 1000, "cold": statistics.median(cold) * 1000,
                "output": json.dumps(result, ensure_ascii=False, separators=(",", ":"))})
print(json.dumps(out))
`;

const ts = scenarios.map((s) => timeTs(s.messages));
let py = [];
if (python !== undefined) {
  py = JSON.parse(execFileSync(python, ["-c", PY], { input: JSON.stringify(scenarios.map((s) => s.messages)), encoding: "utf8", maxBuffer: 1 << 28 }));
}

console.log(`compressMessages p50 per call, ms (${iterations} iterations; Node ${process.version}${python ? "; Python: " + python : "; no Python found"})`);
console.log("| tool result | bytes | TS warm | TS cold | Python warm | Python cold | same output |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | :---: |");
scenarios.forEach((s, i) => {
  const t = ts[i];
  const p = py[i];
  const cells = p ? [p.warm.toFixed(3), p.cold.toFixed(3), p.output === t.output ? "yes" : "NO"] : ["-", "-", "-"];
  console.log(`| ${s.name} | ${s.bytes} | ${t.warm.toFixed(3)} | ${t.cold.toFixed(3)} | ${cells.join(" | ")} |`);
});
