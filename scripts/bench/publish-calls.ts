// Benchmark child: GitHub API calls per pull request path, counted the way the tests count them — by the
// fake GitHub (tests/support/github-fake, validated against GitHub's OpenAPI description) receiving the
// requests of the engine's publisher. Prints JSON: { "<path>": { calls, writes }, … }.
//
//   node scripts/bench/publish-calls.ts
import { createGitHub } from "../../src/engine/github/client.ts";
import { type PublishOptions, publishPullRequest } from "../../src/engine/github/publish.ts";
import { startGitHubFake } from "../../tests/support/github-fake/index.ts";

const TOKEN = "ghs_benchTokenNeverSent000000000000000";
const fake = await startGitHubFake({ owner: "acme", repo: "bench", token: TOKEN });
fake.addCollaborator("bob", "write");
const gh = createGitHub({
  token: TOKEN,
  baseUrl: fake.url,
  owner: "acme",
  repo: "bench",
  policy: { spaceWrites: false },
});

const counts: Record<string, { calls: number; writes: number }> = {};
let n = 0;
/** Publishes for a fresh task branch (`first` run) or the same one again; records what the fake saw. */
async function path(name: string, over: Partial<PublishOptions>, branch = `claude-tasks/t${++n}`) {
  fake.pushBranch(branch);
  fake.resetCalls();
  await publishPullRequest({
    gh,
    branch,
    base: "main",
    title: "chore: bench",
    body: `run ${name}`,
    branchExistedOnRemote: false,
    hasChanges: true,
    ...over,
  });
  counts[name] = { calls: fake.callCount(), writes: fake.callCount({ writes: true }) };
  return branch;
}

const EXTRAS = {
  labels: ["automation"],
  reviewers: ["bob"],
  assignees: ["bob"],
  autoMerge: "squash" as const,
};
const again = { branchExistedOnRemote: true };

const b = await path("open", {});
await path("update", { ...again, body: "run 2" }, b);
await path("update, same report", { ...again, body: "run 2" }, b);
await path("no changes", { ...again, hasChanges: false }, b);
await path("dry run", { ...again, body: "run 3", dryRun: true }, b);
await path("no changes, on_no_changes: close", { ...again, hasChanges: false, onNoChanges: "close" }, b);
const x = await path("open + 4 extra kinds", EXTRAS);
await path("update + 4 extra kinds", { ...again, ...EXTRAS, body: "run 2" }, x);
await path(
  "update, 1 new label",
  { ...again, ...EXTRAS, labels: ["automation", "nightly"], body: "run 3" },
  x,
);

await fake.close();
console.log(JSON.stringify(counts));
