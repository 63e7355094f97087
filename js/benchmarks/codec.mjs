// Codec speed: MB/s of this package's KTOF encoder (auto and toon modes) and decoder against
// @toon-format/toon (the reference TOON implementation on npm), same run, same data.
//
// The datasets are the Python benchmark's (python/benchmarks/datasets.py, seeded), dumped by
// Python together with Python's own KTOF output, so every run also checks that the TypeScript
// encoder writes the same bytes on these large documents. Throughput is compact-JSON bytes per
// second (as in the Python benchmark), best of several timed runs.
//
//   cd js && npm run bench            (builds dist first; KAIZEN_PYTHON picks the interpreter)
//   node benchmarks/codec.mjs --quick (smaller datasets)
import { Buffer } from "node:buffer";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { decode as toonDecode, encode as toonEncode } from "@toon-format/toon";
import { decode, encode, parseJsonDocument } from "../dist/esm/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const quick = process.argv.includes("--quick");
const python =
  process.env.KAIZEN_PYTHON ?? [join(root, ".venv", "bin", "python"), "python3"].find((p) => p === "python3" || existsSync(p));

const DUMP = `
import json, sys
sys.path.insert(0, ${JSON.stringify(join(root, "python"))})
from benchmarks.datasets import corpus, quick_corpus
from kaizen_client.ktof import encode
out = []
for name, value in (quick_corpus() if ${quick ? "True" : "False"} else corpus()):
    out.append({"name": name, "value": value, "auto": encode(value), "toon": encode(value, mode="toon")})
sys.stdout.write(json.dumps(out, ensure_ascii=False))
`;

const dumped = execFileSync(python, ["-c", DUMP], { maxBuffer: 1 << 28, encoding: "utf8" });
const exact = parseJsonDocument(dumped, { exact: true });
const plain = JSON.parse(dumped);
const get = (obj, key) => (obj instanceof Map ? obj.get(key) : obj[key]);

function best(fn, budgetMs = quick ? 150 : 600) {
  fn(); // warm up (JIT, tokenizer merge cache)
  let fastest = Infinity;
  const start = performance.now();
  let runs = 0;
  while (runs < 3 || (performance.now() - start < budgetMs && runs < 200)) {
    const t0 = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - t0);
    runs++;
  }
  return fastest / 1000;
}

const rows = [];
let identical = 0;
for (let i = 0; i < plain.length; i++) {
  const { name, value, auto, toon } = plain[i];
  const exactValue = get(exact[i], "value");
  const same = encode(exactValue) === auto && encode(exactValue, { mode: "toon" }) === toon;
  if (same) identical++;
  const bytes = Buffer.byteLength(JSON.stringify(value));
  const mb = bytes / 1e6;
  const autoText = encode(value);
  const toonText = toonEncode(value);
  rows.push({
    name,
    kb: bytes / 1000,
    autoEnc: mb / best(() => encode(value)),
    toonEnc: mb / best(() => encode(value, { mode: "toon" })),
    refEnc: mb / best(() => toonEncode(value)),
    autoDec: mb / best(() => decode(autoText)),
    refDec: mb / best(() => toonDecode(toonText)),
    same,
  });
}

const f = (x) => x.toFixed(1);
const lines = [
  "| dataset | JSON KB | KTOF auto encode | KTOF toon encode | @toon-format/toon encode | toon mode vs ref | KTOF auto decode | @toon-format/toon decode | bytes = Python |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
];
for (const r of rows) {
  lines.push(
    `| ${r.name} | ${f(r.kb)} | ${f(r.autoEnc)} | ${f(r.toonEnc)} | ${f(r.refEnc)} | ${(r.toonEnc / r.refEnc).toFixed(2)}x | ${f(r.autoDec)} | ${f(r.refDec)} | ${r.same ? "yes" : "NO"} |`,
  );
}
const geo = (key) => Math.exp(rows.reduce((s, r) => s + Math.log(r[key]), 0) / rows.length);
lines.push(
  `| geometric mean | | ${f(geo("autoEnc"))} | ${f(geo("toonEnc"))} | ${f(geo("refEnc"))} | ${(geo("toonEnc") / geo("refEnc")).toFixed(2)}x | ${f(geo("autoDec"))} | ${f(geo("refDec"))} | ${identical}/${rows.length} |`,
);
process.stdout.write(`MB/s of compact-JSON bytes, best of timed runs; Node ${process.version}, ${quick ? "quick" : "default"} sizes\n`);
process.stdout.write(lines.join("\n") + "\n");
if (identical !== rows.length) {
  process.stderr.write(`${rows.length - identical} datasets encode differently from Python\n`);
  process.exitCode = 1;
}
