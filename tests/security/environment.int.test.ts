/**
 * Attack: read the engine's environment. A `run:` command and Claude Code's Bash tool read every
 * `/proc/<pid>/environ` they can see, `ps e`, their parent's environment and their own, and write it
 * all into the worktree (which becomes the PR). The Action was given recognisable canaries for the
 * GitHub token input, the Actions runtime and OIDC tokens, GITHUB_TOKEN and the model key: none may
 * appear in any file of the result, the log, the step summary, a request to GitHub, or any file
 * written anywhere on the host; inside Claude, `env` shows only the placeholder key.
 */
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { CLAUDE_MIGRATION_VERSION } from "../../src/engine/agent/claude-home.ts";
import { results, startE2E, TOKEN } from "../action/harness.ts";
import { type ModelServer, startModelServer, type ToolResult } from "../support/model-server.ts";
import {
  actionPlaces,
  bash,
  canaries,
  cwdOf,
  expectNothingRunning,
  gitOut,
  leaksInFiles,
  needles,
  processesWith,
} from "./harness.ts";

/** What each attacker reads and writes into its worktree. */
const DUMP = (prefix: string) =>
  [
    `for f in /proc/[0-9]*/environ; do echo "== $f"; tr '\\0' '\\n' < "$f"; done > ${prefix}-proc-environ.txt 2>&1`,
    `ps eww -e > ${prefix}-ps-e.txt 2>&1`,
    `tr '\\0' '\\n' < /proc/$PPID/environ > ${prefix}-ppid-environ.txt 2>&1`,
    `tr '\\0' '\\n' < /proc/1/environ > ${prefix}-pid1-environ.txt 2>&1`,
    `env > ${prefix}-env.txt`,
    `ls /proc | grep -c '^[0-9]' > ${prefix}-pids.txt`,
    `ls -A "$HOME" > ${prefix}-home.txt; cat "$HOME/.claude.json" > ${prefix}-home-config.txt 2>&1`,
    `echo "the ${prefix} attack ran" > ${prefix}-proof.txt`,
  ].join("; ");

let watch: string[] = [];
afterEach(async () => {
  await expectNothingRunning(...watch);
  watch = [];
});

