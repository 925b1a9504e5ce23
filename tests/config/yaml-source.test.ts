import { describe, expect, it } from "vitest";
import { parseYamlSource } from "../../src/engine/config/yaml-source.ts";
import { formatProblem } from "../../src/engine/errors.ts";

const parse = (text: string) => {
  const s = parseYamlSource("t.yml", text);
  return { value: s.value, usable: s.usable, problems: s.problems.map(formatProblem) };
};

describe("parseYamlSource", () => {
  it("returns plain data", () => {
    expect(parse("a: 1\nb: [x, true, null]\nc: { d: 1.5 }\n")).toEqual({
      value: { a: 1, b: ["x", true, null], c: { d: 1.5 } },
      usable: true,
      problems: [],
    });
  });

  it("reads YAML 1.2: yes/no and dates stay strings", () => {
    expect(parse("a: yes\nb: 2024-01-01\nc: 0o17\n").value).toEqual({ a: "yes", b: "2024-01-01", c: 15 });
  });

  it("keeps `__proto__` as an ordinary key", () => {
    const { value } = parse("__proto__: { polluted: true }\n");
    expect(Object.hasOwn(value as object, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("resolves aliases and reports bad ones", () => {
    expect(parse("a: &x [1]\nb: *x\n").value).toEqual({ a: [1], b: [1] });
    expect(parse("a: *nope\n")).toMatchObject({
      usable: false,
      problems: ["t.yml:1:4: unknown alias `*nope`: no anchor `&nope` comes before it"],
    });
  });

  it("stops documents that expand exponentially", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    const started = Date.now();
    const r = parse(`${lines.join("\n")}\n`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.usable).toBe(false);
    expect(r.problems.at(-1)).toMatch(/expands to too many values/);
  });

  it("reports duplicate and non-text keys, keeping the last value", () => {
    expect(parse("a: 1\nb: 2\na: 3\n? [k]\n: v\n")).toEqual({
      value: { a: 3, b: 2 },
      usable: true,
      problems: [
        "t.yml:3:1: duplicate key `a` (first defined at line 1)",
        "t.yml:4:3: keys must be plain text, not a list, mapping or alias",
      ],
    });
  });

  it("turns YAML errors into problems with cleaned messages", () => {
    expect(parse("a: 1\n---\nb: 2\n").problems).toEqual([
      "t.yml:2:1: a task file holds one YAML document; remove the `---` separator (one task per file)",
    ]);
    expect(parse("a:\n\tb: 1\n").problems).toEqual([
      "t.yml:2:1: tab character used for indentation; indent YAML with spaces",
    ]);
    expect(parse("a: 'x\n").problems).toEqual(["t.yml:2:1: YAML syntax error: missing closing ' quote"]);
    expect(parse("a: !custom x\n").problems).toEqual([
      "t.yml:1:4: warning: unresolved tag: !custom; the tag is ignored",
    ]);
  });

  it("treats an empty or comment-only document as no value", () => {
    expect(parse("")).toEqual({ value: undefined, usable: true, problems: [] });
    expect(parse("# c\n\n")).toEqual({ value: undefined, usable: true, problems: [] });
  });
});
