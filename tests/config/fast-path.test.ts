/**
 * The loader's fast path (js-yaml) must read every file it accepts exactly as the precise path
 * (yaml's Document) does, and leave everything else to the precise path.
 */
import { readdirSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { dump } from "js-yaml";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { fastParse } from "../../src/engine/config/fast-yaml.ts";
import { locateIn } from "../../src/engine/config/locate-in-sources.ts";
import { parseYamlSource, readYamlFile } from "../../src/engine/config/yaml-source.ts";
import { DIR, load, loadBothWays, problemLines, yaml } from "./helpers.ts";
import { SPEC_EXAMPLE } from "./spec-example.ts";

const TEMPLATES = new URL("../../templates/tasks/", import.meta.url);
const templates = readdirSync(TEMPLATES)
  .filter((n) => n.endsWith(".yml"))
  .map((n) => [n, readFileSync(new URL(n, TEMPLATES), "utf8")] as const);

/** Valid task files, as the other tests and the templates write them. */
const VALID: Record<string, string> = {
  "spec.yml": SPEC_EXAMPLE,
  "lint-fix.yml": "run: npm run lint -- --fix\n",
  "named.yml": yaml("name: docs", "prompt: x", "branch: bots/{task}/work"),
  "lists.yml": yaml(
    "prompt_file: prompts/a.md",
    "schedule: ['@daily', every 6h]",
    "branch: bots/a",
    "enabled: false",
  ),
  "zone.yml": yaml("run: x", "timezone: US/Eastern"),
  "durations.yml": yaml("run: x", "agent: { timeout: 1h30m15s }", "retry: { backoff: 0s }"),
  "deny.yml": yaml("run: x", "paths: { allow: [.github/workflows/ci.yml], deny: [secrets/**] }"),
  "env.yml": yaml("run: x", "agent:", "  env:", "    TOKEN: '{{ env.X }}'", "    MODE: test"),
  "block.yml": yaml(
    "description: >-",
    "  folded over",
    "  two lines",
    "prompt: |",
    "  Keep it: simple.",
    "",
    "    indented # not a comment",
    "  \"quoted\" and 'single' [brackets]: {braces} & * ! % @ ` why? #",
    "schedule:",
    "  - '0 6 * * 1-5'",
    '  - "*/15 * * * *"',
    "pr:",
    "  title: 'it''s \"done\"'",
    '  body: "line\\nnext \\u00e9 \\\\ end"',
    "  labels: [a, 'b c', \"d\"]",
    "  auto_merge: squash",
    "agent:",
    "  max_turns: 0x1F",
    "  max_budget_usd: 1.5e1",
    "limits: {max_files: 0o17, max_lines: +20}",
  ),
  ...Object.fromEntries(templates),
};

/** The same files written differently: line ends, byte order mark, document start, comments. */
function variants(text: string): string[] {
  return [
    text,
    text.replace(/\n/g, "\r\n"),
    `\uFEFF${text}`,
    `---\n${text}`,
    `# comment\n${text}# last line\n`,
    text.replace(/\n$/, ""),
    text.replace(/\n/g, "  \n"),
  ];
}

describe("the fast path", () => {
  it("reads every valid file of the corpus, in every variant, as the precise path does", () => {
    for (const [name, text] of Object.entries(VALID)) {
      for (const variant of variants(text)) {
        const files = { [name]: variant, "lint-fix.yml": "run: x\n" };
        const loaded = load(files, { env: { X: "x" }, statFile: () => "file" });
        expect(problemLines(loaded.problems), `${name}: ${JSON.stringify(variant)}`).toEqual([]);
        const fast = fastParse(variant);
        expect(fast, `${name} is read by the fast path: ${JSON.stringify(variant)}`).toBeDefined();
        expect(isDeepStrictEqual(fast?.value, parseYamlSource(name, variant).value)).toBe(true);
        expect(fast?.text).toBe(variant);
      }
    }
  });

  it("reads `_defaults` the same way", () => {
    const loaded = load({
      "_defaults.yml": yaml("agent:", "  model: m", "  env: { A: '1' }", "pr: { labels: [bot] }"),
      "a.yml": yaml("run: x", "agent: { env: { B: '2' } }"),
      "b.yml": SPEC_EXAMPLE,
    });
    expect(loaded.problems).toEqual([]);
    expect(loaded.tasks[0]?.agent).toMatchObject({ model: "m", env: { A: "1", B: "2" } });
  });

  it("reads plain scalars with yaml's YAML 1.2 core schema", () => {
    const scalars = [
      ...["1", "-0", "+1", "007", "0o17", "0x1F", "0xff", "1.", ".5", "-1.5", "1e3", "1E-3", "+.5e+2"],
      ...[".inf", "-.Inf", "+.INF", ".nan", ".NaN", "~", "null", "Null", "NULL", "", "true", "False"],
      ...["TRUE", "yes", "no", "on", "y", "1_000", "0b101", "0o8", "0x", "2024-01-01", "12:30:00"],
      ...["1:30", "0.", "+", "-", ".", "0o", "1e", "1.5.1", "Infinity", "NaN", "nul", "tRUE"],
    ];
    for (const s of scalars) {
      for (const text of [`a: ${s}\n`, `a: [${s}]\n`, `a: {b: ${s}}\n`, `a:\n  - ${s}\n`]) {
        const fast = fastParse(text);
        const precise = parseYamlSource("t.yml", text);
        if (!fast) continue;
        expect(precise.problems).toEqual([]);
        expect(isDeepStrictEqual(fast.value, precise.value), `${JSON.stringify(text)}`).toBe(true);
      }
    }
  });

  it("leaves what it cannot judge to the precise path, which reports it", () => {
    const unjudged = [
      "run: x\nagent:\n\tmodel: m\n", // tab indentation
      "run: x\ndescription: a\tb\n", // any tab
      "\uFEFF  run: x\n  missed: once\n", // byte order mark, then indentation
      "run: x\rdescription: y\r", // lone carriage returns
      "%YAML 1.1\n---\nrun: x\nenabled: yes\n",
      "run: x\n---\nrun: y\n",
      "run: x\n...\n",
      "run: &r x\ndescription: *r\n",
      "run: !!str x\n",
      "run: !<tag:yaml.org,2002:str> x\n",
      "run: ! x\n",
      "run: x\n? description\n: y\n",
      "run: x\n[description]: y\n",
      "run: x\nwatch: [a,\n  b]\n",
      "run: x\nwatch: [\n  a,\n]\n",
      'run: x\ndescription: "two\n  lines"\n',
      "run: x\ndescription: two\n  lines\n",
      "run: x\ndescription: |2\n    indented\n",
      "run: x\ndescription: |+\n  kept\n\n",
      "run: x\ndescription: |\n   \n  text\n",
      'run: x\ndescription: "y"# no space\n',
      "run: x\nwatch: [a]# no space\n",
      "run: x\nwatch:\n  -\n- a\n",
      "run: x\nrun: y\n", // duplicate key: js-yaml throws
      "run: x\nnull: y\n",
      "run: x\n1: y\n",
      "run: x\nagent: { env: { true: y } }\n",
      "[run, x]\n",
      "just text\n",
      "",
      "# only a comment\n",
      `run: x\ndescription: ${"y".repeat(60_000)}\n`,
    ];
    for (const text of unjudged) {
      expect(fastParse(text), JSON.stringify(text.slice(0, 80))).toBeUndefined();
      loadBothWays([{ path: `${DIR}/a.yml`, text }], {});
    }
  });

  it("falls back on any problem, so that problems come from the precise path", () => {
    const loaded = load({ "a.yml": yaml("run: x", "schedul: '@daily'", "agent: { max_turns: '3' }") });
    expect(fastParse(yaml("run: x", "schedul: '@daily'"))).toBeDefined();
    expect(problemLines(loaded.problems)).toEqual([
      "a.yml:2:1: unknown key `schedul`, did you mean `schedule`?",
      'a.yml:3:21: `agent.max_turns` must be a whole number 1 or more, got the string "3"; write the number without quotes: `3`',
    ]);
  });

  it("builds no yaml Document for a valid file until a position is asked for", () => {
    const reads = readYamlFile(`${DIR}/a.yml`, SPEC_EXAMPLE, new Map());
    const file = reads.fast?.file;
    expect(file?.parsed).toBe(false);
    expect(locateIn({ task: file! }, ["needs", 0])).toEqual({ file: `${DIR}/a.yml`, line: 9, col: 9 });
    expect(file?.parsed).toBe(true);
    expect(readYamlFile(`${DIR}/a.yml`, "run: x\n\tdescription: y\n", new Map()).fast).toBeUndefined();
  });

  it("locates values of valid files when asked, as the precise path does", () => {
    const files = { "readme-sync.yml": SPEC_EXAMPLE, "lint-fix.yml": "\uFEFFrun: x\r\nneeds: [a, b]\r\n" };
    const fast = load(files);
    const list = Object.entries(files).map(([n, text]) => ({ path: `${DIR}/${n}`, text }));
    const precise = loadBothWays(list, { fastPath: false });
    const paths = [["schedule"], ["needs", 0], ["agent", "allowed_tools", 3], ["pr", "labels"], ["nope"], []];
    for (const task of ["readme-sync", "lint-fix", "unknown"])
      for (const path of paths) expect(fast.locate(task, path)).toEqual(precise.locate(task, path));
    expect(fast.locate("readme-sync", ["schedule"])).toEqual({
      file: `${DIR}/readme-sync.yml`,
      line: 4,
      col: 11,
    });
    expect(fast.locate("lint-fix", ["needs", 1])).toEqual({ file: `${DIR}/lint-fix.yml`, line: 2, col: 12 });
  });
});

// ---- valid task files, generated --------------------------------------------------------------

const special = fc.constantFrom(
  ..."ab :-#'\"[]{},&*!|>%@`?~\\\n/.0",
  "\r\n",
  "é",
  "😀",
  "\u00a0",
  "\u2028",
  "\u0085",
  "\uFEFF",
  "\t",
  "{{",
  "---",
  "...",
  "- ",
  ": ",
  " #",
);
const anyText = fc.oneof(
  fc.string({
    unit: fc.oneof(special, fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })),
    maxLength: 40,
  }),
  fc.constantFrom(
    "yes",
    "no",
    "null",
    "~",
    "1",
    "0o17",
    "1_000",
    ".inf",
    "true",
    "2024-01-01",
    "*/15 * * * *",
  ),
);
const nonBlank = anyText.filter((s) => s.trim() !== "");
const taskName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
const glob = fc.constantFrom(
  "docs/**",
  "README.md",
  "src/*.ts",
  "**",
  ".github/workflows/ci.yml",
  "a b/{x,y}.md",
);
const duration = fc.constantFrom("30s", "20m", "2h", "1h30m", "1h30m15s", "90m");
const envName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);

