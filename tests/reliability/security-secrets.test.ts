/**
 * Secrets: canary values for every credential a run can hold must never show up in anything the run
 * produces, the agent process never receives the GitHub token or the Actions runtime tokens, and a
 * change refused for holding a credential is never published as an artifact.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ActionIO } from "../../src/action/io.ts";
import { uploadBackups } from "../../src/action/outputs.ts";
import { newRunId } from "../../src/engine/run/index.ts";
import { startE2E, TOKEN } from "../action/harness.ts";
import { makeEngineRepo } from "../support/engine.ts";
import { startModelServer } from "../support/model-server.ts";
import { runtimeToken, startArtifactFake } from "./support/artifact-fake.ts";
import { reliabilityCase } from "./support/cases.ts";
import { backupPatch, claudeYaml, expectConsistent } from "./support/engine.ts";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const pick = (n: number, alphabet = ALNUM) =>
  Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join("");
const p = (a: string, b: string) => a + b; // keeps token prefixes from forming literal tokens in this file

/** Canaries in the formats of the real credentials (so format-based scanners would see them too). */
function canaries() {
  return {
    githubToken: TOKEN, // the one token the fake GitHub accepts
    envGithubToken: p("gh", "p_") + pick(36),
    ghToken: p("gh", "o_") + pick(36),
    anthropicKey: `${p("sk-", "ant-")}api03-${pick(93, `${ALNUM}-_`)}AA`,
    runtimeToken: runtimeToken(pick(43)),
    idToken: `idtoken-${pick(40)}`,
    custom: `custom-canary-${pick(32)}`,
  };
}

/** Each canary, and the encodings it could leak in (the git Basic credential is base64). */
function needles(c: Record<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, v] of Object.entries(c)) {
    out.push([name, v], [`${name} (base64 basic)`, Buffer.from(`x-access-token:${v}`).toString("base64")]);
    out.push([`${name} (base64)`, Buffer.from(v).toString("base64").slice(0, 40)]);
  }
  return out;
}

async function filesUnder(
  dir: string,
  skip: (rel: string) => boolean = () => false,
  prefix = "",
): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => [])) {
    const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
    if (skip(rel)) continue;
    if (ent.isDirectory()) out.push(...(await filesUnder(dir, skip, rel)));
    else if (ent.isFile()) out.push(rel);
  }
  return out;
}

