import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The cross-language contract runs the Python encoder as a subprocess: give it time.
    testTimeout: 60_000,
  },
});