describe("attack: read the engine's environment", () => {
  it("a run: command and Claude's Bash dump every environment they can see; no credential is in any of it, nor anywhere else", async () => {
    const secret = canaries();
    const started = Date.now();
    let server: ModelServer | undefined;
    let claudeSaw: ToolResult[] = [];
    try {
      server = await startModelServer((req) => {
        const cwd = cwdOf(req);
        if (req.index === 0 && cwd) return bash(`cd ${cwd} && ${DUMP("claude")}`);
        if (req.index === 1) {
          claudeSaw = req.toolResults;
          return bash("env");
        }
        if (req.index === 2) {
          claudeSaw = [...claudeSaw, ...req.toolResults];
          return { text: "Dumped." };
        }
        return { text: "Dumped." };
      });
      await using e2e = await startE2E({
        ".github/claude-tasks/dump.yml": `run: ${JSON.stringify(DUMP("command"))}\npaths: { allow: ["**"] }\n`,
        ".github/claude-tasks/claude.yml": [
          "prompt: Do the scripted thing.",
          "paths: { allow: ['**'] }",
          "agent:",
          "  permission_mode: acceptEdits",
          "  allowed_tools: [Bash]",
          "  timeout: 60s",
          "",
        ].join("\n"),
      });
      watch = [e2e.repo.root, ...Object.values(secret)];
      const r = await e2e.run({
        event: "workflow_dispatch",
        inputs: { "anthropic-api-key": secret.anthropicKey },
        env: {
          ANTHROPIC_BASE_URL: server.url,
          CLAUDE_CODE_MAX_RETRIES: "0",
          GITHUB_TOKEN: secret.envGithubToken,
          ACTIONS_RUNTIME_TOKEN: secret.runtimeToken,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: secret.idToken,
          ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1:9/oidc",
        },
      });
      const res = results(r.outputs);
      const byTask = Object.fromEntries(res.map((x) => [x.task, x]));

      // The attacks ran: each one's proof and dumps are in its pushed branch.
      expect(byTask.dump?.status, r.stdout).toBe("success");
      expect(byTask.claude?.status, r.stdout).toBe("success");
      const show = (task: string, file: string) =>
        gitOut(e2e, e2e.repo.origin!, "show", `refs/heads/claude-tasks/${task}:${file}`);
      expect(show("dump", "command-proof.txt")).toBe("the command attack ran");
      expect(show("claude", "claude-proof.txt")).toBe("the claude attack ran");
      for (const [task, prefix] of [
        ["dump", "command"],
        ["claude", "claude"],
      ] as const) {
        // It saw processes and environments (its own sandbox's), just not the engine's.
        expect(show(task, `${prefix}-proc-environ.txt`)).toMatch(/^== \/proc\/1\/environ$/m);
        expect(show(task, `${prefix}-env.txt`)).toMatch(/^PATH=/m);
        expect(show(task, `${prefix}-ps-e.txt`)).toMatch(/PID/);
        // Only the sandbox's own processes: a handful, not the host's table.
        expect(Number(show(task, `${prefix}-pids.txt`))).toBeLessThan(20);
      }
      // Its HOME is its own: empty for the command; for Claude Code only what it writes and the
      // engine's seed (src/engine/agent/claude-home.ts), which spared it its migrations.
      expect(show("dump", "command-home.txt")).toBe("");
      expect(show("claude", "claude-home.txt").split("\n").sort()).toEqual([".claude", ".claude.json"]);
      const claudeConfig = JSON.parse(show("claude", "claude-home-config.txt"));
      expect(claudeConfig.migrationVersion).toBe(CLAUDE_MIGRATION_VERSION);
      expect(claudeConfig).not.toHaveProperty("seenNotifications");
      // Inside Claude, `env` shows the placeholder key and the proxy's address, never the key.
      const envSeen = claudeSaw.map((t) => t.text).join("\n");
      expect(envSeen).toMatch(/^ANTHROPIC_API_KEY=.*claude-tasks-proxy-placeholder/m);
      expect(envSeen).toMatch(/^ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/\S+/m);
      expect(envSeen).not.toMatch(/^(INPUT_|ACTIONS_|GITHUB_TOKEN=|GH_TOKEN=)/m);

      // No canary in the result, log, summary, requests to GitHub, objects or what the agent saw.
      const all = needles({ githubTokenInput: TOKEN, ...secret });
      const places = {
        ...actionPlaces(e2e, r),
        "what Claude's tools returned": envSeen,
        "requests to the model": JSON.stringify(server.requests.map((q) => q.body)),
      };
      const leaks: string[] = [];
      for (const [where, text] of Object.entries(places))
        for (const [name, needle] of all) if (text.includes(needle)) leaks.push(`${name} in ${where}`);
      expect(leaks).toEqual([]);
      // …nor in any file written anywhere on the host since the run began.
      const roots = [tmpdir(), "/var/tmp", "/dev/shm", "/root", e2e.repo.root];
      const written = leaksInFiles(roots, started, all);
      expect(written).toEqual([]);
      // The model key reached only the model server, as the credential of the agent's requests; the
      // proxy's own preconnect (HEAD /api/hello) carries no credential at all.
      const [own, agents] = [
        server.requests.filter((q) => q.method === "HEAD" && q.path.endsWith("/api/hello")),
        server.requests.filter((q) => !(q.method === "HEAD" && q.path.endsWith("/api/hello"))),
      ];
      expect(own).toHaveLength(1);
      expect(own[0]?.headers["x-api-key"] ?? own[0]?.headers.authorization).toBeUndefined();
      expect(agents.length).toBeGreaterThan(0);
      expect(agents.every((q) => q.headers["x-api-key"] === secret.anthropicKey)).toBe(true);
    } finally {
      await server?.close();
    }
    expect(processesWith(secret.anthropicKey)).toEqual([]);
  });
});
