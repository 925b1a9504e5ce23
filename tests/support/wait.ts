/**
 * Waiting for something another process or a callback does, without polling on a short budget: the
 * condition is re-checked whenever `on` emits one of `events`, and the wait fails only after a
 * generous deadline (the test's own timeout is the real bound), naming what it waited for.
 *
 *   let out = "";
 *   child.stdout.on("data", (d) => { out += d; });
 *   await until(() => out.includes("ready"), { on: child.stdout, what: "ready", also: child });
 */
import type { EventEmitter } from "node:events";

export interface UntilOptions {
  /** Re-check on these emitters' `events` (default `data`). */
  on: EventEmitter | EventEmitter[];
  events?: string[];
  /** What is awaited, for the failure message. */
  what: string;
  /** Fails early when this emitter emits `exit` or `close` before the condition holds. */
  endsWith?: EventEmitter;
  timeoutMs?: number;
}

export const WAIT_MS = 45_000;

export function until(check: () => boolean, opts: UntilOptions): Promise<void> {
  if (check()) return Promise.resolve();
  const emitters = Array.isArray(opts.on) ? opts.on : [opts.on];
  const events = opts.events ?? ["data"];
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      for (const e of emitters) for (const ev of events) e.off(ev, onEvent);
      opts.endsWith?.off("exit", onEnd).off("close", onEnd);
    };
    const onEvent = () => {
      if (!check()) return;
      cleanup();
      resolve();
    };
    const onEnd = () => {
      if (check()) return onEvent();
      cleanup();
      reject(new Error(`ended before ${opts.what}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${opts.what} within ${(opts.timeoutMs ?? WAIT_MS) / 1000}s`));
    }, opts.timeoutMs ?? WAIT_MS);
    for (const e of emitters) for (const ev of events) e.on(ev, onEvent);
    opts.endsWith?.on("exit", onEnd).on("close", onEnd);
  });
}
