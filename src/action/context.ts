/**
 * The run's context from the runner's environment (what `@actions/github`'s context reads, without
 * loading Octokit): event name and payload, repository, URLs, workspace.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { UserError } from "../engine/errors.ts";

export interface ActionContext {
  eventName: string;
  payload: Record<string, unknown>;
  owner: string;
  repo: string;
  /** `owner/repo`. */
  repository: string;
  /** The checkout the workflow made (the repository the tasks live in). */
  workspace: string;
  apiUrl: string;
  serverUrl: string;
  runUrl?: string;
  runId?: string;
  actor?: string;
  job?: string;
  tempDir: string;
}

export function readContext(env: Record<string, string | undefined>): ActionContext {
  const repository = env.GITHUB_REPOSITORY ?? "";
  const [owner, repo] = repository.split("/");
  if (!owner || !repo)
    throw new UserError("GITHUB_REPOSITORY is not set (owner/repo): is this running on GitHub Actions?");
  const serverUrl = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const ctx: ActionContext = {
    eventName: env.GITHUB_EVENT_NAME ?? "",
    payload: readPayload(env.GITHUB_EVENT_PATH),
    owner,
    repo,
    repository,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""),
    serverUrl,
    tempDir: env.RUNNER_TEMP || tmpdir(),
  };
  if (env.GITHUB_RUN_ID) {
    ctx.runId = env.GITHUB_RUN_ID;
    ctx.runUrl = `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  if (env.GITHUB_ACTOR) ctx.actor = env.GITHUB_ACTOR;
  if (env.GITHUB_JOB) ctx.job = env.GITHUB_JOB;
  return ctx;
}

function readPayload(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    throw new UserError(`the event payload ${path} is not JSON`);
  }
}
