// Builds dist/esm (ES modules) and dist/cjs (CommonJS) from src/ with the TypeScript compiler
// alone: two emits of one source tree, no bundler, so what ships is what was type-checked.
import { execFileSync } from "node:child_process";
import process from "node:process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
rmSync(join(root, "dist"), { recursive: true, force: true });
const emit = (args) => execFileSync(process.execPath, [tsc, ...args], { cwd: root, stdio: "inherit" });
emit(["-p", "tsconfig.build.json"]);
emit([
  "-p", "tsconfig.build.json",
  "--module", "CommonJS", "--moduleResolution", "Node10", "--outDir", "dist/cjs",
]);
// Each half says which module system it is, whatever the package's "type" says.
for (const [dir, type] of [["esm", "module"], ["cjs", "commonjs"]]) {
  mkdirSync(join(root, "dist", dir), { recursive: true });
  writeFileSync(join(root, "dist", dir, "package.json"), JSON.stringify({ type }) + "\n");
}
