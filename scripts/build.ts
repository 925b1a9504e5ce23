// Bundles the CLI and the Action into dist/ (committed; CI rebuilds and fails on a difference).

import { existsSync, rmSync } from "node:fs";
import { build } from "esbuild";

const entries: Record<string, string> = { cli: "src/cli/main.ts" };
if (existsSync("src/action/main.ts")) entries.action = "src/action/main.ts";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: "dist",
  bundle: true,
  // Shared code goes into chunks; commands load heavy parts (run engine, Octokit) only when used.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  platform: "node",
  format: "esm",
  target: "node22",
  legalComments: "none",
  logLevel: "warning",
  // Bundled CommonJS dependencies still use require, __filename and __dirname; give them those.
  banner: {
    js: [
      "import { createRequire as __ctCreateRequire } from 'node:module';",
      "import { fileURLToPath as __ctFileURLToPath } from 'node:url';",
      "import { dirname as __ctDirname } from 'node:path';",
      "const require = __ctCreateRequire(import.meta.url);",
      "const __filename = __ctFileURLToPath(import.meta.url);",
      "const __dirname = __ctDirname(__filename);",
    ].join("\n"),
  },
});
