import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  createGitHub,
  createGitHubPublisher
} from "./chunk-WAEONMBT.js";
import {
  UserError,
  createGit,
  stderrLogger
} from "./chunk-FNPOHAIZ.js";

// src/cli/publisher.ts
function parseGitHubRemote(url) {
  const m = /^(?:https?:\/\/(?:[^@/]+@)?[^/]+\/|ssh:\/\/git@[^/]+\/|git@[^:]+:)([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(
    url.trim()
  );
  return m ? { owner: m[1], repo: m[2] } : void 0;
}
async function githubPublisherFromEnv(repoRoot) {
  const token = process.env.GITHUB_TOKEN || process.env.GH_TOKEN;
  if (!token)
    throw new UserError(
      "--pr needs a GitHub token in GITHUB_TOKEN or GH_TOKEN (e.g. GH_TOKEN=$(gh auth token))"
    );
  const url = (await createGit({ cwd: repoRoot }).run(["remote", "get-url", "origin"], { allowFailure: true })).stdout;
  const slug = parseGitHubRemote(url) ?? parseSlug(process.env.GITHUB_REPOSITORY);
  if (!slug)
    throw new UserError(
      `cannot tell the GitHub repository from the origin URL \`${url.trim()}\`; set GITHUB_REPOSITORY=owner/repo`
    );
  const gh = createGitHub({ token, baseUrl: process.env.GITHUB_API_URL, ...slug, logger: stderrLogger() });
  return { publisher: createGitHubPublisher({ gh, logger: stderrLogger() }), gh };
}
function parseSlug(s) {
  const m = s ? /^([^/\s]+)\/([^/\s]+)$/.exec(s) : null;
  return m ? { owner: m[1], repo: m[2] } : void 0;
}

export {
  githubPublisherFromEnv
};
