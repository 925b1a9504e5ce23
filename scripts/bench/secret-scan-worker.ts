// `npm run bench`: the credential scan over ordinary files — this repository's src/, TypeScript's
// lib/*.d.ts and a sample of node_modules as text, and the binary files of node_modules (images,
// fonts, wasm, native modules) as binary content — with every decoded form it reads (reversed,
// base64, split lines, NUL bytes dropped). Prints one JSON line:
// { textMb, textMs, textFindings, binaryMb, binaryMs, binaryFindings, quickMs }.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { binaryLines } from "../../src/engine/git/diff-text.ts";
import { scanAddedLines, scanText } from "../../src/engine/guard/secrets.ts";

const TEXT = new Set([".ts", ".mts", ".js", ".mjs", ".cjs", ".json", ".md", ".yml", ".yaml"]);

function walk(dir: string, keep: (name: string) => boolean, out: string[], max: number): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (out.length >= max) return;
    const path = join(dir, name);
    const s = statSync(path, { throwIfNoEntry: false });
    if (!s) continue;
    if (s.isDirectory()) {
      if (!/^(test|tests|__tests__|fixtures?|examples?|\.bin)$/.test(name)) walk(path, keep, out, max);
    } else if (s.size < 4 << 20 && keep(path)) out.push(path);
  }
}

const text: string[] = [];
const isText = (p: string) => TEXT.has(extname(p));
walk("src", isText, text, Number.POSITIVE_INFINITY);
// TypeScript 7's own package is a launcher: its lib/*.d.ts ship in the platform package
for (const lib of ["node_modules/@typescript/typescript-linux-x64/lib", "node_modules/typescript/lib"])
  walk(lib, (p) => p.endsWith(".d.ts"), text, Number.POSITIVE_INFINITY);
walk("node_modules", isText, text, 20_000);
// binary: any file with a NUL byte in its first 8000 bytes (git's test)
const binary: string[] = [];
walk("node_modules", (p) => !isText(p) && readFileSync(p).subarray(0, 8000).includes(0), binary, 500);

let textBytes = 0;
let textFindings = 0;
const contents = text.map((f) => readFileSync(f, "utf8"));
let t0 = performance.now();
contents.forEach((c, i) => {
  textBytes += c.length;
  textFindings += scanText(c, text[i]!).length;
});
const textMs = performance.now() - t0;

// the same lines with only the cheap pre-check every line always had: the cost of the extra forms
t0 = performance.now();
const QUICK =
  /gh[pousr]_|github_pat_|sk-|AKIA|ASIA|ABIA|ACCA|[Ss][Ee][Cc][Rr][Ee][Tt]|xox[abposr]-|hooks\.slack\.com|_live_|AIza|PRIVATE KEY|eyJ|npm_/;
let quickHits = 0;
for (const c of contents) for (const l of c.split("\n")) if (QUICK.test(l)) quickHits++;
const quickMs = performance.now() - t0;

let binaryBytes = 0;
let binaryFindings = 0;
t0 = performance.now();
for (const f of binary) {
  const data = readFileSync(f);
  binaryBytes += data.length;
  const lines = binaryLines(data, Buffer.alloc(0)).added.map((l) => ({ file: f, ...l }));
  binaryFindings += scanAddedLines(lines).length;
}
const binaryMs = performance.now() - t0;

console.log(
  JSON.stringify({
    textFiles: text.length,
    textMb: textBytes / 2 ** 20,
    textMs,
    textFindings,
    quickMs,
    quickHits,
    binaryFiles: binary.length,
    binaryMb: binaryBytes / 2 ** 20,
    binaryMs,
    binaryFindings,
  }),
);
