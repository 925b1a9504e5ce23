// Bundles the CLI and the Action into dist/ (committed; CI rebuilds and fails on a difference).
import { build } from "esbuild";
import { existsSync, rmSync } from "node:fs";

const entries: Record<string, string> = { cli: "src/cli/main.ts" };
if (existsSync("src/action/main.ts")) entries.action = "src/action/main.ts";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  legalComments: "none",
  logLevel: "warning",
  // Bundled CommonJS dependencies still call require(); give them one.
  banner: {
    js: [
      "import { createRequire as __ctCreateRequire } from 'node:module';",
      "const require = __ctCreateRequire(import.meta.url);",
    ].join("\n"),
  },
});
