/**
 * CLI misuse, as a user would type it: unknown commands and flags, missing or unknown tasks, bad
 * numbers, dates and branch names, paths that do not exist. Every one must exit 2 with a one-line
 * reason on stderr, no stack trace, nothing on stdout, and change nothing in the repository.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineRepo, makeEngineRepo } from "../support/engine.ts";
import { firstLine, reliabilityCase } from "./support/cases.ts";
import { cliEnv } from "./support/engine.ts";
import { runCli } from "./support/proc.ts";

let e: EngineRepo;
const notGit = await mkdtemp(join(tmpdir(), "ct-rel-notgit-"));
beforeAll(async () => {
  e = await makeEngineRepo();
  await e.tasks({ hi: "run: echo hi > hi.txt\n" });
});
afterAll(async () => {
  await e?.[Symbol.asyncDispose]();
  await rm(notGit, { recursive: true, force: true });
});

/** Every file of the repository (its .git included) and its hash. */
async function digest(dir: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const ent of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
    if (ent.isDirectory()) Object.assign(out, await digest(dir, rel));
    else
      out[rel] = createHash("sha1")
        .update(await readFile(join(dir, rel)))
        .digest("hex");
  }
  return out;
}

const CASES: [id: string, args: string[], reason: RegExp][] = [
  ["B-C01", ["frob"], /^error: unknown command 'frob'/],
  ["B-C02", ["--frob"], /^error: unknown option '--frob'/],
  ["B-C03", ["run"], /^error: missing required argument 'tasks'/],
  ["B-C04", ["run", "nosuch"], /^claude-tasks: unknown task `nosuch`/],
  ["B-C05", ["run", "hi", "--frob"], /^error: unknown option '--frob'/],
  ["B-C06", ["run", "hi", "--dry-run", "--pr"], /^claude-tasks: --dry-run and --pr exclude each other/],
  ["B-C07", ["run", "hi", "-j", "0"], /^error: option '-j, --max-parallel <N>' argument '0' is invalid/],
  ["B-C08", ["run", "hi", "--max-parallel=1e3"], /argument '1e3' is invalid/],
  [
    "B-C09",
    ["run", "hi", "--base", "main..evil"],
    /^claude-tasks: --base "main\.\.evil" is not a branch name: it contains `\.\.`/,
  ],
  [
    "B-C10",
    ["run", "hi", "--base", "main@{1}"],
    /^claude-tasks: --base "main@\{1\}" is not a branch name: it contains `@\{`/,
  ],
  [
    "B-C11",
    ["run", "hi", "--base", "-x"],
    /^claude-tasks: --base "-x" is not a branch name: it starts with `-`/,
  ],
  ["B-C12", ["run", ""], /^claude-tasks: no task named/],
  ["B-C13", ["run", "../etc/passwd"], /^claude-tasks: unknown task `\.\.\/etc\/passwd`/],
  ["B-C14", ["run", "zz*"], /^claude-tasks: unknown task `zz\*`/],
  ["B-C15", ["next", "--count", "0"], /argument '0' is invalid\. expected a whole number ≥ 1/],
  ["B-C16", ["next", "--count", "99999999999999999999"], /is invalid\. expected a whole number ≥ 1/],
  [
    "B-C17",
    ["next", "hi", "--from", "yesterday"],
    /argument 'yesterday' is invalid\. expected an ISO 8601 date/,
  ],
  [
    "B-C18",
    ["next", "hi", "--from", "2026-02-30"],
    /argument '2026-02-30' is invalid\. expected an ISO 8601 date/,
  ],
  ["B-C19", ["plan", "--since", "2026-13-45"], /argument '2026-13-45' is invalid/],
  [
    "B-C20",
    ["plan", "--now", "2026-01-01", "--since", "2027-01-01"],
    /^claude-tasks: --since \S+ is after --now/,
  ],
  ["B-C21", ["logs", "--tail", "-1"], /argument '-1' is invalid/],
  ["B-C22", ["logs", "--since", "tomorrow"], /argument 'tomorrow' is invalid/],
  [
    "B-C23",
    ["logs", "--since", "2027-01-01", "--until", "2026-01-01"],
    /^claude-tasks: --since is after --until/,
  ],
  [
    "B-C24",
    ["logs", "--follow", "--until", "2026-01-01"],
    /^claude-tasks: --follow and --until exclude each other/,
  ],
  ["B-C25", ["prune", "--keep", "-3"], /^claude-tasks: --keep: expected a whole number ≥ 1/],
  ["B-C26", ["prune", "--max-age", "3x"], /^claude-tasks: --max-age: expected an age such as 30d/],
  ["B-C27", ["restore", "../../etc"], /^claude-tasks: no backup named "\.\.\/\.\.\/etc"/],
  ["B-C28", ["restore", "nosuch"], /^claude-tasks: no backup named "nosuch"/],
  ["B-C29", ["-C", "/nonexistent/dir", "list"], /^claude-tasks: -C \/nonexistent\/dir: no such directory/],
  ["B-C30", ["-C", "/etc/hostname", "validate"], /^claude-tasks: -C \/etc\/hostname: no such directory/],
  ["B-C31", ["-C", notGit, "worktrees"], /^claude-tasks: \S+ is not in a git repository/],
  [
    "B-C32",
    ["--config-dir", "../../etc", "validate"],
    /^\.\.\/\.\.\/etc:1:1: the task directory \S+ is outside the repository/,
  ],
  ["B-C33", ["init", "--template", "nosuch"], /^claude-tasks: unknown template `nosuch`/],
  ["B-C34", ["list", "--json", "--frob"], /^error: unknown option '--frob'/],
  ["B-C35", ["validate", "extra"], /^error: too many arguments for 'validate'/],
];

describe("CLI misuse", () => {
  it.each(CASES)("%s claude-tasks %j", async (id, args, reason) => {
    const c = reliabilityCase(
      id,
      "bad-input",
      `\`claude-tasks ${args.map((a) => (a === notGit ? "<dir outside git>" : a || "''")).join(" ")}\``,
      "exit 2; a one-line reason; no stack; nothing changed",
    );
    const before = await digest(e.path);
    const r = await runCli(args, { cwd: e.path, env: cliEnv(e) });
    const lines = r.stderr.trimEnd().split("\n");
    c.note("exit", r.code);
    c.note("says", firstLine(lines[0], 120));
    expect(r.code, r.stderr).toBe(2);
    expect(lines[0]).toMatch(reason);
    // one line (commander's usage errors may add a "(Did you mean …?)" line; config problems add the count)
    expect(lines.filter((l) => !/^\(Did you mean|^✗ \d+ error/.test(l))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at .+[:(]\d+/);
    expect(r.stdout).toBe("");
    expect(await digest(e.path)).toEqual(before);
  });
});
