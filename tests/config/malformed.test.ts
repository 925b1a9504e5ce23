/**
 * Malformed task files: each one's problems, exactly (file, line, column and message).
 * One file per row, loaded alone; `p.md` is the only prompt file that exists.
 */
import { describe, expect, it } from "vitest";
import { DIR, load, problemLines, yaml } from "./helpers.ts";

const cases: [file: string, text: string, expected: string[]][] = [
  [
    "syntax-flow.yml",
    yaml("prompt: [a, b", "run: x"),
    [
      "2:1: YAML syntax error: flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
  ],
  [
    "syntax-quote.yml",
    yaml('prompt: "abc', "enabled: true"),
    ['3:1: YAML syntax error: missing closing " quote'],
  ],
  [
    "syntax-compact.yml",
    yaml("prompt: a: b"),
    ["1:9: YAML syntax error: nested mappings are not allowed in compact mappings"],
  ],
  [
    "bad-indent.yml",
    yaml("run: x", "agent:", "  model: x", " max_turns: 3"),
    ["4:1: YAML syntax error: all mapping items must start at the same column"],
  ],
  [
    "tab.yml",
    yaml("run: x", "agent:", "\tmodel: x"),
    ["3:1: tab character used for indentation; indent YAML with spaces"],
  ],
  [
    "dup.yml",
    yaml("run: x", "enabled: true", "run: y"),
    ["3:1: duplicate key `run` (first defined at line 1)"],
  ],
  [
    "dup-nested.yml",
    yaml("run: x", "agent:", "  model: a", "  model: b"),
    ["4:3: duplicate key `model` (first defined at line 3)"],
  ],
  [
    "multi.yml",
    yaml("run: x", "---", "run: y"),
    ["2:1: a task file holds one YAML document; remove the `---` separator (one task per file)"],
  ],
  ["empty.yml", "", ["1:1: empty task file; a task needs `prompt`, `prompt_file` or `run`"]],
  [
    "comments.yml",
    yaml("# just a comment"),
    ["1:1: empty task file; a task needs `prompt`, `prompt_file` or `run`"],
  ],
  [
    "root-list.yml",
    yaml("- run: x"),
    ["1:1: a task file must be a mapping of keys such as `prompt:` and `schedule:`, got a list"],
  ],
  [
    "root-scalar.yml",
    yaml("just some text"),
    ["1:1: a task file must be a mapping of keys such as `prompt:` and `schedule:`, got a single value"],
  ],
  [
    "nested-list.yml",
    yaml("run: x", "agent:", "  - model: x"),
    ["3:3: `agent` must be a mapping (`key: value` lines), got a list"],
  ],
  [
    "nested-scalar.yml",
    yaml("run: x", "paths: docs/**"),
    ['2:8: `paths` must be a mapping (`key: value` lines), got the string "docs/**"'],
  ],
  [
    "unknown-root.yml",
    yaml("run: x", "schedul: '@daily'"),
    ["2:1: unknown key `schedul`, did you mean `schedule`?"],
  ],
  [
    "unknown-nested.yml",
    yaml("run: x", "pr:", "  lables: [a]"),
    ["3:3: unknown key `lables` in `pr`, did you mean `labels`?"],
  ],
  ["unknown-far.yml", yaml("run: x", "frobnicate: 1"), ["2:1: unknown key `frobnicate`"]],
  [
    "unknown-elsewhere.yml",
    yaml("run: x", "max_turns: 3"),
    ["2:1: unknown key `max_turns`, did you mean `agent.max_turns`?"],
  ],
  [
    "bad-enum.yml",
    yaml("run: x", "missed: sometimes"),
    ['2:9: `missed` must be one of `skip`, `once` or `all`, got the string "sometimes"'],
  ],
  [
    "bad-enum-case.yml",
    yaml("run: x", "if: Always"),
    [
      '2:5: `if` must be one of `success`, `always` or `failure`, got the string "Always"; did you mean `always`?',
    ],
  ],
  [
    "neg-limit.yml",
    yaml("run: x", "limits:", "  max_files: -1"),
    ["3:14: `limits.max_files` must be a whole number 0 or more, got the number -1"],
  ],
  [
    "str-limit.yml",
    yaml("run: x", "limits: { max_lines: lots }"),
    ['2:22: `limits.max_lines` must be a whole number 0 or more, got the string "lots"'],
  ],
  [
    "float-limit.yml",
    yaml("run: x", "limits: { max_lines: 2.5 }"),
    ["2:22: `limits.max_lines` must be a whole number 0 or more, got the number 2.5"],
  ],
  [
    "quoted-limit.yml",
    yaml("run: x", "limits: { max_files: '10' }"),
    [
      '2:22: `limits.max_files` must be a whole number 0 or more, got the string "10"; write the number without quotes: `10`',
    ],
  ],
  [
    "bare-duration.yml",
    yaml("run: x", "agent: { timeout: 30 }"),
    [
      "2:19: `agent.timeout` must be a positive duration such as `30s`, `20m` or `1h30m` (at most 24h), got the number 30; add a unit, like `30s` for seconds or `30m` for minutes",
    ],
  ],
  [
    "bad-duration.yml",
    yaml("run: x", "retry: { backoff: 1.5h }"),
    [
      '2:19: `retry.backoff` must be a duration such as `30s`, `20m` or `1h30m` (at most 24h), got the string "1.5h"; use whole numbers, like `1h30m` instead of `1.5h`',
    ],
  ],
  [
    "zero-timeout.yml",
    yaml("run: x", "agent: { timeout: 0s }"),
    [
      '2:19: `agent.timeout` must be a positive duration such as `30s`, `20m` or `1h30m` (at most 24h), got the string "0s"; it must be longer than 0s',
    ],
  ],
  [
    "long-duration.yml",
    yaml("run: x", "agent: { timeout: 25h }"),
    [
      '2:19: `agent.timeout` must be a positive duration such as `30s`, `20m` or `1h30m` (at most 24h), got the string "25h"; durations are at most 24h',
    ],
  ],
  [
    "upper-duration.yml",
    yaml("run: x", "agent: { timeout: 20M }"),
    [
      '2:19: `agent.timeout` must be a positive duration such as `30s`, `20m` or `1h30m` (at most 24h), got the string "20M"; units are lowercase: `20m`',
    ],
  ],
  [
    "bad-name.yml",
    yaml("name: Lint_Fix", "run: x"),
    [
      '1:7: `name` must be a task name (lowercase letters, digits and `-`, starting with a letter or digit, at most 63 characters), got the string "Lint_Fix"; try `lint-fix`',
    ],
  ],
  [
    "name-number.yml",
    yaml("name: 42", "run: x"),
    [
      "1:7: `name` must be a task name (lowercase letters, digits and `-`, starting with a letter or digit, at most 63 characters), got the number 42",
    ],
  ],
  [
    "no-action.yml",
    yaml("description: nothing to do"),
    ["1:1: a task needs one of `prompt`, `prompt_file` or `run`: what Claude should do, or a command to run"],
  ],
  [
    "two-actions.yml",
    yaml("prompt: hi", "run: x"),
    [
      "2:1: `run` cannot be combined with `prompt`; a task has exactly one of `prompt`, `prompt_file` or `run`",
    ],
  ],
  [
    "nul-run.yml",
    "run: echo hi\0\n",
    [
      '1:6: `run` must be a non-empty string, got the string "echo hi\\u0000"; it contains a NUL character (\\0), which no command or variable can hold',
    ],
  ],
  [
    "three-actions.yml",
    yaml("prompt: hi", "prompt_file: p.md", "run: x"),
    [
      "2:1: `prompt_file` cannot be combined with `prompt`; a task has exactly one of `prompt`, `prompt_file` or `run`",
      "3:1: `run` cannot be combined with `prompt`; a task has exactly one of `prompt`, `prompt_file` or `run`",
    ],
  ],
  [
    "prompt-abs.yml",
    yaml("prompt_file: /etc/passwd"),
    [
      '1:14: `prompt_file` must be a file path relative to the repository root, got the string "/etc/passwd"; absolute paths are not allowed; give a path relative to the repository root',
    ],
  ],
  [
    "prompt-dotdot.yml",
    yaml("prompt_file: ../secrets.md"),
    [
      '1:14: `prompt_file` must be a file path relative to the repository root, got the string "../secrets.md"; the path leaves the repository (`..`)',
    ],
  ],
  [
    "prompt-backslash.yml",
    yaml("prompt_file: docs\\p.md"),
    [
      '1:14: `prompt_file` must be a file path relative to the repository root, got the string "docs\\\\p.md"; use forward slashes: `docs/p.md`',
    ],
  ],
  [
    "tz.yml",
    yaml("run: x", "timezone: Europe/Berln"),
    [
      '2:11: `timezone` must be an IANA time zone such as `Europe/Berlin` or `UTC`, got the string "Europe/Berln"; did you mean `Europe/Berlin`?',
    ],
  ],
  [
    "tz-city.yml",
    yaml("run: x", "timezone: Berlin"),
    [
      '2:11: `timezone` must be an IANA time zone such as `Europe/Berlin` or `UTC`, got the string "Berlin"; did you mean `Europe/Berlin`?',
    ],
  ],
  [
    "tz-offset.yml",
    yaml("run: x", "timezone: '+01:00'"),
    [
      '2:11: `timezone` must be an IANA time zone such as `Europe/Berlin` or `UTC`, got the string "+01:00"; use a zone name such as `Europe/Berlin`; fixed offsets ignore daylight saving',
    ],
  ],
  [
    "tz-none.yml",
    yaml("run: x", "timezone: Mars/Olympus"),
    [
      '2:11: `timezone` must be an IANA time zone such as `Europe/Berlin` or `UTC`, got the string "Mars/Olympus"',
    ],
  ],
  [
    "list-number.yml",
    yaml("run: x", "watch: 5"),
    ['2:8: `watch` must be a list of globs such as `["docs/**"]`, got the number 5'],
  ],
  [
    "list-item.yml",
    yaml("run: x", "pr:", "  labels: [ok, 7]"),
    ["3:16: `pr.labels[1]` must be a non-empty string, got the number 7"],
  ],
  [
    "list-string.yml",
    yaml("run: x", "needs: lint-fix"),
    [
      '2:8: `needs` must be a list of task names, got the string "lint-fix"; write a list, like `["lint-fix"]`',
    ],
  ],
  [
    "needs-bad.yml",
    yaml("run: x", "needs: [Lint]"),
    [
      '2:9: `needs[0]` must be a task name (lowercase letters, digits and `-`, starting with a letter or digit, at most 63 characters), got the string "Lint"; try `lint`',
    ],
  ],
  [
    "bool-str.yml",
    yaml("run: x", "enabled: 'no'"),
    [
      '2:10: `enabled` must be `true` or `false`, got the string "no"; write `true` or `false` without quotes (YAML 1.2 reads only those as booleans)',
    ],
  ],
  [
    "bool-yes.yml",
    yaml("run: x", "pr: { draft: yes }"),
    [
      '2:14: `pr.draft` must be `true` or `false`, got the string "yes"; write `true` or `false` without quotes (YAML 1.2 reads only those as booleans)',
    ],
  ],
  [
    "empty-value.yml",
    yaml("run: x", "agent:"),
    ["2:1: `agent` must be a mapping (`key: value` lines), got an empty value"],
  ],
  ["empty-prompt.yml", yaml("prompt: ''"), ["1:9: `prompt` must be a non-empty string, got an empty string"]],
  ["blank-run.yml", yaml("run: '   '"), ['1:6: `run` must be a non-empty string, got the string "   "']],
  [
    "schedule-empty.yml",
    yaml("run: x", "schedule: ''"),
    ["2:11: `schedule` must be a schedule string or a list of them, got an empty string"],
  ],
  [
    "schedule-num.yml",
    yaml("run: x", "schedule: 5"),
    ["2:11: `schedule` must be a schedule string or a list of them, got the number 5"],
  ],
  [
    "schedule-item.yml",
    yaml("run: x", "schedule: ['@daily', '']"),
    ["2:22: `schedule[1]` must be a non-empty string, got an empty string"],
  ],
  [
    "perm.yml",
    yaml("run: x", "agent: { permission_mode: acceptedits }"),
    [
      '2:27: `agent.permission_mode` must be one of `default`, `acceptEdits`, `plan`, `auto`, `dontAsk` or `bypassPermissions`, got the string "acceptedits"; did you mean `acceptEdits`?',
    ],
  ],
  [
    "auto-merge.yml",
    yaml("run: x", "pr: { auto_merge: fast }"),
    ['2:19: `pr.auto_merge` must be `false`, `merge`, `squash` or `rebase`, got the string "fast"'],
  ],
  [
    "env-num.yml",
    yaml("run: x", "agent:", "  env:", "    PORT: 3000"),
    ['4:11: `agent.env.PORT` must be a string, got the number 3000; quote it: `"3000"`'],
  ],
  [
    "env-key.yml",
    yaml("run: x", "agent:", "  env:", "    1BAD: x"),
    [
      "4:5: key `1BAD` in `agent.env` must be an environment variable name (letters, digits and `_`, not starting with a digit)",
    ],
  ],
  [
    "env-missing.yml",
    yaml("run: x", "agent:", "  env:", "    TOKEN: '{{ env.MY_TOKEN }}'"),
    ["4:12: `agent.env.TOKEN`: environment variable `MY_TOKEN` is not set"],
  ],
  [
    "env-malformed.yml",
    yaml("run: x", "agent:", "  env:", "    TOKEN: '{{ secrets.X }}'"),
    ["4:12: `agent.env.TOKEN`: `{{ secrets.X }}` is not a valid placeholder; write `{{ env.NAME }}`"],
  ],
  [
    "env-gh.yml",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, on purpose
    yaml("run: x", "agent:", "  env:", "    TOKEN: '${{ secrets.X }}'"),
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, on purpose
      "4:12: `agent.env.TOKEN`: `${{ secrets.X }}` is a GitHub Actions expression, which is not evaluated in task files; put the value in the workflow step's `env:` and write `{{ env.NAME }}` here",
    ],
  ],
  [
    "env-unclosed.yml",
    yaml("run: x", "agent:", "  env:", "    TOKEN: 'a {{ env.X'"),
    ["4:12: `agent.env.TOKEN`: unclosed `{{`; write `{{ env.NAME }}`"],
  ],
  [
    "branch-bad.yml",
    yaml("run: x", "branch: 'bots/{task} work'"),
    [
      '2:9: `branch` must be a branch name, usually with `{task}` in it, got the string "bots/{task} work"; it is not a valid branch name: it contains a space',
    ],
  ],
  [
    "branch-ph.yml",
    yaml("run: x", "branch: 'bots/{name}'"),
    [
      '2:9: `branch` must be a branch name, usually with `{task}` in it, got the string "bots/{name}"; unknown placeholder `{name}`; only `{task}` is replaced',
    ],
  ],
  [
    "branch-base.yml",
    yaml("run: x", "base: main", "branch: main"),
    ["3:9: `branch` is `main`, the same as `base`; use `{task}` in it"],
  ],
  [
    "base-bad.yml",
    yaml("run: x", "base: 'feature..x'"),
    ['2:7: `base` must be a branch name, got the string "feature..x"; it contains `..`'],
  ],
  [
    "attempts.yml",
    yaml("run: x", "retry: { attempts: 0 }"),
    ["2:20: `retry.attempts` must be a whole number from 1 to 10, got the number 0"],
  ],
  [
    "attempts-big.yml",
    yaml("run: x", "retry: { attempts: 50 }"),
    ["2:20: `retry.attempts` must be a whole number from 1 to 10, got the number 50"],
  ],
  [
    "budget.yml",
    yaml("prompt: x", "agent: { max_budget_usd: 0 }"),
    ["2:26: `agent.max_budget_usd` must be a number greater than 0, got the number 0"],
  ],
  [
    "turns.yml",
    yaml("prompt: x", "agent: { max_turns: 1.5 }"),
    ["2:21: `agent.max_turns` must be a whole number 1 or more, got the number 1.5"],
  ],
  [
    "glob-abs.yml",
    yaml("run: x", "paths: { allow: ['/docs/**'] }"),
    [
      '2:18: `paths.allow[0]` must be a glob relative to the repository root, such as `docs/**`, got the string "/docs/**"; globs are relative to the repository root; drop the leading `/`: `docs/**`',
    ],
  ],
  [
    "glob-dot.yml",
    yaml("run: x", "watch: ['./src/**']"),
    [
      '2:9: `watch[0]` must be a glob relative to the repository root, such as `docs/**`, got the string "./src/**"; drop the leading `./`: `src/**`',
    ],
  ],
  [
    "alias-unknown.yml",
    yaml("run: *nope"),
    ["1:6: unknown alias `*nope`: no anchor `&nope` comes before it"],
  ],
  [
    "complex-key.yml",
    yaml("run: x", "? [a, b]", ": c"),
    ["2:3: keys must be plain text, not a list, mapping or alias"],
  ],
  ["proto.yml", yaml("run: x", "__proto__: { enabled: false }"), ["2:1: unknown key `__proto__`"]],
  [
    "args-num.yml",
    yaml("prompt: x", "agent: { args: [--verbose, 3] }"),
    ["2:28: `agent.args[1]` must be a string, got the number 3"],
  ],
  [
    "model-empty.yml",
    yaml("prompt: x", "agent: { model: '' }"),
    ["2:17: `agent.model` must be a non-empty string, got an empty string"],
  ],
  ["desc-list.yml", yaml("run: x", "description: [a]"), ["2:14: `description` must be a string, got a list"]],
  [
    "title-num.yml",
    yaml("run: x", "pr: { title: 5 }"),
    ["2:14: `pr.title` must be a non-empty string, got the number 5"],
  ],
  ["tag.yml", yaml("run: !shell x"), ["1:6: warning: unresolved tag: !shell; the tag is ignored"]],
  [
    "nul.yml",
    yaml("run: x", "watch: ~"),
    ['2:8: `watch` must be a list of globs such as `["docs/**"]`, got an empty value'],
  ],
  [
    "run-then-prompt.yml",
    yaml("run: x", "prompt: |", "  hello"),
    [
      "2:1: `prompt` cannot be combined with `run`; a task has exactly one of `prompt`, `prompt_file` or `run`",
    ],
  ],
  [
    "crlf-bom.yml",
    "\uFEFFrun: x\r\nagent:\r\n  modle: x\r\nmissed: never\r\n",
    [
      "3:3: unknown key `modle` in `agent`, did you mean `model`?",
      '4:9: `missed` must be one of `skip`, `once` or `all`, got the string "never"',
    ],
  ],
  [
    "auto-merge-case.yml",
    yaml("run: x", "pr: { auto_merge: Squash }"),
    [
      '2:19: `pr.auto_merge` must be `false`, `merge`, `squash` or `rebase`, got the string "Squash"; did you mean `squash`?',
    ],
  ],
];

describe("malformed task files", () => {
  it("has many cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
  });

  it.each(cases)("%s", (file, text, expected) => {
    const loaded = load({ [file]: text }, { statFile: (p) => (p === "p.md" ? "file" : "missing") });
    expect(problemLines(loaded.problems)).toEqual(expected.map((e) => `${file}:${e}`));
    for (const p of loaded.problems) expect(p.file).toBe(`${DIR}/${file}`);
    const errors = loaded.problems.filter((p) => p.severity === "error");
    if (errors.length) {
      expect(loaded.tasks).toEqual([]);
      // A bad `name:` leaves the name unknown; otherwise the file stem is reported as invalid.
      const stem = file.replace(/\.yml$/, "");
      expect(loaded.invalidTasks).toEqual(/^name:/m.test(text) ? [] : [stem]);
    }
  });
});
