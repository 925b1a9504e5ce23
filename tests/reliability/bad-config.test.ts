/**
 * Bad task files, tried as a user would: each case is its own repository, checked with the built CLI
 * (`claude-tasks validate`). Every one must exit 2, print each problem as one `file:line:col: …`
 * line (no stack trace), name the right file first, and change nothing.
 */
import { createHash } from "node:crypto";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firstLine, reliabilityCase } from "./support/cases.ts";
import { CORPUS } from "./support/config-corpus.ts";
import { runCli } from "./support/proc.ts";

const root = await mkdtemp(join(tmpdir(), "ct-rel-config-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const TASKS = ".github/claude-tasks";

/** Path → content hash (or link target) of everything under `dir`: "nothing changed" is an equal digest. */
async function digest(dir: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const ent of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
    const abs = join(dir, rel);
    if ((await lstat(abs)).isSymbolicLink()) out[rel] = `-> ${await readlink(abs)}`;
    else if (ent.isDirectory()) Object.assign(out, await digest(dir, rel));
    else
      out[rel] = createHash("sha1")
        .update(await readFile(abs))
        .digest("hex");
  }
  return out;
}

describe.concurrent("claude-tasks validate on a corpus of broken task files", () => {
  it.each(CORPUS.map((k) => [k.id, k.what, k] as const))("%s %s", async (id, what, k) => {
    const c = reliabilityCase(
      id,
      "bad-input",
      `validate: ${what}`,
      "exit 2; one `file:line:col:` line per problem; no stack; nothing changed",
    );
    const repo = join(root, id);
    await mkdir(join(repo, TASKS), { recursive: true });
    for (const [name, text] of Object.entries(k.files)) await writeFile(join(repo, TASKS, name), text);
    for (const [name, target] of Object.entries(k.links ?? {}))
      await symlink(target, join(repo, TASKS, name));
    for (const [path, text] of Object.entries(k.repo ?? {})) {
      await mkdir(dirname(join(repo, path)), { recursive: true });
      await writeFile(join(repo, path), text);
    }
    const before = await digest(repo);
    // HOME is the repository, so a write to it shows in the digest; the one write there by design,
    // the CLI's V8 code cache, goes to a cache folder of its own
    const env = { HOME: repo, XDG_CACHE_HOME: join(root, `${id}-cache`), CT_UNUSED: "1" };
    const r = await runCli(["validate"], { cwd: repo, env });
    const lines = r.stderr.trimEnd().split("\n");
    const problems = lines.slice(0, -1);
    c.note("exit", r.code);
    c.note("first problem", firstLine(problems[0]?.slice(TASKS.length + 1), 140));
    c.note("problems", problems.length);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    expect(lines.at(-1)).toMatch(/^✗ \d+ error\(s\) in \.github\/claude-tasks$/);
    expect(problems.length).toBeGreaterThan(0);
    for (const line of problems) expect(line).toMatch(/^\.github\/claude-tasks(\/[^:\n]+)?:\d+:\d+: \S/);
    expect(problems[0]).toMatch(k.first);
    expect(r.stderr).not.toMatch(/\n\s+at .+[:(]\d+/);
    expect(await digest(repo)).toEqual(before);
  });
});
