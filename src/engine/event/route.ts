/**
 * Which work an event asks for, decided from the event name, its payload and the inputs alone (pure).
 * The Action then does the I/O the decision needs (claim the schedule, diff a push, answer a comment).
 *
 * | event               | `tasks` empty                          | `tasks` given               |
 * | ------------------- | -------------------------------------- | --------------------------- |
 * | `schedule`          | the due tasks (claimed from the state) | exactly those tasks         |
 * | `workflow_dispatch` | every enabled task                     | those tasks (names, globs)  |
 * | `push`              | tasks whose `watch` matches the push   | exactly those tasks         |
 * | `issue_comment`     | what the comment says                  | (ignored)                   |
 * | `workflow_run`      | a CI fix of the task whose branch failed (see ci-failure.ts) | (ignored) |
 * | anything else       | an error: say which tasks              | those tasks                 |
 *
 * Naming tasks on `schedule` and `push` is how the fan-out's matrix jobs run the group the plan job
 * chose (the plan job claimed the fire times already). Pushes made by claude-tasks never trigger.
 */
import { UserError } from "../errors.ts";
import type { IssueCommentEvent } from "./comment-flow.ts";
import { issueCommentEvent, pushPayload, type WorkflowRunEvent, workflowRunEvent } from "./payload.ts";
import { ownPushReason, type PayloadFiles, payloadChangedFiles, pushedBranch } from "./push.ts";

export const SUPPORTED_EVENTS = [
  "schedule",
  "workflow_dispatch",
  "push",
  "issue_comment",
  "workflow_run",
] as const;

export type TriggerDecision =
  | { kind: "named"; patterns: string[]; trigger: string }
  | { kind: "all"; trigger: string }
  | { kind: "schedule"; trigger: string }
  | { kind: "push"; branch: string; changes: PayloadFiles; trigger: string }
  | { kind: "comment"; event: IssueCommentEvent }
  | { kind: "ci-failure"; event: WorkflowRunEvent }
  | { kind: "ignore"; reason: string };

export interface RouteInput {
  eventName: string;
  payload: Record<string, unknown>;
  /** The `tasks` input, split. */
  tasks: readonly string[];
  mode: "run" | "plan";
  actor?: string;
}

export function routeEvent(i: RouteInput): TriggerDecision {
  const by = i.actor ? ` by @${i.actor}` : "";
  if (i.eventName === "issue_comment") {
    if (i.mode === "plan") {
      throw new UserError(
        "`mode: plan` is for schedule, push and workflow_dispatch; comment commands need `mode: run`",
      );
    }
    return { kind: "comment", event: issueCommentEvent(i.payload) };
  }
  if (i.eventName === "workflow_run") {
    if (i.mode === "plan")
      return { kind: "ignore", reason: "a workflow_run is handled by a `mode: run` job" };
    return { kind: "ci-failure", event: workflowRunEvent(i.payload) };
  }
  if (i.eventName === "push") {
    const p = pushPayload(i.payload);
    const own = ownPushReason(p);
    if (own) return { kind: "ignore", reason: `push made by claude-tasks (${own})` };
    if (i.tasks.length > 0) return { kind: "named", patterns: [...i.tasks], trigger: `push${by}` };
    const branch = pushedBranch(p);
    if (!branch) return { kind: "ignore", reason: "not a push to a branch (a tag or a deletion)" };
    const after = (p.after ?? "").slice(0, 7);
    return {
      kind: "push",
      branch,
      changes: payloadChangedFiles(p),
      trigger: `push ${after} to ${branch}${by}`,
    };
  }
  if (i.tasks.length > 0) return { kind: "named", patterns: [...i.tasks], trigger: `${i.eventName}${by}` };
  if (i.eventName === "schedule") return { kind: "schedule", trigger: "schedule" };
  if (i.eventName === "workflow_dispatch") return { kind: "all", trigger: `workflow_dispatch${by}` };
  throw new UserError(
    `the \`${i.eventName}\` event does not say which tasks to run: name them with the \`tasks\` input ` +
      "(or trigger on schedule, workflow_dispatch, push, issue_comment or workflow_run)",
  );
}
