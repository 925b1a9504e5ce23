/**
 * The task commit (one commit, bot identity, `Claude-Tasks-Task` / `Claude-Tasks-Run` trailers) and
 * the ownership check that uses those trailers: a branch with commits from anyone else is not ours to
 * overwrite.
 */
import { type Git, splitZ } from "./exec.ts";
import { isSha, requireCommit } from "./refs.ts";

export const TRAILER_TASK = "Claude-Tasks-Task";
/**
 * The committer of commits GitHub makes for an API call (`createCommitOnBranch`), as of its web editor.
 * A task commit made that way is authored by the token's owner, so it counts as ours by committer and
 * trailer (see `foreignCommits`).
 */
export const GITHUB_WEB_FLOW_EMAIL = "noreply@github.com";
export const TRAILER_RUN = "Claude-Tasks-Run";

export interface CommitAllOptions {
  /** A git client working in the worktree. */
  git: Git;
  subject: string;
  body?: string;
  task: string;
  runId: string;
  /** More trailers, e.g. `{ "Co-authored-by": "…" }`. */
  trailers?: Record<string, string>;
  /**
   * When given, everything since this commit (including commits the agent made itself) becomes the
   * one task commit on top of it.
   */
  base?: string;
  /**
   * The index already holds the whole change (`collectChanges` staged it and nothing changed since),
   * and it is not empty: skip staging again, which re-scans the whole tree.
   */
  staged?: boolean;
}

/**
 * Stages everything and makes one commit. Returns its id, or `undefined` when there is nothing to
 * commit (the tree equals the parent's).
 */
export async function commitAll(opts: CommitAllOptions): Promise<string | undefined> {
  const { git } = opts;
  if (opts.base) {
    const base = await requireCommit(git, opts.base);
    await git.run(["reset", "--soft", base]);
  }
  if (!opts.staged) {
    await git.run(["add", "-A", "--", "."]);
    const staged = await git.run(
      ["diff", "--cached", "--quiet", "--no-ext-diff", "--ignore-submodules=none"],
      {
        allowFailure: true,
      },
    );
    if (staged.exitCode === 0) return undefined;
  }
  const trailers: Record<string, string> = {
    [TRAILER_TASK]: opts.task,
    [TRAILER_RUN]: opts.runId,
    ...opts.trailers,
  };
  await git.run(["commit", "--no-verify", "--no-edit", "--cleanup=verbatim", "--file=-"], {
    input: commitMessage(opts.subject, opts.body, trailers),
  });
  return (await git.run(["rev-parse", "HEAD"])).stdout.trim();
}

export interface CommitTreeOptions {
  /** A git client working in the worktree. */
  git: Git;
  /** The tree that was checked (`Change.tree`): the commit holds exactly this tree. */
  tree: string;
  /** The first parent. */
  base: string;
  /** More parents (the base merged into a branch). */
  mergeParents?: readonly string[];
  /**
   * The caller knows the tree differs from the base's (a change with files) and holds both as full
   * ids it had from git: no look-up first (`commit-tree` itself refuses ids that are not a commit and
   * a tree).
   */
  changed?: boolean;
  subject: string;
  body?: string;
  task: string;
  runId: string;
  trailers?: Record<string, string>;
  /**
   * Sign the commit (`commit-tree -S`) with the user's own key, through this trusted client (it reads
   * the user's global configuration: `user.signingKey`, `gpg.format`, `gpg.program`), never the
   * worktree's. See `userSignsCommits`.
   */
  signWith?: Git;
}

/**
 * Whether the user's git configuration asks for signed commits (`commit.gpgSign`, from the system,
 * global, local or worktree file; the engine's own `-c commit.gpgSign=false` does not count).
 * `git commit-tree` does not read that setting, so the engine passes `-S` itself.
 */
export async function userSignsCommits(git: Git): Promise<boolean> {
  const r = await git.run(["config", "--show-scope", "--get-all", "--type=bool", "commit.gpgsign"], {
    allowFailure: true,
  });
  const values = r.stdout
    .split("\n")
    .map((l) => l.split("\t"))
    .filter(([scope, value]) => scope !== "command" && value !== undefined);
  return values.at(-1)?.[1] === "true";
}

/**
 * Makes the task commit of exactly `tree` on `base` (`git commit-tree`): nothing staged, written or
 * changed in the worktree after the tree was taken and checked can enter it. The worktree is left as
 * it is (a rebase resets it to the commit first). Returns the commit id, or `undefined` when the tree
 * equals the base's.
 */