const agent = fc.record(
  {
    model: nonBlank,
    max_turns: fc.integer({ min: 1, max: 1e9 }),
    max_budget_usd: fc.oneof(
      fc.double({ min: 1e-6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: 1, max: 100 }),
    ),
    timeout: duration,
    allowed_tools: fc.array(nonBlank, { maxLength: 3 }),
    disallowed_tools: fc.array(nonBlank, { maxLength: 2 }),
    permission_mode: fc.constantFrom(
      "default",
      "acceptEdits",
      "plan",
      "auto",
      "dontAsk",
      "bypassPermissions",
    ),
    append_system_prompt: anyText,
    args: fc.array(anyText, { maxLength: 3 }),
    env: fc.dictionary(
      envName,
      fc.oneof(
        anyText.filter((s) => !s.includes("{{")),
        fc.constant("{{ env.X }}"),
      ),
      {
        maxKeys: 3,
      },
    ),
  },
  { requiredKeys: [] },
);

const pr = fc.record(
  {
    title: nonBlank,
    body: anyText,
    labels: fc.array(nonBlank, { maxLength: 3 }),
    reviewers: fc.array(nonBlank, { maxLength: 2 }),
    assignees: fc.array(nonBlank, { maxLength: 2 }),
    draft: fc.boolean(),
    auto_merge: fc.constantFrom(false, "merge", "squash", "rebase"),
    on_no_changes: fc.constantFrom("keep", "close"),
  },
  { requiredKeys: [] },
);

