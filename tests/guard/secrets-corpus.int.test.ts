/**
 * No false positives on real code: the scanner over this repository's src/, a sample of node_modules,
 * TypeScript's lib/*.d.ts and binary files. Reads tens of thousands of files: part of the full run
 * (int project), not of the loop while editing.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { binaryLines } from "../../src/engine/git/diff-text.ts";
import { scanAddedLines, scanText } from "../../src/engine/guard/secrets.ts";

describe("no false positives on real code", () => {
  async function files(dir: string, out: string[] = []): Promise<string[]> {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const s = await stat(path);
      if (s.isDirectory()) await files(path, out);
      else if (/\.(?:[cm]?[jt]s|json|md|ya?ml)$/.test(name) && s.size < 2_000_000) out.push(path);
    }
    return out;
  }

  it("finds nothing in this repo's src/ and in a sample of node_modules", async () => {
    const root = join(import.meta.dirname, "../..");
    const packages = [
      "zod",
      "yaml",
      "commander",
      "execa",
      "picomatch",
      "cron-parser",
      "@octokit",
      "@actions",
    ];
    const dirs = [join(root, "src"), ...packages.map((p) => join(root, "node_modules", p))];
    const counts = { files: 0, lines: 0 };
    const findings: string[] = [];
    for (const dir of dirs) {
      const list = await files(dir).catch(() => []);
      for (const file of list) {
        const text = await readFile(file, "utf8");
        counts.files++;
        counts.lines += text.split("\n").length;
        for (const f of scanText(text, file.slice(root.length + 1)))
          findings.push(`${f.rule} ${f.file}:${f.line}`);
      }
    }
    console.info(`secret scan: ${counts.files} files, ${counts.lines} lines, ${findings.length} findings`);
    expect(findings).toEqual([]);
    expect(counts.files).toBeGreaterThan(500);
    expect(counts.lines).toBeGreaterThan(100_000);
  });

  it("finds nothing in TypeScript's lib/*.d.ts, nor in the binary files of node_modules read as bytes", async () => {
    const root = join(import.meta.dirname, "../..");
    // TypeScript 7's own package is a launcher: its lib/*.d.ts ship in the platform package
    const libs = ["node_modules/@typescript/typescript-linux-x64/lib", "node_modules/typescript/lib"];
    const dts: string[] = [];
    for (const lib of libs) {
      const names = await readdir(join(root, lib)).catch(() => [] as string[]);
      dts.push(...names.filter((n) => n.endsWith(".d.ts")).map((n) => join(root, lib, n)));
    }
    const findings: string[] = [];
    let lines = 0;
    for (const file of dts) {
      const text = await readFile(file, "utf8");
      lines += text.split("\n").length;
      for (const f of scanText(text, file)) findings.push(`${f.rule} ${f.file}:${f.line}`);
    }
    const binaries: string[] = [];
    async function walk(dir: string): Promise<void> {
      for (const name of (await readdir(dir).catch(() => [] as string[])).sort()) {
        if (binaries.length >= 300) return;
        const path = join(dir, name);
        const s = await stat(path);
        if (s.isDirectory()) await walk(path);
        else if (
          /\.(?:png|jpe?g|gif|ico|woff2?|ttf|wasm|node|gz|tgz|zip|br)$/.test(name) &&
          s.size < 8_000_000
        )
          binaries.push(path);
      }
    }
    await walk(join(root, "node_modules"));
    let bytes = 0;
    for (const file of binaries) {
      const data = await readFile(file);
      bytes += data.length;
      const added = binaryLines(data, Buffer.alloc(0)).added.map((l) => ({ file, ...l }));
      for (const f of scanAddedLines(added)) findings.push(`${f.rule} ${f.file}:${f.line}`);
    }
    console.info(
      `secret scan: ${dts.length} .d.ts files (${lines} lines), ${binaries.length} binary files (${(bytes / 2 ** 20).toFixed(1)} MB), ${findings.length} findings`,
    );
    expect(findings).toEqual([]);
    expect(lines).toBeGreaterThan(20_000);
    expect(binaries.length).toBeGreaterThan(0);
  });
});
