/**
 * Property-based fuzzing of the parsers that read untrusted text: the task loader, durations,
 * schedules and comment commands. Each property says what must hold for *any* input (never throw,
 * problems located in the input, results within their rules). A fixed seed makes runs repeatable;
 * `CLAUDE_TASKS_FUZZ_RUNS` sets the runs per property. Used by the reliability suite and `npm run bench`.
 */
import fc from "fast-check";
import { MAX_DURATION_MS, parseDuration, tryParseDuration } from "../../../src/engine/config/duration.ts";
import { parseConfigFiles } from "../../../src/engine/config/index.ts";
import { TASK_NAME_PATTERN } from "../../../src/engine/config/task-name.ts";
import { UserError } from "../../../src/engine/errors.ts";
import { MAX_PROMPT_CHARS, parseCommentCommand } from "../../../src/engine/event/comment-command.ts";
import { fireTimes, parseSchedule } from "../../../src/engine/schedule/index.ts";
import { yamlText } from "../../support/yaml-arbitraries.ts";

export const FUZZ_SEED = 20261120;
const DIR = ".github/claude-tasks";

/** Runs per property: `CLAUDE_TASKS_FUZZ_RUNS` when it is set, else the property's default. */
export function fuzzRuns(base: number, env: NodeJS.ProcessEnv = process.env): number {
  const wanted = Number(env.CLAUDE_TASKS_FUZZ_RUNS);
  return Number.isSafeInteger(wanted) && wanted > 0 ? wanted : base;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

// ---- the task loader -----------------------------------------------------------------------------

export const loaderProperty = fc.property(yamlText, yamlText, (task, defaults) => {
  const files = [
    { path: `${DIR}/_defaults.yml`, text: defaults },
    { path: `${DIR}/a.yml`, text: task },
  ];
  const loaded = parseConfigFiles(files, { configDir: DIR, env: { X: "x" }, statFile: () => "missing" });
  for (const p of loaded.problems) {
    const file = files.find((f) => f.path === p.file);
    check(file !== undefined || p.file === DIR, `problem in an unknown file ${p.file}`);
    check(Number.isInteger(p.line) && p.line >= 1 && Number.isInteger(p.col) && p.col >= 1, "bad position");
    check(!file || p.line <= file.text.split("\n").length + 1, `line ${p.line} is past the end of ${p.file}`);
    check(p.message.length > 0 && !p.message.includes("\n"), `not a one-line message: ${p.message}`);
  }
  for (const t of loaded.tasks) check(TASK_NAME_PATTERN.test(t.name), `invalid task name ${t.name}`);
});

// ---- durations -----------------------------------------------------------------------------------

const durationText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc
    .tuple(fc.option(fc.nat(99)), fc.option(fc.nat(999)), fc.option(fc.nat(99999)))
    .map(
      ([h, m, s]) => `${h !== null ? `${h}h` : ""}${m !== null ? `${m}m` : ""}${s !== null ? `${s}s` : ""}`,
    ),
  fc.stringMatching(/^[0-9hms .-]{0,12}$/),
);

export const durationProperty = fc.property(durationText, (text) => {
  const ms = tryParseDuration(text);
  if (ms === undefined) {
    try {
      parseDuration(text);
      check(false, `parseDuration accepted ${JSON.stringify(text)}`);
    } catch (err) {
      check(err instanceof UserError, `parseDuration threw ${String(err)}`);
      check(!(err as Error).message.includes("\n"), "a multi-line message");
    }
    return;
  }
  check(Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_DURATION_MS, `out of range: ${ms}`);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  check(m !== null, `accepted a non-duration ${JSON.stringify(text)}`);
  const [h, mi, s] = [m![1], m![2], m![3]].map((x) => Number(x ?? 0)) as [number, number, number];
  check(ms === ((h * 60 + mi) * 60 + s) * 1000, `wrong value for ${text}`);
});

// ---- schedules -----------------------------------------------------------------------------------

const cronPart = fc.constantFrom(
  "*",
  "*/5",
  "0",
  "1-5",
  "30",
  "mon-fri",
  "jan",
  "7",
  "59",
  "1,2",
  "*/0",
  "5-1",
  "60",
  "L",
  "?",
);
const scheduleText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.array(cronPart, { minLength: 1, maxLength: 7 }).map((p) => p.join(" ")),
  fc.constantFrom("@daily", "@hourly", "@workdays", "@weekends", "@yearly", "@reboot", "@every"),
  fc
    .tuple(
      fc.constantFrom("every ", "every", "Every "),
      fc.nat(100_000),
      fc.constantFrom("m", "h", "s", "d", ""),
    )
    .map(([a, n, u]) => `${a}${n}${u}`),
);
const FROM = new Date("2026-03-01T00:00:00Z");
const UNTIL = new Date("2026-04-15T00:00:00Z"); // across the DST changes of March and April

