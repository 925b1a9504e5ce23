/**
 * The pushes that land a task's result: one atomic push of the branch's updates, with what rides in
 * it — a lease on the base that updates nothing (the result was checked against that tip; a base that
 * moved fails the whole push) and the ledger's record of the run (see `RunControl.settleInPush`).
 */
import { pushRefs, type RefUpdate, resolveCommit } from "../git/index.ts";
import type { StateRider } from "../schedule/state.ts";
import type { RepoContext } from "./repo-context.ts";

/**
 * What git says of the refs of an atomic push that another ref's refusal stopped: "atomic push
 * failed" when its own lease check (against the refs the server advertised) refused one, "atomic
 * transaction failed" when the server did (another push got there between the advertisement and
 * the update), which does not say which ref.
 */
const COLLATERAL = /^atomic (push|transaction) failed$/;

export interface LandingPush {
  ok: boolean;
  /** The base's lease failed: it moved since the result was checked. Nothing was pushed. */
  baseMoved: boolean;
  /** The record was refused and `withoutRider` said the branch may not go without it. Nothing was pushed. */
  stopped?: boolean;
  /** Why the push was refused (the refusing ref's reason), when it was. */
  reason?: string;
}

/**
 * Pushes `updates` atomically with the base's lease and the ledger's record when given. A record
 * refused on its own (another run wrote the ledger) is dropped and the push made again without it:
 * it never costs the branch; the record is then written after the run.
 */
export async function pushLanding(o: {
  repo: RepoContext;
  updates: readonly RefUpdate[];
  /** The lease on the base (`refs/heads/<base>` pushed at the tip it is leased at). */
  guard?: RefUpdate;
  rider?: StateRider;
  /**
   * Asked before the branch goes again without a refused record: false stops the landing (the record
   * claimed the task's lock, and the lock, asked for on its own, was refused).
   */
  withoutRider?: () => Promise<boolean>;
}): Promise<LandingPush> {
  const { repo, guard } = o;
  const remote = repo.remote!;
  let rider = o.rider;
  for (;;) {
    // git moves the user's remote-tracking branch of a ref it pushed, up to date or not; the base's
    // is put back as it was (the run's fetch leaves them alone too)
    const tracking = guard ? `refs/remotes/${remote}/${guard.ref.replace(/^refs\/heads\//, "")}` : undefined;
    const trackingWas = tracking ? await resolveCommit(repo.git, tracking) : undefined;
    const pushed = await pushRefs({
      git: repo.git,
      remote,
      updates: [...o.updates, ...(guard ? [guard] : []), ...(rider ? [rider.update] : [])],
    });
    if (tracking && trackingWas && trackingWas !== guard?.commit)
      await repo.git.run(["update-ref", tracking, trackingWas, guard!.commit!], { allowFailure: true });
    rider?.pushed(pushed.ok);
    if (pushed.ok) return { ok: true, baseMoved: false };
    const rejected = pushed.refs.filter((x) => x.status === "rejected");
    const refusing = rejected.filter((x) => !COLLATERAL.test(x.reason ?? ""));
    // the base's lease is only ever checked by git itself (no command for the base reaches the server)
    const baseMoved = guard !== undefined && refusing.some((x) => x.ref === guard.ref);
    if (rider && !baseMoved) {
      // The ledger moved (another run wrote it), or the server refused the push without saying which
      // ref: the branch goes again on its own, and its own refusal, if any, is then plain.
      rider = undefined;
      if (o.withoutRider && !(await o.withoutRider())) return { ok: false, baseMoved: false, stopped: true };
      continue;
    }
    return { ok: false, baseMoved, reason: refusing[0]?.reason ?? rejected[0]?.reason ?? "rejected" };
  }
}

/**
 * A lease on the base that updates nothing: "push" the base's tip the result was checked against to
 * the base, leased at that same tip. When the remote base is still there git has nothing to send for
 * it (up to date); when it moved the lease fails, and with `--atomic` so does everything else —
 * nothing lands on a base the conflict check did not see. No command for the base ever reaches the
 * server: the value pushed is the value leased. This takes the place of fetching the base again
 * before pushing (two requests fewer, and no gap between the check and the push).
 */
export function baseLease(base: string, tip: string): RefUpdate {
  return { ref: `refs/heads/${base}`, commit: tip, expected: tip };
}
