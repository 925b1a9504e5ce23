/**
 * fast-check generators of YAML-ish text for the task loader: random text, text made of YAML's
 * special characters, real YAML structures with task keys, and such structures with a few characters
 * broken. Shared by the config property tests and the reliability fuzzing.
 */
import fc from "fast-check";
import { stringify } from "yaml";

export const KEYS = [
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
]
  .concat(["base", "branch", "agent", "paths", "limits", "retry", "pr", "enabled", "env", "timeout", "allow"])
  .concat(["deny", "max_files", "attempts", "backoff", "title", "auto_merge", "__proto__", "constructor"]);

export const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "30s",
    "{{ env.X }}",
    "{{ env.",
    "../x",
    "/abs",
    "**",
    "@daily",
    "0 6 * * 1-5",
    "\0",
    "\u202e",
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
export const { value: structure } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie("value"), { maxKeys: 5 }),
  ),
}));
const yamlChars = fc.constantFrom(..."ab: -\n\t'\"[]{}#&*!|>%@`,?~0\\\r\u00a0\ufeff");
export const yamlText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: yamlChars, maxLength: 300 }),
  structure.map((v) => stringify(v)),
  fc.tuple(structure, fc.array(fc.tuple(fc.nat(), yamlChars), { maxLength: 5 })).map(([v, edits]) => {
    let s = stringify(v);
    for (const [at, ch] of edits) s = s.slice(0, at % (s.length + 1)) + ch + s.slice(at % (s.length + 1));
    return s;
  }),
);