export const scheduleProperty = fc.property(
  scheduleText,
  fc.constantFrom("UTC", "Europe/Berlin", "Australia/Lord_Howe", "America/St_Johns"),
  (text, timezone) => {
    const r = parseSchedule(text);
    if (!r.ok) {
      check(r.message.length > 0 && !r.message.includes("\n"), `bad message for ${JSON.stringify(text)}`);
      return;
    }
    // a valid schedule can be evaluated, forward in time, without throwing
    const times = fireTimes(r.schedule, { timezone, after: FROM, until: UNTIL, limit: 2000 });
    for (let i = 1; i < times.length; i++) check(times[i]! > times[i - 1]!, "fire times not increasing");
    for (const t of times) check(t > FROM && t <= UNTIL, "a fire time outside the window");
  },
);

// ---- comment commands ----------------------------------------------------------------------------

const commentChar = fc.constantFrom(..."/claude-tasks run help --dry-run x\n\t`<!-->$(){}.@").map((c) => c);
const hidden = fc.constantFrom(
  "\u202e",
  "\u200b",
  "\u2066",
  "\u0000",
  "\u001b",
  "\ufeff",
  "\u{e0041}",
  "<!--",
  "-->",
  "\r\n",
);
const commentText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 120 }),
  fc
    .array(
      fc.oneof(
        commentChar,
        hidden,
        fc.constantFrom("/claude-tasks ", "run ", "stamp", "--dry-run ", "../", "..", "@{"),
      ),
      {
        maxLength: 40,
      },
    )
    .map((parts) => parts.join("")),
  fc.string({ maxLength: 200 }).map((s) => `/claude-tasks ${s}`),
);

export const commentProperty = fc.property(commentText, (body) => {
  const c = parseCommentCommand(body);
  switch (c.kind) {
    case "none":
    case "help":
      return;
    case "run":
      check(TASK_NAME_PATTERN.test(c.task), `run of a non-task name ${JSON.stringify(c.task)}`);
      return;
    case "adhoc":
      check(c.prompt.trim() !== "" && c.prompt.length <= MAX_PROMPT_CHARS, "prompt out of bounds");
      check(!c.prompt.includes("<!--"), "a hidden HTML comment reached the prompt");
      check(
        !/[\u0000-\u0008\u000b-\u001f\u007f\u200b\u202a-\u202e\u2066-\u2069\ufeff]/u.test(c.prompt),
        "an invisible character reached the prompt",
      );
      check(!/^--[A-Za-z]/.test(c.prompt), "a flag was taken for the prompt");
      return;
    case "invalid": {
      check(c.message.length > 0 && !c.message.split("\n")[0]!.includes("\r"), "bad message");
      // echoed parts stay inside their code spans
      check(
        (c.message.split("\n")[0]!.match(/`/g) ?? []).length % 2 === 0,
        `unbalanced backticks: ${c.message}`,
      );
    }
  }
});

/** Inputs that once broke a property: always tried first. */
const REGRESSIONS: Record<string, unknown[][]> = {
  "B-Z04": [
    ["/claude-tasks \r\n--dry-run "],
    ["/claude-tasks \r\n--dry-run -->"],
    ["/claude-tasks\n--dry-run --model opus fix it"],
  ],
};

export const PROPERTIES = [
  { id: "B-Z01", name: "task loader (task file and _defaults.yml)", property: loaderProperty, runs: 1500 },
  { id: "B-Z02", name: "duration parser", property: durationProperty, runs: 10000 },
  { id: "B-Z03", name: "schedule parser and fire times", property: scheduleProperty, runs: 5000 },
  { id: "B-Z04", name: "comment command parser", property: commentProperty, runs: 10000 },
] as const;

export interface FuzzOutcome {
  runs: number;
  ms: number;
  failed: boolean;
  /** The shrunk counterexample and the error, when it failed. */
  failure?: string;
}

/** Runs a property with the fixed seed; never throws. */
export function fuzz(
  property: fc.IProperty<unknown[]>,
  runs: number,
  opts: { seed?: number; id?: string } = {},
): FuzzOutcome {
  const started = performance.now();
  const examples = (opts.id ? REGRESSIONS[opts.id] : undefined) ?? [];
  const r = fc.check(property, { seed: opts.seed ?? FUZZ_SEED, numRuns: runs, examples });
  const out: FuzzOutcome = { runs: r.numRuns, ms: performance.now() - started, failed: r.failed };
  if (r.failed)
    out.failure = `${JSON.stringify(r.counterexample)?.slice(0, 300)}: ${String(r.errorInstance)}`;
  return out;
}
