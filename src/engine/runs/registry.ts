/**
 * Background runs: runs started by a long-lived process (the MCP server) that outlive the request
 * that started them. Each one is `runTasks` — the same engine, guards, sandbox and backups as
 * `claude-tasks run` — behind an id (the engine's run id), with a persisted record (see record.ts).
 * A run may wait for other runs (`needs`): it starts when all of them succeeded, and is skipped when
 * one did not. Cancelling or shutting down aborts the run the way Ctrl-C aborts `run`: the agents are
 * stopped and their work is backed up.
 */

import type { Task } from "../config/index.ts";
import { errorMessage } from "../errors.ts";
import { compareCodeUnits } from "../order.ts";
import { planOf } from "../plan/index.ts";
import { oneLine } from "../report/escape.ts";
import type { RunEvent, RunMode, RunReport, RunTasksOptions } from "../run/index.ts";
import { newRunId, runTasks } from "../run/index.ts";
import { ACTIVE_STATUSES, type BackgroundRecord, MAX_LOG_LINES, readRecords, writeRecord } from "./record.ts";

/** What every background run shares: the repository, the environment, the isolation, … */
export type BaseRunOptions = Omit<
  RunTasksOptions,
  "tasks" | "plan" | "mode" | "runId" | "signal" | "onEvent" | "base"
>;

export interface BackgroundRunsOptions {
  /** The state directory (`<git common dir>/claude-tasks`). */
  state: string;
  base: BaseRunOptions;
  /** Extra options for a mode (`pr`: the publisher and its git environment); may throw a UserError. */
  forMode?: (mode: RunMode) => Promise<Partial<RunTasksOptions>>;
}

export interface StartOptions {
  kind: BackgroundRecord["kind"];
  tasks: Task[];
  mode: RunMode;
  needs?: string[];
  base?: string;
}

type AbortReason = "cancelled" | "interrupted";

interface Live {
  abort: AbortController;
  done: Promise<BackgroundRecord>;
}

export class BackgroundRuns {
  readonly #opts: BackgroundRunsOptions;
  readonly #records = new Map<string, BackgroundRecord>();
  readonly #live = new Map<string, Live>();
  #writes = new Map<string, Promise<void>>();

  private constructor(opts: BackgroundRunsOptions) {
    this.#opts = opts;
  }

  /** Opens the registry with the runs earlier servers recorded. */
  static async open(opts: BackgroundRunsOptions): Promise<BackgroundRuns> {
    const runs = new BackgroundRuns(opts);
    await runs.#reload();
    return runs;
  }

