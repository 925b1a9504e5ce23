/**
 * What every task of a run shares about the user's repository: its git client, the state directory,
 * the remote, and where the base branch's and the task branch's tips come from (the remote in `pr` mode
 * and in a dry run of it, the local branches otherwise — a developer's local run works on the main
 * branch they see).
 */
import { UserError } from "../errors.ts";
import { fetchRefs, type Git, lsRemote, resolveCommit } from "../git/index.ts";
import type { Logger } from "../logger.ts";
import { createMutex } from "./mutex.ts";
import type { RunMode } from "./types.ts";

export interface RepoContext {
  git: Git;
  state: string;
  mode: RunMode;
  remote?: string;
  /**
   * Branch tips come from the remote: `pr` mode, and a dry run that previews pull requests (it has a
   * publisher), which must see the task branch and PR a real run would update.
   */
  fromRemote: boolean;
  logger: Logger;
  /** Serialises fetches (they take ref locks). */
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
}

export async function makeRepoContext(opts: {
  git: Git;
  state: string;
  mode: RunMode;
  remote?: string;
  /** A dry run that previews pull requests (see `RepoContext.fromRemote`). */
  previewsPullRequests?: boolean;
  logger: Logger;
}): Promise<RepoContext> {
  const remotes = (await opts.git.run(["remote"])).stdout.split("\n").filter(Boolean);
  const wanted = opts.remote ?? "origin";
  const remote = remotes.includes(wanted) ? wanted : undefined;
  if (opts.mode === "pr" && !remote) {
    throw new UserError(`cannot open pull requests: the repository has no remote \`${wanted}\``);
  }
  const fromRemote =
    remote !== undefined && (opts.mode === "pr" || (opts.mode === "dry-run" && !!opts.previewsPullRequests));
  return {
    git: opts.git,
    state: opts.state,
    mode: opts.mode,
    remote,
    fromRemote,
    logger: opts.logger,
    serial: createMutex(),
  };
}

/** The repository's default branch: the remote's HEAD, else the checked-out branch, else `main`. */
export async function defaultBranch(ctx: RepoContext): Promise<string> {
  if (ctx.remote) {
    const r = await ctx.git.run(["symbolic-ref", "--quiet", `refs/remotes/${ctx.remote}/HEAD`], {
      allowFailure: true,
    });
    const m = /^refs\/remotes\/[^/]+\/(.+)$/.exec(r.stdout.trim());
    if (m) return m[1]!;
    if (ctx.fromRemote) {
      const s = await ctx.git.run(["ls-remote", "--symref", ctx.remote, "HEAD"], { allowFailure: true });
      const sm = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(s.stdout);
      if (sm) return sm[1]!;
    }
  }
  const head = await ctx.git.run(["symbolic-ref", "--quiet", "--short", "HEAD"], { allowFailure: true });
  return head.stdout.trim() || "main";
}

const trackingRef = (ctx: RepoContext, branch: string) => `refs/remotes/${ctx.remote}/${branch}`;

/** Fetches `branch` from the remote into its remote-tracking ref; returns the tip or undefined. */
export async function fetchBranch(ctx: RepoContext, branch: string): Promise<string | undefined> {
  if (!ctx.remote) return undefined;
  const remote = ctx.remote;
  return ctx.serial(async () => {
    const tips = await lsRemote({ git: ctx.git, remote, refs: [`refs/heads/${branch}`] });
    if (!tips.has(`refs/heads/${branch}`)) return undefined;
    await fetchRefs({
      git: ctx.git,
      remote,
      refspecs: [`+refs/heads/${branch}:${trackingRef(ctx, branch)}`],
    });
    return resolveCommit(ctx.git, trackingRef(ctx, branch));
  });
}

/** The tip a run `onto` an existing branch starts from: the branch, or a fork PR's head ref. */
export async function fetchOnto(
  ctx: RepoContext,
  onto: { branch: string; fetchRef?: string },
): Promise<string | undefined> {
  if (!onto.fetchRef) return fetchBranch(ctx, onto.branch);
  if (!ctx.remote) return undefined;
  const remote = ctx.remote;
  const local = `refs/claude-tasks/onto/${onto.fetchRef.replace(/^refs\//, "")}`;
  return ctx.serial(async () => {
    await fetchRefs({ git: ctx.git, remote, refspecs: [`+${onto.fetchRef}:${local}`] });
    return resolveCommit(ctx.git, local);
  });
}

/** The latest tip of the base branch, fetched fresh when tips come from the remote. */
export async function baseTip(ctx: RepoContext, base: string): Promise<string> {
  const tip = ctx.fromRemote
    ? await fetchBranch(ctx, base)
    : ((await resolveCommit(ctx.git, `refs/heads/${base}`)) ??
      (ctx.remote ? await resolveCommit(ctx.git, trackingRef(ctx, base)) : undefined));
  if (!tip)
    throw new UserError(`base branch \`${base}\` not found${ctx.fromRemote ? ` on ${ctx.remote}` : ""}`);
  return tip;
}
