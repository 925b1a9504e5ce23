import { describe, expect, it } from "vitest";
import { redactTask, substituteEnv } from "../../src/engine/config/index.ts";
import { load, problemLines, yaml } from "./helpers.ts";

describe("substituteEnv", () => {
  const env = { A: "1", B_2: "two", EMPTY: "" };

  it("replaces every placeholder, with or without spaces", () => {
    expect(substituteEnv("x-{{ env.A }}-{{env.B_2}}-{{  env.EMPTY  }}", env)).toEqual({
      ok: true,
      value: "x-1-two-",
      templated: true,
    });
  });

  it("leaves text without placeholders alone", () => {
    expect(substituteEnv("plain { text }", env)).toEqual({
      ok: true,
      value: "plain { text }",
      templated: false,
    });
  });

  it("reports every missing variable by name", () => {
    const r = substituteEnv("{{ env.NOPE }} {{ env.A }} {{ env.ALSO_NOPE }}", env);
    expect(r).toEqual({
      ok: false,
      errors: [
        { kind: "missing", message: "environment variable `NOPE` is not set" },
        { kind: "missing", message: "environment variable `ALSO_NOPE` is not set" },
      ],
    });
  });

  it("reports malformed placeholders", () => {
    const messages = (s: string) =>
      (substituteEnv(s, env) as { errors: { message: string }[] }).errors[0]?.message;
    expect(messages("{{ A }}")).toBe("`{{ A }}` is not a valid placeholder; write `{{ env.NAME }}`");
    expect(messages("{{ env.1X }}")).toBe(
      "`{{ env.1X }}` is not a valid placeholder; write `{{ env.NAME }}`",
    );
    expect(messages("a {{ env.A")).toBe("unclosed `{{`; write `{{ env.NAME }}`");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, on purpose
    expect(messages("${{ secrets.T }}")).toMatch(/^`\$\{\{ secrets\.T \}\}` is a GitHub Actions expression/);
  });
});

describe("agent.env in task files", () => {
  const text = yaml(
    "prompt: 'use {{ env.TOKEN }} as is'",
    "agent:",
    "  env:",
    "    TOKEN: '{{ env.GH_PAT }}'",
    "    URL: 'https://{{ env.HOST }}/api'",
    "    PLAIN: yes-plain",
  );

  it("substitutes from the given environment and only in agent.env", () => {
    const loaded = load({ "a.yml": text }, { env: { GH_PAT: "s3cret", HOST: "example.com" } });
    expect(loaded.problems).toEqual([]);
    const task = loaded.tasks[0]!;
    expect(task.prompt).toBe("use {{ env.TOKEN }} as is");
    expect(task.agent.env).toEqual({ TOKEN: "s3cret", URL: "https://example.com/api", PLAIN: "yes-plain" });
    expect(task.agent.env_templates).toEqual({
      TOKEN: "{{ env.GH_PAT }}",
      URL: "https://{{ env.HOST }}/api",
    });
  });

  it("redactTask shows substituted values as written", () => {
    const loaded = load({ "a.yml": text }, { env: { GH_PAT: "s3cret", HOST: "example.com" } });
    const shown = redactTask(loaded.tasks[0]!);
    expect(shown.agent.env).toEqual({
      TOKEN: "{{ env.GH_PAT }}",
      URL: "https://{{ env.HOST }}/api",
      PLAIN: "yes-plain",
    });
    expect(JSON.stringify(shown)).not.toContain("s3cret");
    expect(loaded.tasks[0]!.agent.env.TOKEN).toBe("s3cret");
  });

  it("reports a missing variable at the value, naming it", () => {
    const loaded = load({ "a.yml": text }, { env: { HOST: "h" } });
    expect(problemLines(loaded.problems)).toEqual([
      "a.yml:4:12: `agent.env.TOKEN`: environment variable `GH_PAT` is not set",
    ]);
    expect(loaded.tasks).toEqual([]);
  });

  it("can report missing variables as warnings and keep the task", () => {
    const loaded = load({ "a.yml": text }, { env: {}, missingEnv: "warning" });
    expect(problemLines(loaded.problems)).toEqual([
      "a.yml:4:12: warning: `agent.env.TOKEN`: environment variable `GH_PAT` is not set",
      "a.yml:5:10: warning: `agent.env.URL`: environment variable `HOST` is not set",
    ]);
    expect(loaded.tasks[0]?.agent.env.TOKEN).toBe("");
  });

  it("reports a missing variable used in _defaults once, in _defaults", () => {
    const loaded = load({
      "_defaults.yml": yaml("agent:", "  env:", "    TOKEN: '{{ env.GH_PAT }}'"),
      "a.yml": "run: x\n",
      "b.yml": "run: y\n",
    });
    expect(problemLines(loaded.problems)).toEqual([
      "_defaults.yml:3:12: `agent.env.TOKEN`: environment variable `GH_PAT` is not set",
    ]);
  });

  it("still checks placeholders when other values of the file are wrong", () => {
    const loaded = load({
      "a.yml": yaml("run: x", "missed: never", "agent: { env: { T: '{{ env.NOPE }}' } }"),
    });
    expect(problemLines(loaded.problems)).toEqual([
      'a.yml:2:9: `missed` must be one of `skip`, `once` or `all`, got the string "never"',
      "a.yml:3:20: `agent.env.T`: environment variable `NOPE` is not set",
    ]);
  });
});
