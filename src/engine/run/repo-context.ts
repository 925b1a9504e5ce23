/**
 * What every task of a run shares about the user's repository: its git client, the state directory,
 * the remote, and where the base branch's and the task branch's tips come from (the remote in `pr` mode
 * and in a dry run of it, the local branches otherwise — a developer's local run works on the main
 * branch they see).
 */
import { UserError } from "../errors.ts";
import { fetchRefs, type Git, resolveCommit } from "../git/index.ts";
import type { Logger } from "../logger.ts";
import { expectStateTip, FETCHED_STATE_REF, STATE_REF } from "../schedule/state.ts";
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
  state: string | Promise<string>;
  mode: RunMode;
  remote?: string;
  /** A dry run that previews pull requests (see `RepoContext.fromRemote`). */
  previewsPullRequests?: boolean;
  logger: Logger;
}): Promise<RepoContext> {
  const [listed, state] = await Promise.all([opts.git.run(["remote"]), opts.state]);
  const remotes = listed.stdout.split("\n").filter(Boolean);
  const wanted = opts.remote ?? "origin";
  const remote = remotes.includes(wanted) ? wanted : undefined;
  if (opts.mode === "pr" && !remote) {
    throw new UserError(`cannot open pull requests: the repository has no remote \`${wanted}\``);
  }
  const fromRemote =
    remote !== undefined && (opts.mode === "pr" || (opts.mode === "dry-run" && !!opts.previewsPullRequests));
  return {
    git: opts.git,
    state,
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

/**
 * Where fetched remote tips are kept: private refs (never shown by `git branch -a`, never confused with
 * the user's remote-tracking branches), under `refs/claude-tasks/` so unpushed work they hold counts as
 * reachable.
 */
export const FETCHED_PREFIX = "refs/claude-tasks/remote/";
const fetchedRef = (branch: string) => `${FETCHED_PREFIX}${branch}`;

/** The run-wide fetch (see `prefetchTips`): which branches it covers, and their tips once it is done. */
interface Prefetch {
  names: ReadonlySet<string>;
  done: Promise<Map<string, string>>;
}

const prefetches = new WeakMap<RepoContext, Prefetch>();

/**
 * Starts the run's one fetch: every base and every task branch in one `git fetch` (one connection:
 * the capability advertisement, one ref listing, and a pack only when something is missing locally).
 * A base must exist (an exact refspec); a task branch may not, so it is fetched through a one-name
 * pattern (`refs/heads/<b>*`), which matches nothing rather than failing when the branch is absent,
 * and `--prune` drops a private ref whose branch is gone. `--refmap=`: the user's remote-tracking
 * branches are not updated on the side. Not awaited here: tasks await it where they
 * need a remote tip, so a task whose base is already local starts its agent meanwhile.
 */
export function prefetchTips(
  ctx: RepoContext,
  bases: readonly string[],
  branches: readonly string[],
  opts: { state?: boolean } = {},
): void {
  if (!ctx.fromRemote || !ctx.remote) return;
  const names = new Set([...bases, ...branches]);
  const fetched = fetchTips(
    ctx,
    [...new Set(bases)],
    branches.filter((b) => !bases.includes(b)),
    opts.state === true,
  );
  const done = fetched.then((f) => f.tips);
  done.catch(() => {}); // awaited (and reported) by the tasks that need it
  prefetches.set(ctx, { names, done });
  // the ledger's first update of the state ref starts from what this fetch brings
  if (opts.state)
    expectStateTip(
      ctx.git,
      ctx.remote,
      STATE_REF,
      fetched.then((f) => f.state),
    );
}

async function fetchTips(
  ctx: RepoContext,
  exact: readonly string[],
  optional: readonly string[],
  withState: boolean,
): Promise<{ tips: Map<string, string>; state: string | null | undefined }> {
  const remote = ctx.remote!;
  // A pattern covers every name it is a prefix of: `a*` already fetches `a-b`.
  const patterns = [...new Set(optional)].filter(
    (b, _, all) => !exact.includes(b) && !all.some((o) => o !== b && b.startsWith(o)),
  );
  const specs = (globExact: boolean) => [
    ...exact.map((b) =>
      globExact ? `+refs/heads/${b}*:${fetchedRef(b)}*` : `+refs/heads/${b}:${fetchedRef(b)}`,
    ),
    ...patterns.map((b) => `+refs/heads/${b}*:${fetchedRef(b)}*`),
    // the schedule state and ledger, as `readRemoteState` fetches it (a pattern: it may not exist)
    ...(withState ? [`+${STATE_REF}*:${FETCHED_STATE_REF}*`] : []),
  ];
  return ctx.serial(async () => {
    const args = [
      "fetch",
      "--no-tags",
      "--no-write-fetch-head",
      "--quiet",
      "--prune",
      "--refmap=",
      "--",
      remote,
    ];
    const r = await ctx.git.run([...args, ...specs(false)], { allowFailure: true });
    if (r.exitCode !== 0) {
      // A base that does not exist: fetch the rest, and let each task report its own missing base.
      if (!/couldn't find remote ref/i.test(r.stderr)) await ctx.git.run([...args, ...specs(false)]);
      else if (exact.length > 0) {
        for (const b of exact) await ctx.git.run(["update-ref", "-d", fetchedRef(b)]);
        await ctx.git.run([...args, ...specs(true)]);
      }
    }
    return readFetched(ctx, withState);
  });
}

async function readFetched(
  ctx: RepoContext,
  withState = false,
): Promise<{ tips: Map<string, string>; state: string | null | undefined }> {
  const out = await ctx.git.run([
    "for-each-ref",
    "--format=%(objectname) %(refname)",
    FETCHED_PREFIX,
    ...(withState ? [FETCHED_STATE_REF] : []),
  ]);
  const tips = new Map<string, string>();
  let state: string | null | undefined = withState ? null : undefined;
  for (const line of out.stdout.split("\n")) {
    const i = line.indexOf(" ");
    if (i <= 0) continue;
    const ref = line.slice(i + 1);
    if (ref === FETCHED_STATE_REF) state = line.slice(0, i);
    else if (ref.startsWith(FETCHED_PREFIX)) tips.set(ref.slice(FETCHED_PREFIX.length), line.slice(0, i));
  }
  return { tips, state };
}

/**
 * The remote tip of `branch` (undefined when it does not exist there): from the run's fetch when it
 * covers the branch, else one fetch of its own (no `ls-remote` first: a pattern refspec finds it or not).
 */
export async function fetchBranch(ctx: RepoContext, branch: string): Promise<string | undefined> {
  if (!ctx.remote) return undefined;
  const pre = prefetches.get(ctx);
  if (pre?.names.has(branch)) return (await pre.done).get(branch);
  return (await fetchTips(ctx, [], [branch], false)).tips.get(branch);
}

/** The branch's tip on the remote now: one fetch, never the tip prefetched when the run started. */
export async function fetchBranchNow(ctx: RepoContext, branch: string): Promise<string | undefined> {
  if (!ctx.remote) return undefined;
  return (await fetchTips(ctx, [], [branch], false)).tips.get(branch);
}

/** The tip a run `onto` an existing branch starts from: the branch, or a fork PR's head ref. */
export async function fetchOnto(
  ctx: RepoContext,
  onto: { branch: string; fetchRef?: string },
  fresh = false,
): Promise<string | undefined> {
  if (!onto.fetchRef) return fresh ? freshTip(ctx, onto.branch) : fetchBranch(ctx, onto.branch);
  if (!ctx.remote) return undefined;
  const remote = ctx.remote;
  const local = `refs/claude-tasks/onto/${onto.fetchRef.replace(/^refs\//, "")}`;
  return ctx.serial(async () => {
    await fetchRefs({ git: ctx.git, remote, refspecs: [`+${onto.fetchRef}:${local}`] });
    return resolveCommit(ctx.git, local);
  });
}

/** One fetch of `branch` alone, now (the base after the agent ran: has it moved?). */
async function freshTip(ctx: RepoContext, branch: string): Promise<string | undefined> {
  return (await fetchTips(ctx, [branch], [], false)).tips.get(branch);
}

/**
 * The latest tip of the base branch: when tips come from the remote, from the run's fetch (or, with
 * `fresh`, fetched again now); else the local branch.
 */
export async function baseTip(
  ctx: RepoContext,
  base: string,
  opts: { fresh?: boolean; local?: LocalRefs } = {},
): Promise<string> {
  const known = opts.local ? await opts.local() : undefined;
  const tip = ctx.fromRemote
    ? await (opts.fresh ? freshTip(ctx, base) : fetchBranch(ctx, base))
    : known
      ? (known.tips.get(`refs/heads/${base}`) ?? known.tips.get(`refs/remotes/${ctx.remote}/${base}`))
      : ((await resolveCommit(ctx.git, `refs/heads/${base}`)) ??
        (ctx.remote ? await resolveCommit(ctx.git, `refs/remotes/${ctx.remote}/${base}`) : undefined));
  if (!tip)
    throw new UserError(`base branch \`${base}\` not found${ctx.fromRemote ? ` on ${ctx.remote}` : ""}`);
  return tip;
}

/**
 * The repository's branches, tags and remote-tracking refs, read once when a task starts (one
 * `for-each-ref`): its local base and branch tips, and the refs its agent's private git dir gets.
 */
export type LocalRefs = () => Promise<{ text: string; tips: Map<string, string> }>;

export function localRefs(ctx: RepoContext): LocalRefs {
  let read: Promise<{ text: string; tips: Map<string, string> }> | undefined;
  return () =>
    (read ??= ctx.git
      .run(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags", "refs/remotes"])
      .then(({ stdout }) => {
        const tips = new Map<string, string>();
        for (const line of stdout.split("\n")) {
          const i = line.indexOf(" ");
          if (i > 0) tips.set(line.slice(i + 1), line.slice(0, i));
        }
        return { text: stdout, tips };
      }));
}

/**
 * The base as the checkout already holds it (its remote-tracking branch, as actions/checkout leaves
 * it, else the local branch), read without the network; undefined when there is none.
 */
export async function localBase(ctx: RepoContext, base: string): Promise<string | undefined> {
  return (
    (ctx.remote ? await resolveCommit(ctx.git, `refs/remotes/${ctx.remote}/${base}`) : undefined) ??
    (await resolveCommit(ctx.git, `refs/heads/${base}`))
  );
}
