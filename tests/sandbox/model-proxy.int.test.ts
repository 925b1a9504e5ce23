/**
 * The REAL Claude Code CLI through the model-key proxy: it gets only the proxy's `agentEnv` (a nonce
 * base URL and a placeholder), the scripted model server upstream gets the real credential. Proves
 * the run works as before and that the credential is nowhere the agent can reach: its processes'
 * environment, what its tools see, every file it wrote.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type AgentEvent,
  type ClaudeAgentSettings,
  createClaudeAgent,
} from "../../src/engine/agent/index.ts";
import {
  type ModelCredential,
  type ModelProxy,
  startModelProxy,
} from "../../src/engine/sandbox/model-proxy.ts";
import { CLAUDE_PATH, processesOf, removeTempDirs, tempDir } from "../agent/harness.ts";
import { type ModelServer, type Scenario, startModelServer } from "../support/model-server.ts";

afterAll(removeTempDirs);

const KINDS = [
  { kind: "api-key", header: "x-api-key", sent: (s: string) => s, prefix: "sk-ant-api03-" },
  { kind: "oauth", header: "authorization", sent: (s: string) => `Bearer ${s}`, prefix: "sk-ant-oat01-" },
] as const;

interface Run {
  server: ModelServer;
  proxy: ModelProxy;
  dirs: string[];
  cwd: string;
  events: AgentEvent[];
  result: Awaited<ReturnType<ReturnType<typeof createClaudeAgent>["run"]>>;
}

/** One CLI run whose only model access is the proxy; `scenario` gets the spawn event to look at the CLI. */
async function runThroughProxy(
  credential: ModelCredential,
  settings: ClaudeAgentSettings,
  scenario: (spawn: () => Extract<AgentEvent, { type: "spawn" }>) => Scenario,
): Promise<Run> {
  const events: AgentEvent[] = [];
  const spawn = () => {
    const e = events.find((x) => x.type === "spawn");
    if (e?.type !== "spawn") throw new Error("no spawn event yet");
    return e;
  };
  const server = await startModelServer(scenario(spawn));
  const proxy = await startModelProxy({ credential, upstream: server.url, proxyEnv: {} });
  const home = tempDir("home");
  const tmp = tempDir("tmp");
  const cwd = tempDir("cwd");
  try {
    const agent = createClaudeAgent(settings, { claudePath: CLAUDE_PATH, killGraceMs: 1_000 });
    const result = await agent.run({
      cwd,
      prompt: "Do the scripted thing.",
      timeoutMs: 45_000,
      // Nothing but what any CLI run needs, and the proxy's two variables: no credential at all.
      env: {
        PATH: process.env.PATH,
        HOME: home,
        CLAUDE_CODE_TMPDIR: tmp,
        LANG: "C.UTF-8",
        CLAUDE_CODE_MAX_RETRIES: "3",
        ...proxy.agentEnv,
      },
      onEvent: (e) => events.push(e),
    });
    return { server, proxy, dirs: [home, tmp, cwd], cwd, events, result };
  } finally {
    await proxy.close();
    await server.close();
  }
}

/** Every file under `dir`, recursively (symlinks not followed). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** The environment blocks of the CLI and every process it started, as the kernel has them. */
function environOfTree(pid: number, marker: string): string[] {
  return processesOf(pid, marker).flatMap((p) => {
    try {
      return [readFileSync(`/proc/${p.pid}/environ`, "latin1")];
    } catch {
      return [];
    }
  });
}