  async #reload(): Promise<void> {
    for (const r of await readRecords(this.#opts.state))
      if (!this.#live.has(r.id)) this.#records.set(r.id, r);
  }

  /** Every known run, oldest first. */
  async list(): Promise<BackgroundRecord[]> {
    await this.#reload();
    return [...this.#records.values()].sort((a, b) => compareCodeUnits(a.createdAt, b.createdAt));
  }

  async get(id: string): Promise<BackgroundRecord | undefined> {
    if (!this.#records.has(id)) await this.#reload();
    return this.#records.get(id);
  }

  /** Starts a run in the background and returns its record at once (status `waiting` or `running`). */
  async start(o: StartOptions): Promise<BackgroundRecord> {
    const needs = [...new Set(o.needs ?? [])];
    for (const id of needs) if (!(await this.get(id))) throw new UnknownRunError(id);
    const record: BackgroundRecord = {
      version: 1,
      id: newRunId(),
      kind: o.kind,
      mode: o.mode,
      tasks: o.tasks.map((t) => t.name),
      needs,
      status: needs.length > 0 ? "waiting" : "running",
      pid: process.pid,
      createdAt: new Date().toISOString(),
      log: [],
    };
    // Bad input for the mode (`pr` without a token) is the caller's error, before any run exists.
    const extra = (await this.#opts.forMode?.(o.mode)) ?? {};
    this.#records.set(record.id, record);
    await this.#persist(record.id);
    const abort = new AbortController();
    const done = this.#execute(record.id, o, extra, abort.signal);
    this.#live.set(record.id, { abort, done });
    void done.finally(() => this.#live.delete(record.id));
    return { ...record };
  }

  /** The run once it has ended, or as it is when `timeoutMs` passed first. */
  async wait(id: string, timeoutMs: number): Promise<{ record: BackgroundRecord; timedOut: boolean }> {
    const live = this.#live.get(id);
    if (!live) {
      const record = await this.get(id);
      if (!record) throw new UnknownRunError(id);
      return { record, timedOut: ACTIVE_STATUSES.includes(record.status) };
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const ended = await Promise.race([live.done, timeout]).finally(() => clearTimeout(timer));
    return { record: ended ?? { ...this.#records.get(id)! }, timedOut: ended === undefined };
  }

  /** Cancels a run of this server: its agents are stopped and their work backed up. */
  async cancel(id: string): Promise<BackgroundRecord> {
    const live = this.#live.get(id);
    if (!live) {
      const record = await this.get(id);
      if (!record) throw new UnknownRunError(id);
      return record; // already ended (or run by another server)
    }
    live.abort.abort("cancelled" satisfies AbortReason);
    return live.done;
  }

  /** Stops every run of this server (its exit): each is backed up and recorded as interrupted. */
  async shutdown(): Promise<void> {
    const live = [...this.#live.values()];
    for (const l of live) l.abort.abort("interrupted" satisfies AbortReason);
    await Promise.allSettled(live.map((l) => l.done));
    await Promise.allSettled([...this.#writes.values()]);
  }

  async #execute(
    id: string,
    o: StartOptions,
    extra: Partial<RunTasksOptions>,
    signal: AbortSignal,
  ): Promise<BackgroundRecord> {
    const update = (patch: Partial<BackgroundRecord>) => {
      Object.assign(this.#records.get(id)!, patch);
      void this.#persist(id);
    };
    const aborted = () => (signal.reason as AbortReason) ?? "cancelled";
    try {
      if (o.needs && o.needs.length > 0) {
        const failed = await this.#awaitNeeds(o.needs, signal);
        if (signal.aborted) {
          update({ status: aborted(), message: "stopped while waiting for the runs it needs" });
          return this.#finish(id);
        }
        if (failed) {
          update({ status: "skipped", message: `needed run ${failed.id} ended ${failed.status}` });
          return this.#finish(id);
        }
      }
      update({ status: "running", startedAt: new Date().toISOString() });
      const report: RunReport = await runTasks({
        ...this.#opts.base,
        ...extra,
        tasks: o.tasks,
        plan: planOf(o.tasks, o.kind === "delegate" ? "delegated" : "mcp"),
        mode: o.mode,
        ...(o.base ? { base: o.base } : {}),
        runId: id,
        signal,
        trigger: o.kind === "delegate" ? "delegated over MCP" : "mcp",
        onEvent: (e) => this.#log(id, e),
      });
      update({
        status: signal.aborted ? aborted() : report.ok ? "succeeded" : "failed",
        report,
      });
    } catch (err) {
      update({ status: signal.aborted ? aborted() : "failed", message: oneLine(errorMessage(err), 2000) });
    }
    return this.#finish(id);
  }

  async #finish(id: string): Promise<BackgroundRecord> {
    const record = this.#records.get(id)!;
    record.endedAt = new Date().toISOString();
    await this.#persist(id);
    return { ...record };
  }

  /** The first needed run that did not succeed (after waiting for it), or none. */
  async #awaitNeeds(needs: string[], signal: AbortSignal): Promise<BackgroundRecord | undefined> {
    const stop = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    for (const need of needs) {
      const live = this.#live.get(need);
      const record = live ? await Promise.race([live.done, stop]) : await this.get(need);
      if (signal.aborted) return undefined;
      if (record === undefined) continue; // its record was deleted meanwhile: nothing to wait for
      if (record.status !== "succeeded") return record;
    }
    return undefined;
  }

  #log(id: string, e: RunEvent): void {
    const line = logLine(e);
    if (line === undefined) return;
    const record = this.#records.get(id)!;
    record.log.push(`${new Date().toISOString().slice(11, 19)} ${line}`);
    if (record.log.length > MAX_LOG_LINES) record.log.splice(0, record.log.length - MAX_LOG_LINES);
    void this.#persist(id);
  }

  /** Writes a record; writes of one record never overlap and the last state always lands. */
  #persist(id: string): Promise<void> {
    const previous = this.#writes.get(id) ?? Promise.resolve();
    const next = previous.then(() => writeRecord(this.#opts.state, this.#records.get(id)!)).catch(() => {});
    this.#writes.set(id, next);
    return next;
  }
}

export class UnknownRunError extends Error {
  readonly id: string;
  constructor(id: string) {
    super(`no run ${JSON.stringify(id)} (list the runs with run_status)`);
    this.id = id;
  }
}

/** One progress line of an event, its untrusted parts escaped; undefined for events not worth a line. */
function logLine(e: RunEvent): string | undefined {
  switch (e.type) {
    case "run-start":
      return `run started (${e.mode}): ${e.tasks.join(", ")}`;
    case "task-start":
      return `${e.task}: started (attempt ${e.attempt})`;
    case "task-phase":
      return `${e.task}: ${oneLine(e.phase, 200)}`;
    case "task-retry":
      return `${e.task}: retry ${e.attempt} in ${Math.round(e.delayMs / 1000)}s: ${oneLine(e.reason, 300)}`;
    case "task-end":
      return `${e.task}: ${e.status}: ${oneLine(e.message, 500)}`;
    case "run-end":
      return `run ended ${e.ok ? "ok" : "with failures"} in ${Math.round(e.durationMs / 1000)}s`;
    case "agent": {
      const a = e.event;
      if (a.type === "text") return `${e.task}: ${oneLine(a.text, 500)}`;
      if (a.type === "tool_use")
        return `${e.task}: tool ${oneLine(a.tool, 80)} ${oneLine(a.description, 200)}`;
      if (a.type === "permission_denied")
        return `${e.task}: denied ${oneLine(a.tool, 80)}: ${oneLine(a.message, 200)}`;
      if (a.type === "result")
        return `${e.task}: agent ${oneLine(a.subtype, 40)} after ${a.numTurns ?? "?"} turn(s)`;
      if (a.type === "output") return `${e.task}: ${a.stream}: ${oneLine(a.line, 500)}`;
      return undefined;
    }
  }
}
