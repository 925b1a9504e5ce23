import { createGitHub, type GitHub } from "../../src/engine/github/client.ts";
import type { Logger } from "../../src/engine/logger.ts";
import { type GitHubFake, type GitHubFakeOptions, startGitHubFake } from "../support/github-fake/index.ts";

export const TOKEN = "ghs_testTokenThatMustNeverLeak0123456789";

export interface Harness {
  fake: GitHubFake;
  gh: GitHub;
  logs: string[];
  logger: Logger;
}

/** A fake GitHub and a client against it, with waits scaled to a few milliseconds per GitHub second. */
export async function startHarness(o: Partial<GitHubFakeOptions> = {}): Promise<Harness> {
  const fake = await startGitHubFake({ owner: "acme", repo: "widgets", token: TOKEN, ...o });
  const logs: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    error: (m) => logs.push(m),
  };
  const gh = createGitHub({
    token: TOKEN,
    baseUrl: fake.url,
    owner: fake.state.owner,
    repo: fake.state.repo,
    logger,
    policy: { msPerSecond: 5, spaceWrites: false },
  });
  return { fake, gh, logs, logger };
}
