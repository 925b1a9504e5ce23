/**
 * Live progress of a run on stderr: on a terminal, one redrawn line per running task (what the agent
 * is doing, elapsed time, cost so far); otherwise plain log lines, one per event worth telling.
 */
import { createLogUpdate } from "log-update";
import { oneLine } from "../engine/report/escape.ts";
import { formatCost, formatDuration, STATUS_ICON } from "../engine/report/format.ts";
import type { RunEvent } from "../engine/run/index.ts";
import { paint } from "./output.ts";

interface Live {
  task: string;
  since: number;
  doing: string;
  costUsd?: number;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export interface Progress {
  onEvent: (e: RunEvent) => void;
  stop: () => void;
}

export function createProgress(opts: { tty: boolean; quiet?: boolean }): Progress {
  if (opts.quiet) return { onEvent: () => {}, stop: () => {} };
  return opts.tty ? ttyProgress() : lineProgress();
}

/** What the task is doing, on one line with no control character (agent text can hold any). */
function describe(e: RunEvent): string | undefined {
  const text = describeRaw(e);
  return text === undefined ? undefined : oneLine(text, 200);
}

function describeRaw(e: RunEvent): string | undefined {
  if (e.type !== "agent") return e.type === "task-phase" ? e.phase : undefined;
  const ev = e.event;
  if (ev.type === "tool_use") return ev.description;
  if (ev.type === "api_retry") return `API error${ev.status ? ` ${ev.status}` : ""}, retry ${ev.attempt}`;
  if (ev.type === "text") return ev.text.split("\n")[0]!.slice(0, 80);
  return undefined;
}

function ttyProgress(): Progress {
  const stderr = process.stderr;
  const update = createLogUpdate(stderr);
  const live = new Map<string, Live>();
  let frame = 0;
  const draw = () => {
    frame = (frame + 1) % FRAMES.length;
    const width = stderr.columns ?? 100;
    const lines = [...live.values()].map((l) => {
      const cost = l.costUsd !== undefined ? ` · ${formatCost(l.costUsd)}` : "";
      const line = `${paint("cyan", FRAMES[frame]!, stderr)} ${paint("bold", l.task, stderr)}  ${l.doing} · ${formatDuration(Date.now() - l.since)}${cost}`;
      return line.length > width + 20 ? `${line.slice(0, width + 19)}…` : line;
    });
    update(lines.join("\n"));
  };
  const timer = setInterval(draw, 120);
  timer.unref();
  return {
    onEvent(e) {
      // A task shows up with its first event (resolving base, worktree, agent…) and goes at its end.
      if ("task" in e && e.type !== "task-end" && !live.has(e.task))
        live.set(e.task, { task: e.task, since: Date.now(), doing: "starting" });
      const l = "task" in e ? live.get(e.task) : undefined;
      if (l && e.type === "task-start" && e.attempt > 1) l.doing = `attempt ${e.attempt}`;
      const doing = describe(e);
      if (l && doing) l.doing = doing;
      if (l && e.type === "agent" && e.event.type === "result" && e.event.costUsd !== undefined)
        l.costUsd = e.event.costUsd;
      if (e.type === "task-retry" && l)
        l.doing = `retry ${e.attempt} in ${formatDuration(e.delayMs)}: ${oneLine(e.reason, 200)}`;
      if (e.type === "task-end") {
        live.delete(e.task);
        update.clear();
        stderr.write(
          `${STATUS_ICON[e.status] ?? ""} ${paint("bold", e.task, stderr)} ${e.status}: ${oneLine(e.message)}\n`,
        );
      }
      draw();
    },
    stop() {
      clearInterval(timer);
      update.clear();
      update.done();
    },
  };
}

function lineProgress(): Progress {
  const say = (task: string, text: string) => process.stderr.write(`[${task}] ${text}\n`);
  return {
    onEvent(e) {
      if (e.type === "task-start" && e.attempt > 1) say(e.task, `attempt ${e.attempt}`);
      else if (e.type === "task-phase") say(e.task, e.phase);
      else if (e.type === "task-retry")
        say(
          e.task,
          `retrying in ${formatDuration(e.delayMs)} (attempt ${e.attempt}): ${oneLine(e.reason, 200)}`,
        );
      else if (e.type === "agent" && e.event.type === "tool_use")
        say(e.task, oneLine(e.event.description, 200));
      else if (e.type === "task-end") say(e.task, `${e.status}: ${oneLine(e.message)}`);
    },
    stop() {},
  };
}
