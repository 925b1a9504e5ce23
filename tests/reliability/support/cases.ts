/**
 * Every reliability test is a *case*: an id, what it does, what is expected, and what the run measured.
 * The test registers the case, notes measured values as it goes (before it asserts on them), and when
 * the test ends the record is written with its outcome to `.tmp/reliability/cases/<id>.json`.
 * `scripts/reliability-doc.ts` turns those records into the table of docs/reliability.md.
 *
 *   const c = reliabilityCase("F-01", "fault", "agent killed mid-edit", "failed; the edit is in a backup");
 *   c.note("status", result.status);
 *   expect(result.status).toBe("failed");
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { onTestFinished } from "vitest";

export const CASES_DIR = resolve(".tmp/reliability/cases");

export type Category = "fault" | "bad-input" | "security" | "load";

export interface CaseRecord {
  id: string;
  category: Category;
  title: string;
  expected: string;
  /** Measured values in the order they were noted. */
  measured: [string, string][];
  /** The test's outcome: pass, fail or skip. */
  state: string;
  durationMs: number;
  /** The first line of the failure, when the test failed. */
  error?: string;
}

export interface ReliabilityCase {
  /** Records a measured value (shown as `key: value`); a later note with the same key replaces it. */
  note(key: string, value: unknown): void;
}

/** Registers the running test as a case; call it at the start of the test. */
export function reliabilityCase(
  id: string,
  category: Category,
  title: string,
  expected: string,
): ReliabilityCase {
  const started = Date.now();
  const measured = new Map<string, string>();
  onTestFinished((ctx) => {
    const result = ctx.task.result;
    const record: CaseRecord = {
      id,
      category,
      title,
      expected,
      measured: [...measured],
      state: result?.state ?? "unknown",
      durationMs: Date.now() - started,
    };
    const error = result?.errors?.[0]?.message;
    if (error) record.error = error.split("\n")[0]!.slice(0, 300);
    mkdirSync(CASES_DIR, { recursive: true });
    writeFileSync(join(CASES_DIR, `${id}.json`), `${JSON.stringify(record, null, 2)}\n`);
  });
  return {
    note(key, value) {
      measured.set(key, typeof value === "string" ? value : JSON.stringify(value));
    },
  };
}

/** `12.3 MB` from bytes. */
export function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

/** The first line of a text, bounded (for measured messages). */
export function firstLine(text: string | undefined, max = 160): string {
  const line = (text ?? "").split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
