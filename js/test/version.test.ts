import { describe, expect, it } from "vitest";
import { VERSION } from "../src/index.js";
import pkg from "../package.json" with { type: "json" };

describe("package", () => {
  it("exports the version written in package.json", () => {
    expect(VERSION).toBe(pkg.version);
  });
});
