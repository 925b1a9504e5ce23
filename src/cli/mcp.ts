/**
 * `claude-tasks mcp` on stdio. The protocol owns stdout; warnings go to stderr. The server lives until
 * its client closes stdin or it gets SIGTERM/SIGINT; then every run it started is stopped the way
 * Ctrl-C stops `run` (agents ended, work backed up) and recorded as interrupted before it exits.
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createGit, stateDir } from "../engine/git/index.ts";
import { stderrLogger } from "../engine/logger.ts";
import { requireRepoRoot } from "../engine/project.ts";
import { BackgroundRuns } from "../engine/runs/registry.ts";
import type { Isolation } from "../engine/sandbox/types.ts";
import { createMcpServer } from "../mcp/server.ts";
import { githubPublisherFromEnv } from "./publisher.ts";
import { VERSION } from "./version.ts";

export async function serveMcp(o: { cwd?: string; configDir: string; isolation: Isolation }): Promise<void> {
  const repoRoot = await requireRepoRoot(o.cwd ?? process.cwd());
  const state = await stateDir(createGit({ cwd: repoRoot }));
  const runs = await BackgroundRuns.open({
    state,
    base: {
      repoRoot,
      isolation: o.isolation,
      claudePath: process.env.CLAUDE_TASKS_CLAUDE || undefined,
      logger: stderrLogger(),
    },
    forMode: async (mode) => {
      if (mode !== "pr") return {};
      const p = await githubPublisherFromEnv(repoRoot);
      return { publisher: p.publisher, ...(p.gitEnv ? { gitEnv: p.gitEnv } : {}) };
    },
  });
  const server = createMcpServer({ repoRoot, configDir: o.configDir, runs, version: VERSION });
  const transport = new StdioServerTransport();

  const { promise: closed, resolve } = Promise.withResolvers<void>();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void runs
      .shutdown()
      .finally(() => server.close())
      .finally(resolve);
  };
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  transport.onclose = stop;
  await server.connect(transport);
  await closed;
}
