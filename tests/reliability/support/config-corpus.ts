/**
 * A corpus of broken task directories for `claude-tasks validate`: each case is the files of one
 * `.github/claude-tasks/` (plus, where needed, repository files and symlinks), and a pattern the first
 * reported problem must match (`file:line:col: message`).
 */

export interface CorpusCase {
  id: string;
  what: string;
  /** Task directory files: name → text (or bytes). */
  files: Record<string, string | Buffer>;
  /** Symlinks in the task directory: name → target. */
  links?: Record<string, string>;
  /** Files elsewhere in the repository. */
  repo?: Record<string, string>;
  /** What the first problem line must match. */
  first: RegExp;
}

const T = ".github/claude-tasks";
const at = (file: string, message: string) =>
  new RegExp(`^${T.replaceAll(".", "\\.")}/${file.replaceAll(".", "\\.")}:\\d+:\\d+: ${message}`);

/** One `t.yml`; the first problem is in it. */
const one = (id: string, what: string, text: string | Buffer, message: string): CorpusCase => ({
  id,
  what,
  files: { "t.yml": text },
  first: at("t.yml", message),
});

const bomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...["b", "c", "d", "e", "f", "g", "h", "i"].map(
    (k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(",")}]`,
  ),
  "run: x",
].join("\n");

function randomBytes(n: number, seed: number): Buffer {
  let s = seed >>> 0;
  return Buffer.from(
    Array.from({ length: n }, () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s >>> 24;
    }),
  );
}

export const CORPUS: CorpusCase[] = [
  // YAML itself
  one("B-V01", "an empty file", "", "empty task file"),
  one("B-V02", "only comments", "# nothing here\n", "empty task file"),
  one("B-V03", "two YAML documents", "run: a\n---\nrun: b\n", "a task file holds one YAML document"),
  one("B-V04", "a list at the top", "- run: x\n", "a task file must be a mapping"),
  one("B-V05", "a plain string at the top", "just words\n", "a task file must be a mapping"),
  one("B-V06", "an unclosed flow sequence", "prompt: [a, b\nrun: x\n", "YAML syntax error"),
  one("B-V07", "an unclosed quote", 'prompt: "abc\nenabled: true\n', "YAML syntax error"),
  one("B-V08", "tab indentation", "run: x\nagent:\n\tmodel: x\n", "tab character used for indentation"),
  one("B-V09", "a duplicate key", "run: x\nrun: y\n", "duplicate key `run`"),
  one("B-V10", "an alias bomb (billion laughs)", bomb, "the document expands to too many values"),
  one(
    "B-V11",
    "20,000 nested flow sequences",
    `run: x\nagent: ${"[".repeat(20000)}${"]".repeat(20000)}\n`,
    "YAML syntax error",
  ),
  one(
    "B-V12",
    "3,000 nested mappings",
    `run: x\nagent:\n${Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n")} 1\n`,
    "YAML syntax error",
  ),
  one(
    "B-V13",
    "64 KB of random bytes",
    randomBytes(65536, 7),
    "(YAML syntax error|a task file must be a mapping|tab character)",
  ),
  one("B-V14", "a NUL byte in `run`", "run: echo hi\0\n", "`run` must be .*NUL character"),
  one("B-V15", "2 MB of one unterminated line", `run: "${"x".repeat(2 << 20)}`, "YAML syntax error"),
  one("B-V16", "a `__proto__` key", "run: x\n__proto__: { enabled: false }\n", "unknown key `__proto__`"),
  // what the task does
  one(
    "B-V17",
    "no prompt, prompt_file or run",
    "description: nothing\n",
    "a task needs one of `prompt`, `prompt_file` or `run`",
  ),
  one("B-V18", "both prompt and run", "prompt: hi\nrun: x\n", "`run` cannot be combined with `prompt`"),
  one("B-V19", "an empty prompt", 'prompt: ""\n', "`prompt` must be"),
  one(
    "B-V20",
    "prompt_file: an absolute path",
    "prompt_file: /etc/passwd\n",
    "`prompt_file` must be a file path relative",
  ),
  one("B-V21", "prompt_file: `..` out of the repository", "prompt_file: ../../etc/passwd\n", "`prompt_file`"),
  one(
    "B-V22",
    "prompt_file: a missing file",
    "prompt_file: docs/nope.md\n",
    "`prompt_file`.*(not found|does not exist|no such)",
  ),
  {
    id: "B-V23",
    what: "prompt_file: a directory",
    files: { "t.yml": "prompt_file: docs\n" },
    repo: { "docs/a.md": "x\n" },
    first: at("t.yml", "`prompt_file`.*directory"),
  },
  one("B-V24", "run: a list instead of a string", "run: [echo, hi]\n", "`run` must be"),
  // names
  one("B-V25", "name with capitals and `_`", "name: Lint_Fix\nrun: x\n", "`name` must be a task name"),
  one("B-V26", "name of 64 characters", `name: ${"a".repeat(64)}\nrun: x\n`, "`name` must be a task name"),
  one("B-V27", "name `..`", 'name: ".."\nrun: x\n', "`name` must be a task name"),
  {
    id: "B-V28",
    what: "two files with the same task name",
    files: { "a.yml": "name: same\nrun: x\n", "b.yml": "name: same\nrun: y\n" },
    first: /^\.github\/claude-tasks\/(a|b)\.yml:\d+:\d+: .*(duplicate|same name|already|unique)/i,
  },
  {
    id: "B-V29",
    what: "`x.yml` and `x.yaml`",
    files: { "x.yml": "run: a\n", "x.yaml": "run: b\n" },
    first: /^\.github\/claude-tasks\/x\.ya?ml:\d+:\d+: .*x/,
  },
  {
    id: "B-V30",
    what: "a file name that is not a task name",
    files: { "My Task.yml": "run: x\n" },
    first: at("My Task.yml", ".*task name"),
  },
  // schedules
  one("B-V31", "cron minute 61", 'schedule: "61 * * * *"\nrun: x\n', "bad cron field `61` in minute"),
  one("B-V32", "cron with 6 fields", 'schedule: "0 0 * * * *"\nrun: x\n', "expected 5 cron fields"),
  one("B-V33", "every 1m (too often)", 'schedule: "every 1m"\nrun: x\n', "interval `every 1m` is too short"),
  one("B-V34", "an unknown macro", 'schedule: "@fortnightly"\nrun: x\n', "unknown schedule `@fortnightly`"),
  one(
    "B-V35",
    "a list with a bad entry",
    'schedule: ["@daily", "nope"]\nrun: x\n',
    "unknown schedule `nope`",
  ),
  one("B-V36", "February 30th (never fires)", 'schedule: "0 0 30 2 *"\nrun: x\n', "schedule never fires"),
  one(
    "B-V37",
    "an unknown time zone",
    'schedule: "@daily"\ntimezone: Mars/Olympus_Mons\nrun: x\n',
    "`timezone`",
  ),
  one("B-V38", "missed: sometimes", "missed: sometimes\nrun: x\n", "`missed` must be one of"),
  one("B-V39", "watch: an absolute glob", 'watch: ["/etc/**"]\nrun: x\n', "`watch"),
  // the graph
  one("B-V40", "needs an unknown task", "needs: [ghost]\nrun: x\n", "unknown task `ghost` in needs"),
  one("B-V41", "needs itself", "needs: [t]\nrun: x\n", "`t` needs itself"),
  {
    id: "B-V42",
    what: "a needs cycle across two files",
    files: { "a.yml": "needs: [b]\nrun: x\n", "b.yml": "needs: [a]\nrun: y\n" },
    first: /^\.github\/claude-tasks\/(a|b)\.yml:\d+:\d+: .*cycle/,
  },
  one("B-V43", "if: Always (case)", "if: Always\nrun: x\n", "`if` must be one of"),
  // branches and refs
  one("B-V44", "base with `..`", "base: main..evil\nrun: x\n", "`base`"),
  one("B-V45", "base with `@{`", 'base: "main@{1}"\nrun: x\n', "`base`"),
  one("B-V46", "a branch template with a space", 'branch: "claude tasks/{task}"\nrun: x\n', "`branch`"),
  one("B-V47", "a branch template ending in .lock", 'branch: "bots/{task}.lock"\nrun: x\n', "`branch`"),
  one("B-V48", "a branch starting with `-`", 'branch: "-x/{task}"\nrun: x\n', "`branch`"),
  // agent
  one("B-V49", "agent.max_turns: 0", "agent: { max_turns: 0 }\nprompt: hi\n", "`agent.max_turns`"),
  one(
    "B-V50",
    "agent.max_budget_usd: -1",
    "agent: { max_budget_usd: -1 }\nprompt: hi\n",
    "`agent.max_budget_usd`",
  ),
  one(
    "B-V51",
    "agent.timeout: 30 (no unit)",
    "agent: { timeout: 30 }\nprompt: hi\n",
    "`agent.timeout`.*add a unit",
  ),
  one("B-V52", "agent.timeout: 25h", "agent: { timeout: 25h }\nprompt: hi\n", "`agent.timeout`.*at most 24h"),
  one(
    "B-V53",
    "agent.allowed_tools: a string",
    "agent: { allowed_tools: Read }\nprompt: hi\n",
    "`agent.allowed_tools`",
  ),
  one(
    "B-V54",
    "agent.permission_mode: yolo",
    "agent: { permission_mode: yolo }\nprompt: hi\n",
    "`agent.permission_mode`",
  ),
  one("B-V55", "agent.args: a string", 'agent: { args: "--foo" }\nprompt: hi\n', "`agent.args`"),
  one(
    "B-V56",
    "agent.env: a variable that is not set",
    'agent:\n  env:\n    TOKEN: "{{ env.CT_SURELY_UNSET_VAR }}"\nprompt: hi\n',
    "`agent.env.TOKEN`.*not set",
  ),
  one("B-V57", "agent.env: a nested mapping", "agent:\n  env:\n    A: { b: c }\nprompt: hi\n", "`agent.env"),
  one(
    "B-V58",
    "agent.env: an invalid variable name",
    'agent:\n  env:\n    "1BAD": x\nprompt: hi\n',
    "key `1BAD` in `agent.env`",
  ),
  // paths, limits, retry
  one(
    "B-V59",
    "paths.allow: an absolute path",
    'paths: { allow: ["/etc/passwd"] }\nrun: x\n',
    "`paths.allow",
  ),
  one("B-V60", "paths.allow: a `..` path", 'paths: { allow: ["../outside/**"] }\nrun: x\n', "`paths.allow"),
  one("B-V61", "paths.deny: a string", "paths: { deny: secrets }\nrun: x\n", "`paths.deny`"),
  one("B-V62", "limits.max_files: ten", "limits: { max_files: ten }\nrun: x\n", "`limits.max_files`"),
  one("B-V63", "limits.max_lines: 2.5", "limits: { max_lines: 2.5 }\nrun: x\n", "`limits.max_lines`"),
  one("B-V64", "retry.attempts: 0", "retry: { attempts: 0 }\nrun: x\n", "`retry.attempts`"),
  one("B-V65", "retry.backoff: 1.5h", "retry: { backoff: 1.5h }\nrun: x\n", "`retry.backoff`.*whole numbers"),
  // pr
  one("B-V66", "pr.title: empty", 'pr: { title: "" }\nrun: x\n', "`pr.title`"),
  one("B-V67", "pr.auto_merge: yes", 'pr: { auto_merge: "yes" }\nrun: x\n', "`pr.auto_merge`"),
  one("B-V68", "pr.on_no_changes: delete", "pr: { on_no_changes: delete }\nrun: x\n", "`pr.on_no_changes`"),
  one("B-V69", 'enabled: "yes"', 'enabled: "yes"\nrun: x\n', "`enabled`"),
  one(
    "B-V70",
    "a typo: schedul",
    'schedul: "@daily"\nrun: x\n',
    "unknown key `schedul`, did you mean `schedule`\\?",
  ),
  // files that are not files
  {
    id: "B-V71",
    what: "a task file that is a symlink to a file outside the repository",
    files: { "ok.yml": "run: x\n" },
    links: { "t.yml": "/etc/hostname" },
    first: at("t.yml", "the task file is a symlink to a file outside the repository"),
  },
  {
    id: "B-V72",
    what: "a symlink loop",
    files: { "ok.yml": "run: x\n" },
    links: { "t.yml": "t.yml" },
    first: at("t.yml", "cannot read the file"),
  },
  // _defaults.yml
  {
    id: "B-V73",
    what: "_defaults.yml: a list",
    files: { "_defaults.yml": "- agent: {}\n", "t.yml": "run: x\n" },
    first: at("_defaults.yml", ".*mapping"),
  },
  {
    id: "B-V74",
    what: "_defaults.yml: an unknown key",
    files: { "_defaults.yml": "agnet: { model: x }\n", "t.yml": "run: x\n" },
    first: at("_defaults.yml", "unknown key `agnet`"),
  },
  {
    id: "B-V75",
    what: "_defaults.yml: sets `run`",
    files: { "_defaults.yml": "run: echo all\n", "t.yml": "run: x\n" },
    first: at("_defaults.yml", "`run` cannot be set in _defaults"),
  },
  {
    id: "B-V76",
    what: "_defaults.yml: sets `name`",
    files: { "_defaults.yml": "name: shared\n", "t.yml": "run: x\n" },
    first: at("_defaults.yml", "`name` cannot be set in _defaults"),
  },
  {
    id: "B-V77",
    what: "_defaults.yml: a YAML syntax error",
    files: { "_defaults.yml": "agent: { model: [x }\n", "t.yml": "run: x\n" },
    first: at("_defaults.yml", "YAML syntax error"),
  },
  {
    id: "B-V78",
    what: "_defaults.yml: a bad duration, reported where it is written",
    files: { "_defaults.yml": "agent: { timeout: forever }\n", "t.yml": "prompt: hi\n" },
    first: at("_defaults.yml", "`agent.timeout`"),
  },
  {
    id: "B-V79",
    what: "_defaults.yml and _defaults.yaml both",
    files: { "_defaults.yml": "enabled: true\n", "_defaults.yaml": "enabled: false\n", "t.yml": "run: x\n" },
    first: /^\.github\/claude-tasks\/_defaults\.ya?ml:\d+:\d+: /,
  },
];
