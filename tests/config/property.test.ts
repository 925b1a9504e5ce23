/**
 * Whatever the text, parseConfigFiles returns problems (with real positions) and never throws, and
 * the fast path changes nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { KEYS, scalar, structure, yamlText } from "../support/yaml-arbitraries.ts";
import { DIR, loadBothWays } from "./helpers.ts";

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
      fc.property(structure, structure, (task, defaults) =>
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
