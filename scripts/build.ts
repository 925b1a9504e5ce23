// Bundles the CLI and the Action into dist/ (committed; CI rebuilds and fails on a difference).
// Outputs are compared and replaced file by file (atomically), and stale chunks removed last, so a
// build never leaves dist/ half-written for a process that is running from it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { build, type Plugin } from "esbuild";
import writeFileAtomic from "write-file-atomic";

const entries: Record<string, string> = { cli: "src/cli/main.ts" };
if (existsSync("src/action/main.ts")) entries.action = "src/action/main.ts";

/**
 * What the Action and the CLI load at start-up is compiled on every run (a hosted runner has no
 * compile cache), so two dependencies are trimmed of what is never used (measured on `dist/action.js`:
 * start-up 300 → see docs/benchmarks.md):
 * - zod re-exports every locale (`z.locales`, 350 KB); only English is ever used (its default).
 * - @actions/core imports its OIDC client, and with it undici (800 KB), for `getIDToken`, which
 *   neither this package nor the @actions packages it bundles call: the client is left out (a call
 *   would throw). The cache, tool-cache and artifact chunks, loaded only when used, still carry undici.
 */
const trim: Plugin = {
  name: "trim-unused",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes("/node_modules/zod/") ? { path: "zod-locales", namespace: "trim" } : undefined,
    );
    b.onLoad({ filter: /^zod-locales$/, namespace: "trim" }, () => ({
      contents: `export { default as en } from ${JSON.stringify(`${process.cwd()}/node_modules/zod/v4/locales/en.js`)};`,
      loader: "js",
      resolveDir: process.cwd(),
    }));
    b.onResolve({ filter: /\/oidc-utils\.js$/ }, (args) =>
      args.importer.includes("/node_modules/@actions/core/")
        ? { path: "oidc", namespace: "trim" }
        : undefined,
    );
    b.onLoad({ filter: /^oidc$/, namespace: "trim" }, () => ({
      contents:
        'export class OidcClient { static getIDToken() { throw new Error("claude-tasks does not bundle the OIDC client"); } }',
      loader: "js",
    }));
  },
};

const result = await build({
  plugins: [trim],
  entryPoints: entries,
  outdir: "dist",
  write: false,
  bundle: true,
  // Shared code goes into chunks; commands load heavy parts (run engine, Octokit) only when used.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  platform: "node",
  format: "esm",
  target: "node22",
  legalComments: "none",
  logLevel: "warning",
  // Bundled CommonJS dependencies still use require, __filename and __dirname; give them those. The
  // last two under other names: an ESM dependency that declares its own `__filename` (as
  // @actions/artifact's do) would otherwise clash with the banner and its chunk would not load.
  banner: {
    js: [
      "import { createRequire as __ctCreateRequire } from 'node:module';",
      "import { fileURLToPath as __ctFileURLToPath } from 'node:url';",
      "import { dirname as __ctDirname } from 'node:path';",
      "const require = __ctCreateRequire(import.meta.url);",
      "const __ctFilename = __ctFileURLToPath(import.meta.url);",
      "const __ctDirnameOf = __ctDirname(__ctFilename);",
    ].join("\n"),
  },
  define: { __filename: "__ctFilename", __dirname: "__ctDirnameOf" },
});

const wanted = new Set<string>();
for (const file of result.outputFiles) {
  const rel = relative("dist", file.path);
  wanted.add(rel);
  const same =
    existsSync(file.path) && Buffer.compare(readFileSync(file.path), Buffer.from(file.contents)) === 0;
  if (same) continue;
  mkdirSync(dirname(file.path), { recursive: true });
  await writeFileAtomic(file.path, Buffer.from(file.contents), {
    mode: entries[rel.replace(/\.js$/, "")] ? 0o755 : 0o644,
  });
}
for (const rel of listFiles("dist")) if (!wanted.has(rel)) rmSync(join("dist", rel));

function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), join(prefix, e.name)) : [join(prefix, e.name)],
  );
}