const settings = fc.record(
  {
    name: taskName,
    description: anyText,
    schedule: fc.oneof(nonBlank, fc.array(nonBlank, { maxLength: 3 })),
    timezone: fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "US/Eastern"),
    missed: fc.constantFrom("skip", "once", "all"),
    watch: fc.array(glob, { maxLength: 3 }),
    needs: fc.array(taskName, { maxLength: 3 }),
    if: fc.constantFrom("success", "always", "failure"),
    base: fc.constantFrom("main", "develop", "release/1.x"),
    branch: fc.constantFrom("claude-tasks/{task}", "bots/{task}/work", "bots/{task}"),
    agent,
    paths: fc.record({ allow: fc.array(glob, { maxLength: 3 }), deny: fc.array(glob, { maxLength: 3 }) }),
    limits: fc.record({ max_files: fc.nat(), max_lines: fc.nat() }, { requiredKeys: [] }),
    retry: fc.record(
      { attempts: fc.integer({ min: 1, max: 10 }), backoff: fc.oneof(duration, fc.constant("0s")) },
      { requiredKeys: [] },
    ),
    pr,
    enabled: fc.boolean(),
  },
  { requiredKeys: [] },
);

const action = fc.oneof(
  fc.record({ prompt: nonBlank }),
  fc.record({ run: nonBlank }),
  fc.record({ prompt_file: fc.constantFrom("prompts/a.md", "docs/prompt one.md") }),
);

