/**
 * Whatever the text, parseConfigFiles returns problems (with real positions) and never throws, and
 * the fast path changes nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { DIR, loadBothWays } from "./helpers.ts";

const KEYS = [
  "name",
  "prompt",
  "prompt_file",
  "run",
  "schedule",
  "timezone",
  "missed",
  "watch",
  "needs",
  "if",
  "base",
  "branch",
  "agent",
  "paths",
  "limits",
  "retry",
  "pr",
  "enabled",
  "model",
  "env",
  "timeout",
  "allow",
  "deny",
  "max_files",
  "attempts",
  "backoff",
  "title",
  "auto_merge",
  "__proto__",
  "constructor",
];

const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "30s",
    "20m",
    "{{ env.X }}",
    "{{ env.",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, on purpose
    "${{ x }}",
    "UTC",
    "Europe/Berln",
    "../x",
    "/abs",
    "**",
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

const { value: yamlish } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie("value"), { maxKeys: 5 }),
  ),
}));

const yamlChars = fc.constantFrom(..."ab: -\n\t'\"[]{}#&*!|>%@`,?~0\\");
const yamlText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: yamlChars, maxLength: 200 }),
  yamlish.map((v) => stringify(v)),
  // Valid structures with a few characters broken.
  fc.tuple(yamlish, fc.array(fc.tuple(fc.nat(), yamlChars), { maxLength: 4 })).map(([v, edits]) => {
    let s = stringify(v);
    for (const [at, ch] of edits) s = s.slice(0, at % (s.length + 1)) + ch + s.slice(at % (s.length + 1));
    return s;
  }),
);

function checkInvariants(files: { path: string; text: string }[]) {
  const loaded = loadBothWays(files, { env: { X: "x" }, statFile: () => "missing" });
  const paths = new Set([DIR, ...files.map((f) => f.path)]);
  for (const p of loaded.problems) {
    expect(paths.has(p.file), p.file).toBe(true);
    expect(Number.isInteger(p.line) && p.line >= 1, `${p.line}`).toBe(true);
    expect(Number.isInteger(p.col) && p.col >= 1, `${p.col}`).toBe(true);
    const lines = (files.find((f) => f.path === p.file)?.text ?? "").split("\n").length;
    expect(p.line).toBeLessThanOrEqual(lines + 1);
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.message).not.toMatch(/undefined|\[object Object\]|Invalid input/);
  }
  for (const task of loaded.tasks)
    expect(loaded.problems.some((p) => p.file === task.file && p.severity === "error")).toBe(false);
  loaded.locate("a", ["agent", "env", "X"]);
  loaded.locate("missing", []);
}

describe("parseConfigFiles on arbitrary input", () => {
  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(yamlText, (text) => checkInvariants([{ path: `${DIR}/a.yml`, text }])),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary task and _defaults structures", () => {
    fc.assert(
      fc.property(yamlish, yamlish, (task, defaults) =>
        checkInvariants([
          { path: `${DIR}/_defaults.yml`, text: stringify(defaults) },
          { path: `${DIR}/a.yml`, text: stringify(task) },
          { path: `${DIR}/b.yml`, text: stringify({ run: "x", ...(typeof task === "object" ? task : {}) }) },
        ]),
      ),
      { numRuns: 200 },
    );
  });

  it("locates a problem of any key of any valid-looking task", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), scalar, { maxKeys: 6 }), (task) =>
        checkInvariants([{ path: `${DIR}/a.yml`, text: stringify({ run: "x", ...task }) }]),
      ),
      { numRuns: 200 },
    );
  });
});
