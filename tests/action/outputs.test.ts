import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { coreIO } from "../../src/action/core-io.ts";
import type { ActionIO } from "../../src/action/io.ts";
import { annotateProblems, resultsOutput, runSummary, writeRunOutputs } from "../../src/action/outputs.ts";
import { renderNeedsMermaid } from "../../src/engine/report/mermaid.ts";
import { newResult } from "../../src/engine/run/result.ts";
import type { RunReport } from "../../src/engine/run/types.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function report(): RunReport {
  const a = {
    ...newResult("lint-fix", "claude-tasks/lint-fix", "main"),
    status: "success" as const,
    message: "pushed",
    commit: "c0ffee",
    pr: { action: "created" as const, number: 3, url: "https://github.com/acme/w/pull/3" },
    agent: {
      kind: "claude" as const,
      status: "success",
      summary: "fixed",
      numTurns: 4,
      costUsd: 0.1234,
      durationMs: 9,
      transient: false,
    },
    files: [{ path: "a.ts", status: "M", additions: 1, deletions: 1, binary: false }],
    additions: 1,
    deletions: 1,
  };
  const b = {
    ...newResult("docs-sync", "claude-tasks/docs-sync", "main"),
    status: "failed" as const,
    message: "boom",
  };
  return {
    version: 1,
    runId: "r1",
    mode: "pr",
    startedAt: "2026-03-10T06:00:00.000Z",
    durationMs: 10,
    results: [a, b],
    crossConflicts: [],
    totalCostUsd: 0.1234,
    ok: false,
  };
}

function recorder() {
  const out: Record<string, string> = {};
  const lines: string[] = [];
  const io = {
    getInput: () => "",
    setSecret: () => {},
    setOutput: (k: string, v: string) => {
      out[k] = v;
    },
    appendSummary: async () => {},
    annotate: (level: string, message: string, props?: object) =>
      lines.push(`${level} ${message} ${JSON.stringify(props)}`),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    uploadArtifact: async () => ({}),
  } satisfies ActionIO;
  return { io, out, lines };
}

describe("outputs", () => {
  it("results, pull-request-urls and total-cost-usd per the documented shape", () => {
    const { io, out } = recorder();
    writeRunOutputs(io, report());
    expect(JSON.parse(out.results!)).toEqual([
      {
        task: "lint-fix",
        status: "success",
        message: "pushed",
        branch: "claude-tasks/lint-fix",
        base: "main",
        commit: "c0ffee",
        prNumber: 3,
        prUrl: "https://github.com/acme/w/pull/3",
        prAction: "created",
        costUsd: 0.1234,
        turns: 4,
        durationMs: 0,
        filesChanged: 1,
        additions: 1,
        deletions: 1,
        backup: null,
        notRun: null,
      },
      expect.objectContaining({
        task: "docs-sync",
        status: "failed",
        prUrl: null,
        costUsd: null,
        turns: null,
      }),
    ]);
    expect(out["pull-request-urls"]).toBe("https://github.com/acme/w/pull/3");
    expect(out["total-cost-usd"]).toBe("0.1234");
    writeRunOutputs(io, undefined);
    expect(out).toMatchObject({ results: "[]", "pull-request-urls": "", "total-cost-usd": "0" });
    expect(resultsOutput(undefined)).toEqual([]);
  });

  it("annotates problems on the task file, line and column", () => {
    const { io, lines } = recorder();
    annotateProblems(io, [
      {
        file: ".github/claude-tasks/a.yml",
        line: 3,
        col: 1,
        message: "unknown key `schedul`, did you mean `schedule`?",
        severity: "error",
      },
      { file: ".github/claude-tasks/b.yml", line: 1, col: 1, message: "no task", severity: "warning" },
    ]);
    expect(lines).toEqual([
      'error unknown key `schedul`, did you mean `schedule`? {"title":"claude-tasks","file":".github/claude-tasks/a.yml","startLine":3,"startColumn":1}',
      'warning no task {"title":"claude-tasks","file":".github/claude-tasks/b.yml","startLine":1,"startColumn":1}',
    ]);
  });

  it("the summary has a row per task and a Mermaid graph of needs", () => {
    const md = runSummary(
      report(),
      [
        { name: "lint-fix", needs: [] },
        { name: "docs-sync", needs: ["lint-fix"] },
      ],
      { runUrl: "https://x/runs/1" },
      ["first run"],
    );
    expect(md).toMatch(/^## claude-tasks run `r1`\n/);
    expect(md).toContain("> first run");
    expect(md).toContain('```mermaid\ngraph LR\n  t0["lint-fix ✅"]\n  t1["docs-sync ❌"]\n  t0 --> t1\n```');
    expect(md).toContain("| `lint-fix` | ✅ success | [#3](https://github.com/acme/w/pull/3) | $0.12 | 4 |");
    expect(md).toContain("| `docs-sync` | ❌ failed |");
    expect(
      renderNeedsMermaid([
        { name: "a", needs: [] },
        { name: "b", needs: ["x"] },
      ]),
    ).toBe("");
  });
});

describe("the runner, through @actions/core", () => {
  it("reads inputs, masks, writes outputs, the summary and annotations where the runner reads them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ct-runner-"));
    dirs.push(dir);
    const env: Record<string, string> = {
      "INPUT_GITHUB-TOKEN": "  t  ",
      INPUT_MAX_PARALLEL: "9",
      GITHUB_OUTPUT: join(dir, "out"),
      GITHUB_STEP_SUMMARY: join(dir, "summary"),
    };
    writeFileSync(env.GITHUB_OUTPUT!, "");
    writeFileSync(env.GITHUB_STEP_SUMMARY!, "");
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk).trimEnd());
      return true;
    }) as typeof process.stdout.write;
    try {
      const io = coreIO(process.env);
      expect(io.getInput("github-token")).toBe("t");
      expect(io.getInput("max parallel")).toBe("9");
      expect(io.getInput("tasks")).toBe("");
      io.setOutput("matrix", '{"include":[]}');
      await io.appendSummary("## hi");
      io.setSecret("tok");
      io.annotate("warning", "50% done, next: x", {
        file: "a,b.yml",
        startLine: 2,
        startColumn: 5,
        title: "t",
      });
      await expect(io.uploadArtifact("a", [], dir)).rejects.toThrow(/ACTIONS_RUNTIME_TOKEN/);
    } finally {
      process.stdout.write = write;
      for (const k of Object.keys(env)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    expect(readFileSync(join(dir, "out"), "utf8")).toMatch(/^matrix<<ghadelimiter_.*\n\{"include":\[\]\}\n/);
    expect(readFileSync(join(dir, "summary"), "utf8")).toBe("## hi\n");
    expect(lines).toContain("::add-mask::tok");
    expect(lines).toContain("::warning title=t,file=a%2Cb.yml,line=2,col=5::50%25 done, next: x");
  });
});