const validTask = fc.tuple(action, settings).map(([a, s]) => ({ ...a, ...s }));

const serialise = fc.oneof(
  fc
    .record({
      indent: fc.integer({ min: 2, max: 6 }),
      lineWidth: fc.constantFrom(0, 20, 80),
      defaultStringType: fc.constantFrom(
        "PLAIN",
        "QUOTE_DOUBLE",
        "QUOTE_SINGLE",
        "BLOCK_LITERAL",
        "BLOCK_FOLDED",
      ),
      collectionStyle: fc.constantFrom("any", "block", "flow"),
      indentSeq: fc.boolean(),
    })
    .map((options) => ({
      how: `yaml ${JSON.stringify(options)}`,
      write: (v: unknown) => stringify(v, options),
    })),
  fc
    .record({
      indent: fc.integer({ min: 1, max: 6 }),
      flowLevel: fc.integer({ min: -1, max: 2 }),
      lineWidth: fc.constantFrom(-1, 20, 80),
      quotingType: fc.constantFrom("'", '"') as fc.Arbitrary<"'" | '"'>,
      forceQuotes: fc.boolean(),
      noArrayIndent: fc.boolean(),
      noCompatMode: fc.boolean(),
    })
    .map((options) => ({
      how: `js-yaml ${JSON.stringify(options)}`,
      write: (v: unknown) => dump(v, options),
    })),
);

describe("the fast path on generated valid task files", () => {
  it("gives the same effective tasks and problems as the precise path, whichever writer wrote them", () => {
    let valid = 0;
    let fast = 0;
    fc.assert(
      fc.property(validTask, serialise, fc.boolean(), (task, { write }, crlf) => {
        let text = write(task);
        if (crlf) text = text.replace(/\n/g, "\r\n");
        const files = [{ path: `${DIR}/t.yml`, text }];
        const loaded = loadBothWays(files, { env: { X: "x" }, statFile: () => "file" });
        // A writer may not round-trip every string (then the task may well be invalid).
        if (!isDeepStrictEqual(parseYamlSource("t.yml", text).value, structuredClone(task))) return;
        valid++;
        expect(problemLines(loaded.problems)).toEqual([]);
        expect(loaded.tasks[0]).toMatchObject({
          timezone: task.timezone ?? "UTC",
          missed: task.missed ?? "once",
        });
        if (fastParse(text)) fast++;
      }),
      { numRuns: 400 },
    );
    // Most of them are ordinary enough for the fast path (the rest have tabs, `? `, `|2`...).
    expect(valid).toBeGreaterThan(300);
    expect(fast).toBeGreaterThan(valid / 3);
  });

  it("gives the same result for task files with a `_defaults`", () => {
    fc.assert(
      fc.property(settings, validTask, serialise, (defaults, task, { write }) => {
        const { name: _name, ...shared } = defaults;
        loadBothWays(
          [
            { path: `${DIR}/_defaults.yml`, text: write(shared) },
            { path: `${DIR}/t.yml`, text: write(task) },
          ],
          { env: { X: "x" }, statFile: () => "file" },
        );
      }),
      { numRuns: 150 },
    );
  });
});
