/**
 * Decoding is linear in the input (as docs/ktof.md §5 promises for the Python decoder): the
 * time at 4x the size stays within 10x the time (a quadratic scan takes ~16x; JavaScript's
 * timings, with GC pauses, are noisier than Python's, whose test allows 6x). Each case
 * targets a scan that could restart from the same place again and again: quoted cells before a
 * late backslash or quote, long escape runs, long JSON cells.
 */
import { describe, expect, it } from "vitest";
import { decode } from "../../src/ktof/index.js";
import { cpuMs } from "../cpu.js";

function best(fn: () => unknown, runs = 5): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = cpuMs();
    fn();
    fastest = Math.min(fastest, cpuMs() - t0);
  }
  return fastest;
}

function ratio(make: (n: number) => string, n: number): number {
  const small = make(n);
  const large = make(4 * n);
  decode(small);
  decode(large);
  return best(() => decode(large)) / Math.max(best(() => decode(small)), 0.05);
}

const CASES: [string, (n: number) => string, number][] = [
  // Many quoted cells, then one backslash at the end of the line.
  ["quoted cells before a late backslash", (n) => `a[${n + 1}]: ${'"x",'.repeat(n)}"\\\\"`, 20_000],
  // A KTOF table row (marked header) with many quoted cells and one quote far away.
  [
    "marked row cells before a late quote",
    (n) => `[1]{${Array.from({ length: n + 1 }, (_, i) => `c${i}`).join(",")},z?}:\n  ${"x,".repeat(n)}"q",`,
    5_000,
  ],
  ["escape runs", (n) => `a: "${"\\n".repeat(n)}"`, 50_000],
  ["long JSON cells", (n) => `a[]: [${"1,".repeat(n)}1]`, 50_000],
  ["quoted keys", (n) => `"${'k\\"'.repeat(n)}": 1`, 50_000],
];

describe("decode is linear", () => {
  it.each(CASES)("%s", (_name, make, n) => {
    // The best of three measurements: a shared machine's GC pauses and CPU contention can
    // inflate one; a quadratic scan is slow in all three.
    let lowest = Infinity;
    for (let attempt = 0; attempt < 3 && lowest >= 10; attempt++) lowest = Math.min(lowest, ratio(make, n));
    expect(lowest).toBeLessThan(10);
  });
});