describe.each(KINDS)("Claude Code through the model proxy ($kind)", ({ kind, header, sent, prefix }) => {
  it("runs a tool call with only the placeholder; the credential reaches the upstream and nothing else", async () => {
    const secret = `${prefix}REAL-SECRET-${randomBytes(16).toString("hex")}`;
    const environs: string[] = [];
    let toolSawEnv = "";
    const run = await runThroughProxy(
      { kind, value: secret },
      { permission_mode: "acceptEdits", allowed_tools: ["Bash(env)"] },
      (spawn) =>
        ({ index, toolResults }) => {
          if (index === 0) {
            // The CLI is waiting for this answer: its process tree is alive now.
            environs.push(...environOfTree(spawn().pid, spawn().marker));
            return { tool: "Bash", input: { command: "env", description: "print the environment" } };
          }
          if (index === 1) {
            toolSawEnv = toolResults[0]?.text ?? "";
            return {
              tool: "Write",
              input: { file_path: "proof.txt", content: "written through the proxy\n" },
            };
          }
          return { text: "Done through the proxy." };
        },
    );
    const { server, proxy, result, cwd } = run;

    // The run works as it does with the key in its environment.
    expect(result.status).toBe("success");
    expect(result.summary).toBe("Done through the proxy.");
    expect(readFileSync(join(cwd, "proof.txt"), "utf8")).toBe("written through the proxy\n");

    // Every request the upstream saw carried the real credential, in the header of its kind only.
    expect(server.mainRequests.length).toBe(3);
    expect(server.requests.length).toBe(proxy.requests);
    for (const r of server.requests) {
      expect(r.headers[header], `${r.method} ${r.path}`).toBe(sent(secret));
      expect(r.headers[header === "x-api-key" ? "authorization" : "x-api-key"]).toBeUndefined();
      expect(r.path.startsWith("/v1/") || r.path === "/").toBe(true);
    }

    // The CLI's processes and what its tools see hold the placeholder, never the credential.
    expect(environs.length).toBeGreaterThan(0);
    for (const environ of environs) {
      expect(environ).not.toContain(secret);
      expect(environ).toContain(`ANTHROPIC_BASE_URL=${proxy.baseUrl}`);
      expect(environ).toContain(`${prefix}claude-tasks-proxy-placeholder`);
    }
    expect(toolSawEnv).toContain("ANTHROPIC_BASE_URL=");
    expect(toolSawEnv).not.toContain(secret);

    // Nothing it wrote under its HOME, temp dir or cwd holds it (the transcript with the `env` output
    // included), nor anything it reported.
    const files = run.dirs.flatMap(filesUnder);
    // The walk covers the transcript, which holds the `env` output the tool printed.
    expect(
      files.some((f) => f.endsWith(".jsonl") && readFileSync(f, "utf8").includes("ANTHROPIC_BASE_URL=")),
    ).toBe(true);
    for (const file of files) {
      expect(readFileSync(file, "latin1").includes(secret), file).toBe(false);
    }
    expect(JSON.stringify(run.result)).not.toContain(secret);
    expect(JSON.stringify(run.events)).not.toContain(secret);
  });

  it("429 and 529 from the upstream pass through and the CLI retries them itself", async () => {
    const secret = `${prefix}REAL-SECRET-${randomBytes(16).toString("hex")}`;
    const run = await runThroughProxy({ kind, value: secret }, { permission_mode: "acceptEdits" }, () => [
      { status: 429, retryAfter: 0 },
      { status: 529 },
      { tool: "Write", input: { file_path: "after-retries.txt", content: "ok\n" } },
      { text: "Retried." },
    ]);
    expect(run.result.status).toBe("success");
    expect(existsSync(join(run.cwd, "after-retries.txt"))).toBe(true);
    // Two refused attempts, then the two turns: four main requests, all with the real credential.
    expect(run.server.mainRequests.length).toBe(4);
    expect(run.server.requests.every((r) => r.headers[header] === sent(secret))).toBe(true);
  });
});

describe("the proxy's door", () => {
  it("a request without the nonce gets 403 and never reaches the upstream", async () => {
    const server = await startModelServer([]);
    const proxy = await startModelProxy({
      credential: { kind: "api-key", value: "sk-secret" },
      upstream: server.url,
      proxyEnv: {},
    });
    try {
      const origin = new URL(proxy.baseUrl).origin;
      const refused = await fetch(`${origin}/v1/messages?beta=true`, { method: "POST", body: "{}" });
      expect(refused.status).toBe(403);
      expect(await refused.text()).not.toContain("sk-secret");
      const allowed = await fetch(proxy.baseUrl, { method: "HEAD" });
      expect(allowed.status).toBe(200);
      expect(server.requests.map((r) => r.kind)).toEqual(["probe"]);
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});
