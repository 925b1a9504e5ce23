import { UserError } from "../engine/errors.ts";
import { createGit } from "../engine/git/index.ts";
import { createGitHub, type GitHub } from "../engine/github/index.ts";
import { createGitHubPublisher } from "../engine/github/pr-publisher.ts";
import { stderrLogger } from "../engine/logger.ts";
import type { Publisher } from "../engine/run/index.ts";

/** `owner/repo` from a GitHub remote URL (https, ssh or scp-like). */
export function parseGitHubRemote(url: string): { owner: string; repo: string } | undefined {
  const m =
    /^(?:https?:\/\/(?:[^@/]+@)?[^/]+\/|ssh:\/\/git@[^/]+\/|git@[^:]+:)([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  return m ? { owner: m[1]!, repo: m[2]! } : undefined;
}

/**
 * `run --pr` on a developer's machine: the API token comes from GITHUB_TOKEN or GH_TOKEN, the
 * repository from the `origin` URL; the push uses the developer's own git credentials.
 */
export async function githubPublisherFromEnv(
  repoRoot: string,
): Promise<{ publisher: Publisher; gh: GitHub; gitEnv?: Record<string, string> }> {
  const token = process.env.GITHUB_TOKEN || process.env.GH_TOKEN;
  if (!token)
    throw new UserError(
      "--pr needs a GitHub token in GITHUB_TOKEN or GH_TOKEN (e.g. GH_TOKEN=$(gh auth token))",
    );
  const url = (
    await createGit({ cwd: repoRoot }).run(["remote", "get-url", "origin"], { allowFailure: true })
  ).stdout;
  const slug = parseGitHubRemote(url) ?? parseSlug(process.env.GITHUB_REPOSITORY);
  if (!slug)
    throw new UserError(
      `cannot tell the GitHub repository from the origin URL \`${url.trim()}\`; set GITHUB_REPOSITORY=owner/repo`,
    );
  const gh = createGitHub({ token, baseUrl: process.env.GITHUB_API_URL, ...slug, logger: stderrLogger() });
  return { publisher: createGitHubPublisher({ gh, logger: stderrLogger() }), gh };
}

function parseSlug(s: string | undefined): { owner: string; repo: string } | undefined {
  const m = s ? /^([^/\s]+)\/([^/\s]+)$/.exec(s) : null;
  return m ? { owner: m[1]!, repo: m[2]! } : undefined;
}