export async function commitTree(opts: CommitTreeOptions): Promise<string | undefined> {
  const { git } = opts;
  // one git call for the three ids (rev-parse fails as a whole when one does not resolve; the engine's
  // own ids and branch names, which never start with "-")
  const known = opts.changed === true && isSha(opts.base) && isSha(opts.tree);
  const [base = "", baseTree = "", tree = ""] = known
    ? [opts.base, undefined, opts.tree]
    : (
        await git.run(["rev-parse", `${opts.base}^{commit}`, `${opts.base}^{tree}`, `${opts.tree}^{tree}`])
      ).stdout
        .trim()
        .split("\n");
  const merged = await Promise.all((opts.mergeParents ?? []).map((p) => requireCommit(git, p)));
  if (!known && tree === baseTree && merged.length === 0) return undefined;
  const trailers: Record<string, string> = {
    [TRAILER_TASK]: opts.task,
    [TRAILER_RUN]: opts.runId,
    ...opts.trailers,
  };
  const parents = [base, ...merged].flatMap((p) => ["-p", p]);
  const maker = opts.signWith ?? git;
  const commit = (
    await maker.run(["commit-tree", ...(opts.signWith ? ["-S"] : []), tree, ...parents, "-F", "-"], {
      input: commitMessage(opts.subject, opts.body, trailers),
    })
  ).stdout.trim();
  return commit;
}

/**
 * Subject, body, and the trailers as the last paragraph. Built here (not with `--trailer`) so that
 * `#` lines in the body are kept and cannot move the trailers away from the end.
 */
export function commitMessage(
  subject: string,
  body: string | undefined,
  trailers: Record<string, string>,
): string {
  const lines = Object.entries(trailers).map(([k, v]) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(k)) throw new Error(`invalid trailer key ${JSON.stringify(k)}`);
    return `${k}: ${oneLine(v)}`;
  });
  const text = body?.replace(/[ \t]+$/gm, "").trim();
  return [oneLine(subject), text, lines.join("\n")].filter(Boolean).join("\n\n") + "\n";
}

const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, " ").trim();

export interface ForeignCommit {
  sha: string;
  subject: string;
  author: string;
  committer: string;
  /** Why it is not ours, in one line. */
  reason: string;
}

/**
 * Commits on `branch` (a local or remote-tracking ref) that are not on `base` and were not made by
 * claude-tasks: another author or committer than the bot identity, no `Claude-Tasks-Task` trailer,
 * or (when `task` is given) the trailer of another task. A task commit that GitHub made for the
 * engine (signed, committed by GitHub's web-flow identity, authored by whoever owns the token) is
 * ours when it carries the task's trailer; a human's web edit has no such trailer.
 */
export async function foreignCommits(opts: {
  git: Git;
  branch: string;
  base: string;
  task?: string;
}): Promise<ForeignCommit[]> {
  const { git } = opts;
  const branch = await requireCommit(git, opts.branch);
  const base = await requireCommit(git, opts.base);
  const format = [
    "%H",
    "%an",
    "%ae",
    "%cn",
    "%ce",
    `%(trailers:key=${TRAILER_TASK},valueonly,separator=%x2C)`,
    "%s",
  ];
  const r = await git.run(["log", "-z", `--format=${format.join("%x1f")}`, `${base}..${branch}`]);
  const bot = git.identity.email.toLowerCase();
  const out: ForeignCommit[] = [];
  for (const record of splitZ(r.stdout)) {
    const [sha, an, ae, cn, ce, taskTrailer, subject] = record.split("\x1f") as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const author = `${an} <${ae}>`;
    const committer = `${cn} <${ce}>`;
    const tasks = taskTrailer
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    let reason: string | undefined;
    const viaApi = ce.toLowerCase() === GITHUB_WEB_FLOW_EMAIL && tasks.length > 0;
    if (ae.toLowerCase() !== bot && !viaApi) reason = `authored by ${author}`;
    else if (ce.toLowerCase() !== bot && !viaApi) reason = `committed by ${committer}`;
    else if (tasks.length === 0) reason = `has no ${TRAILER_TASK} trailer`;
    else if (opts.task && !tasks.includes(opts.task)) reason = `belongs to task ${tasks.join(", ")}`;
    if (reason) out.push({ sha, subject, author, committer, reason });
  }
  return out;
}