describe("secrets", () => {
  it("S-01 canaries never leak from an Action run (command tasks, a task with a secret in agent.env, Claude)", async () => {
    const c = reliabilityCase(
      "S-01",
      "security",
      "the Action runs 3 tasks with canary values for the GitHub token (input, GITHUB_TOKEN, GH_TOKEN), the Actions runtime and OIDC tokens, the Anthropic key and a custom secret in one task's agent.env (which that task prints); another command dumps its environment into a file and to stdout; Claude dumps its Bash environment into a file and echoes the key",
      "no canary (nor its base64 forms) in stdout/stderr (masking commands aside), outputs, step summary, PR bodies and comments, any API request, runs.jsonl, run reports, backup metadata, the uploaded artifact, the pushed commits, or .git/config",
    );
    const secret = canaries();
    const server = await startModelServer((req) => {
      const context = JSON.stringify([req.body.system, req.body.messages]);
      const cwd = /[Ww]orking directory: ([^\s"\\]+)/.exec(context)?.[1];
      if (req.index === 0 && cwd)
        return { tool: "Bash", input: { command: `env > ${cwd}/claude-env.txt`, description: "dump" } };
      return { text: `Done. By the way, the key is ${secret.anthropicKey}` };
    });
    try {
      await using e2e = await startE2E({
        ".github/claude-tasks/dump.yml": 'run: "env > env-dump.txt; env; echo dumped"\n',
        ".github/claude-tasks/deploy.yml":
          'run: "echo deploying with $DEPLOY_KEY; echo deployed > DEPLOYED.txt"\nagent:\n  env:\n    DEPLOY_KEY: "{{ env.CT_CUSTOM_SECRET }}"\n',
        ".github/claude-tasks/claude.yml": claudeYaml('  allowed_tools: ["Bash"]\n'),
      });
      await using artifacts = await startArtifactFake();
      const r = await e2e.run({
        event: "workflow_dispatch",
        inputs: { "github-token": secret.githubToken, "anthropic-api-key": secret.anthropicKey },
        env: {
          ANTHROPIC_BASE_URL: server.url,
          CLAUDE_CODE_MAX_RETRIES: "0",
          GITHUB_TOKEN: secret.envGithubToken,
          GH_TOKEN: secret.ghToken,
          ACTIONS_RUNTIME_TOKEN: secret.runtimeToken,
          ACTIONS_RESULTS_URL: artifacts.url,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: secret.idToken,
          ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1:9/oidc",
          CT_CUSTOM_SECRET: secret.custom,
        },
      });
      const results = JSON.parse(r.outputs.results ?? "[]") as {
        task: string;
        status: string;
        backup?: string;
      }[];
      c.note("statuses", Object.fromEntries(results.map((x) => [x.task, x.status])));

      // everything the run produced, by where it is
      const repo = e2e.repo.path;
      const state = join(repo, ".git", "claude-tasks");
      const places: Record<string, string> = {
        stdout: r.stdout
          .split("\n")
          .filter((l) => !l.startsWith("::add-mask::"))
          .join("\n"),
        stderr: r.stderr,
        outputs: JSON.stringify(r.outputs),
        "step summary": r.summary,
        "API requests": JSON.stringify(e2e.fake.calls),
        "PRs and comments": JSON.stringify([
          ...e2e.fake.state.issues.values(),
          ...e2e.fake.state.comments.values(),
        ]),
        ".git/config": await readFile(join(repo, ".git", "config"), "utf8"),
        "pushed objects": execFileSync("git", ["cat-file", "--batch-all-objects", "--batch"], {
          cwd: e2e.repo.origin!,
          encoding: "latin1",
          maxBuffer: 256 << 20,
        }),
      };
      const uploaded: string[] = [];
      for (const [i, a] of artifacts.artifacts.entries()) {
        const zip = join(e2e.repo.root, `artifact-${i}.zip`);
        await writeFile(zip, a.zip);
        uploaded.push(...execFileSync("unzip", ["-Z1", zip], { encoding: "utf8" }).trim().split("\n"));
        places[`artifact ${a.name}`] = execFileSync("unzip", ["-p", zip], {
          encoding: "latin1",
          maxBuffer: 64 << 20,
        });
      }
      for (const f of await filesUnder(
        state,
        (rel) => rel.endsWith("changes.patch") || rel.startsWith("locks"),
      )) {
        places[`.git/claude-tasks/${f}`] = await readFile(join(state, f), "utf8");
      }
      const leaks: string[] = [];
      for (const [where, text] of Object.entries(places))
        for (const [name, needle] of needles(secret))
          if (text.includes(needle)) leaks.push(`${name} in ${where}`);
      const backupOf = (f: string) =>
        results.find((x) => x.backup && f.startsWith(`${x.backup}/`))?.task ?? f;
      c.note("artifact holds the backups of", [...new Set(uploaded.map(backupOf))]);
      c.note("places checked", Object.keys(places).length);
      c.note(
        "bytes checked",
        Object.values(places).reduce((n, t) => n + t.length, 0),
      );
      c.note("leaks", leaks.length ? leaks : 0);

      // what the agents received (the files they wrote from their environment)
      const dumped = await e2e.repo.gitIn(
        e2e.repo.origin!,
        "show",
        "refs/heads/claude-tasks/dump:env-dump.txt",
      );
      const claudeBackup = results.find((x) => x.task === "claude")?.backup;
      const claudeEnv = claudeBackup
        ? await readFile(join(state, "backups", claudeBackup, "changes.patch"), "utf8")
        : "";
      const seen = (text: string) =>
        Object.entries(secret).flatMap(([k, v]) => (text.includes(v) ? [k] : []));
      c.note("command agent saw", seen(dumped).length ? seen(dumped) : "none");
      c.note("Claude's Bash saw", seen(claudeEnv).length ? seen(claudeEnv) : "none");

      // Claude's environment holds only the proxy's placeholder: its dump is harmless and lands
      expect(results.map((x) => [x.task, x.status])).toEqual([
        ["claude", "success"],
        ["deploy", "success"],
        ["dump", "success"],
      ]);
      expect(r.code, r.stdout).toBe(0);
      expect(leaks).toEqual([]);
      expect(artifacts.artifacts).toHaveLength(1);
      expect([...new Set(uploaded.map(backupOf))].sort()).toEqual(["claude", "deploy", "dump"]);
      expect(seen(dumped)).toEqual([]);
      expect(dumped).not.toMatch(
        /^(GITHUB_TOKEN|GH_TOKEN|ACTIONS_[A-Z_]+|INPUT_[A-Z_-]+|ANTHROPIC_API_KEY)=/m,
      );
      // Claude sees no credential at all, not even its own: the model key stays in the engine's proxy
      expect(claudeEnv).toContain("ANTHROPIC_API_KEY=sk-ant-api03-claude-tasks-proxy-placeholder");
      expect(seen(claudeEnv)).toEqual([]);
      // the task that printed its own secret: the value is replaced where its output is quoted
      const [deployPr] = e2e.fake.openPulls("claude-tasks/deploy");
      c.note("deploy's PR quotes", deployPr?.body?.match(/deploying with \S+/)?.[0] ?? "nothing");
      expect(deployPr?.body).toContain("deploying with ***");
      expect(r.stdout).toContain(`::add-mask::${secret.githubToken}`);
      expect(r.stdout).toContain(`::add-mask::${secret.anthropicKey}`);
    } finally {
      await server.close();
    }
  });

  it("S-02 the agent's environment: no GitHub token, no Actions runtime tokens, no other task's secret", async () => {
    const c = reliabilityCase(
      "S-02",
      "security",
      "the engine runs a command task that dumps `env` and a Claude task whose Bash tool dumps `env`, with GITHUB_TOKEN, GH_TOKEN, INPUT_GITHUB-TOKEN, ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_*, GITHUB_ENV/OUTPUT, SSH_AUTH_SOCK, a *_SECRET and another task's agent.env secret in the runner's environment",
      "none of them reaches either child; the Claude task keeps its own ANTHROPIC_API_KEY; the command task keeps no credential",
    );
    await using e = await makeEngineRepo();
    const s = canaries();
    const hostile: Record<string, string> = {
      GITHUB_TOKEN: s.envGithubToken,
      GH_TOKEN: s.ghToken,
      "INPUT_GITHUB-TOKEN": s.githubToken,
      ACTIONS_RUNTIME_TOKEN: s.runtimeToken,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: s.idToken,
      ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1:9/oidc",
      GITHUB_ENV: "/tmp/github-env",
      GITHUB_OUTPUT: "/tmp/github-output",
      SSH_AUTH_SOCK: "/tmp/agent.sock",
      DEPLOY_SECRET: s.custom,
    };
    const [dump, claude, other] = await e.tasks(
      {
        dump: "run: env > env-dump.txt\n",
        claude: claudeYaml('  allowed_tools: ["Bash"]\n'),
        other: 'run: "true"\nagent:\n  env:\n    OTHER_KEY: "{{ env.OTHER }}"\n',
      },
      { OTHER: `other-${s.custom}` },
    );
    const runId = newRunId();
    const wt = e.worktreePath("claude", runId);
    const server = await startModelServer([
      { tool: "Bash", input: { command: `env > ${wt}/claude-env.txt`, description: "dump" } },
      { text: "Done." },
    ]);
    try {
      const out = await e.run([dump!, claude!, other!], {
        runId,
        env: e.agentEnv(server, { ...hostile, ANTHROPIC_API_KEY: s.anthropicKey }),
      });
      const commandEnv = await backupPatch(e, out.byTask("dump").backup);
      const claudeEnv = await backupPatch(e, out.byTask("claude").backup);
      const names = (patch: string) =>
        [...patch.matchAll(/^\+([A-Za-z_][A-Za-z0-9_-]*)=/gm)]
          .map((m) => m[1]!)
          .filter((n) => n in hostile || n === "OTHER_KEY");
      c.note("command env vars", commandEnv.split("\n").filter((l) => /^\+[A-Za-z_]/.test(l)).length);
      c.note("command saw", names(commandEnv).length ? names(commandEnv) : "none of them");
      c.note("Claude Bash saw", names(claudeEnv).length ? names(claudeEnv) : "none of them");
      c.note("Claude Bash has ANTHROPIC_API_KEY", claudeEnv.includes(s.anthropicKey));
      expect(out.byTask("dump").status).toBe("success");
      expect(names(commandEnv)).toEqual([]);
      expect(names(claudeEnv)).toEqual([]);
      expect(claudeEnv).toMatch(/^\+PATH=/m); // it is a real dump
      for (const v of [...Object.values(s).filter((x) => x !== s.anthropicKey), `other-${s.custom}`]) {
        expect(commandEnv).not.toContain(v);
        expect(claudeEnv).not.toContain(v);
      }
      expect(commandEnv).not.toContain(s.anthropicKey);
      // the dumped key makes the Claude change a credential: refused, never committed
      expect(out.byTask("claude").status).toBe(claudeEnv.includes(s.anthropicKey) ? "refused" : "success");
      await expectConsistent(e, out.spawned);
    } finally {
      await server.close();
    }
  });

  it("S-03 a change refused for holding a credential is not uploaded as an artifact", async () => {
    const c = reliabilityCase(
      "S-03",
      "security",
      "a run with one ordinary change and one that adds a GitHub token; the Action uploads the run's backups",
      "only the ordinary backup is uploaded; the other stays local, with a warning that says why",
    );
    await using e = await makeEngineRepo();
    const token = p("gh", "p_") + pick(36);
    const [ok, leaky] = await e.tasks({
      ok: "run: echo fine > fine.txt\n",
      leaky: `run: echo 'token = "${token}"' > config.txt\n`,
    });
    const out = await e.run([ok!, leaky!], { mode: "dry-run" });
    const uploaded: string[] = [];
    const warnings: string[] = [];
    const io = {
      logger: { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} },
      uploadArtifact: async (_name: string, files: string[]) => {
        uploaded.push(...files);
        return { id: 1 };
      },
    } as unknown as ActionIO;
    await uploadBackups({ io, report: out.report, repoRoot: e.path });
    const dirs = [...new Set(uploaded.map((f) => f.split("/").at(-2)))];
    c.note("statuses", { ok: out.byTask("ok").status, leaky: out.byTask("leaky").status });
    c.note("uploaded backups", dirs);
    c.note("warning", warnings[0] ?? "none");
    expect(out.byTask("leaky").status).toBe("refused");
    expect(dirs).toEqual([out.byTask("ok").backup]);
    expect(uploaded.join("\n")).not.toContain(out.byTask("leaky").backup!);
    expect(warnings).toEqual([
      `backup ${out.byTask("leaky").backup} is not uploaded: its change holds what looks like a credential`,
    ]);
    for (const f of uploaded) expect(await readFile(f, "utf8")).not.toContain(token);
  });
});
