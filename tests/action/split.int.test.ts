/**
 * The reusable workflow's privilege split, end to end with dist/action.js run as the runner runs it:
 * `mode: run-only` (read-only token: runs the task, pushes nothing, calls no write API, hands the result
 * over as an artifact) and `mode: publish` (runs no task code, re-checks every handed-over change from
 * its bundle against the task definition of the base branch, then pushes and opens the PR).
 */
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimeToken, startArtifactFake } from "../reliability/support/artifact-fake.ts";
import { apiOps, type E2E, originRefs, results, startE2E } from "./harness.ts";

// Writes STAMP.txt in its worktree; and a marker named by CT_MARKER when that is set (only the publish
// step sets it: were the command ever run there, the marker would appear).
const TASK = `run: 'echo stamped > STAMP.txt; if [ -n "$CT_MARKER" ]; then echo ran > "$CT_MARKER"; fi'
paths:
  allow: [STAMP.txt]
pr:
  title: "chore: stamp"
`;
const EXPORT_REF = "refs/claude-tasks/export/change";

describe("privilege split: run-only hands over, publish re-checks and lands (dist/action.js)", () => {
  let e2e: E2E;
  let temp: string;
  let handedOver: string;
  let publishClone: string;
  const marker = () => join(temp, "marker-publish");

  beforeAll(async () => {
    e2e = await startE2E({ ".github/claude-tasks/stamp.yml": TASK });
    temp = await mkdtemp(join(tmpdir(), "ct-split-"));
    handedOver = join(temp, "run-results");
    publishClone = await e2e.repo.clone(); // the publish job's own checkout
  });
  afterAll(async () => {
    await e2e?.[Symbol.asyncDispose]();
    await rm(temp, { recursive: true, force: true });
  });

  /** A publish job's step on a results directory (its own checkout, no model key). */
  const publish = async (dir: string, env: Record<string, string> = {}) => {
    e2e.fake.resetCalls();
    return e2e.run({
      event: "schedule",
      payload: { schedule: "*/15 * * * *" },
      inputs: { mode: "publish", "results-dir": dir },
      env: { GITHUB_WORKSPACE: publishClone, CT_MARKER: marker(), ...env },
    });
  };

  /** A copy of the clean hand-over whose bundle and result are replaced (what a hostile run job could upload). */
  const tampered = async (name: string, bundle: Buffer, result: (r: Record<string, unknown>) => void) => {
    const dir = join(temp, name);
    await cp(handedOver, dir, { recursive: true });
    await writeFile(join(dir, "stamp", "change.bundle"), bundle);
    const json = JSON.parse(await readFile(join(dir, "stamp", "result.json"), "utf8"));
    result(json);
    await writeFile(join(dir, "stamp", "result.json"), JSON.stringify(json));
    return dir;
  };

  /** A bundle, made as a run job makes it, of one commit with `files` on top of `parent`. */
  const bundleOf = async (files: Record<string, string>, parent = "main", name = "c"): Promise<Buffer> => {
    const clone = await e2e.repo.clone();
    await e2e.repo.gitIn(clone, "checkout", "-q", "--detach", parent);
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(clone, path, ".."), { recursive: true });
      await writeFile(join(clone, path), content);
    }
    await e2e.repo.gitIn(clone, "add", "-A");
    await e2e.repo.gitIn(clone, "commit", "-q", "-m", name);
    const head = await e2e.repo.gitIn(clone, "rev-parse", "HEAD");
    await e2e.repo.gitIn(clone, "update-ref", EXPORT_REF, head);
    const file = join(temp, `${name}.bundle`);
    await e2e.repo.gitIn(clone, "bundle", "create", "-q", file, EXPORT_REF, `^${head}^`);
    return readFile(file);
  };

  it("run-only runs the task, pushes nothing, writes nothing to GitHub and uploads the result", async () => {
    await using artifacts = await startArtifactFake();
    const before = await originRefs(e2e);
    e2e.fake.resetCalls();
    const r = await e2e.run({
      event: "schedule",
      payload: { schedule: "*/15 * * * *" },
      inputs: { mode: "run-only", tasks: "stamp", "results-dir": handedOver },
      env: {
        ACTIONS_RESULTS_URL: artifacts.url,
        ACTIONS_RUNTIME_TOKEN: runtimeToken("sig"),
      },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // the task ran here: its change is the result
    expect(results(r.outputs)[0]).toMatchObject({
      task: "stamp",
      status: "success",
      filesChanged: 1,
      prNumber: null,
    });
    expect(await originRefs(e2e)).toEqual(before);
    expect(apiOps(e2e.fake, { writes: true })).toEqual([]);
    const uploaded = artifacts.artifacts.find((a) => a.name === "claude-tasks-result-stamp");
    expect(uploaded, artifacts.artifacts.map((a) => a.name).join()).toBeDefined();
    expect(uploaded!.zip.includes("change.bundle")).toBe(true);
    expect(uploaded!.zip.includes("result.json")).toBe(true);
    expect(existsSync(join(handedOver, "stamp", "change.bundle"))).toBe(true);
  });

  it("publish refuses a bundle that writes a workflow although its result claims the guards passed", async () => {
    const dir = await tampered(
      "workflow",
      await bundleOf({ "STAMP.txt": "x\n", ".github/workflows/x.yml": "on: push\n" }, "main", "wf"),
      (j) => {
        j.status = "success";
        j.message = "guards passed";
        j.violations = [];
      },
    );
    const before = await originRefs(e2e);
    const r = await publish(dir);
    expect(r.code).not.toBe(0);
    const [res] = results(r.outputs);
    expect(res).toMatchObject({ task: "stamp", status: "refused", prNumber: null });
    expect(res.message).toContain(".github/workflows/x.yml");
    expect(await originRefs(e2e)).toEqual(before);
    expect(apiOps(e2e.fake, { writes: true })).toEqual([]);
  });

  it("publish refuses a bundle that adds a credential", async () => {
    const token = "ghp_R7pQ2xV9mK4sT8wZ1nB6cD3fG5hJ0kL2aYqW";
    const dir = await tampered(
      "secret",
      await bundleOf({ "STAMP.txt": `${token}\n` }, "main", "sec"),
      (j) => {
        j.status = "success";
      },
    );
    const before = await originRefs(e2e);
    const r = await publish(dir);
    const [res] = results(r.outputs);
    expect(res).toMatchObject({ status: "refused" });
    expect(res.message).toMatch(/credential|token|secret/i);
    expect(r.stdout + r.summary).not.toContain(token);
    expect(await originRefs(e2e)).toEqual(before);
    expect(apiOps(e2e.fake, { writes: true })).toEqual([]);
  });

  it("publish refuses a bundle that brings its own history (a parent that is not on the base)", async () => {
    // X adds a workflow on top of main; C, on top of X, changes only the allowed file: the diff C−X is clean
    const clone = await e2e.repo.clone();
    await mkdir(join(clone, ".github/workflows"), { recursive: true });
    await writeFile(join(clone, ".github/workflows/x.yml"), "on: push\n");
    await e2e.repo.gitIn(clone, "add", "-A");
    await e2e.repo.gitIn(clone, "commit", "-q", "-m", "x");
    await writeFile(join(clone, "STAMP.txt"), "x\n");
    await e2e.repo.gitIn(clone, "add", "-A");
    await e2e.repo.gitIn(clone, "commit", "-q", "-m", "c");
    await e2e.repo.gitIn(clone, "update-ref", EXPORT_REF, "HEAD");
    const file = join(temp, "history.bundle");
    await e2e.repo.gitIn(clone, "bundle", "create", "-q", file, EXPORT_REF, "^origin/main");
    const dir = await tampered("history", await readFile(file), (j) => {
      j.status = "success";
    });
    const before = await originRefs(e2e);
    const r = await publish(dir);
    expect(results(r.outputs)[0]).toMatchObject({ status: "refused" });
    expect(results(r.outputs)[0].message).toMatch(/not based on `main`/);
    expect(await originRefs(e2e)).toEqual(before);
    expect(apiOps(e2e.fake, { writes: true })).toEqual([]);
  });

  it("publish reports a failure the run job claims and publishes nothing", async () => {
    const dir = await tampered("failed", await readFile(join(handedOver, "stamp", "change.bundle")), (j) => {
      j.status = "failed";
      j.message = "the command exited with 1";
    });
    const before = await originRefs(e2e);
    const r = await publish(dir);
    expect(results(r.outputs)[0]).toMatchObject({ status: "failed" });
    expect(await originRefs(e2e)).toEqual(before);
  });

  it("publish lists a run its pre-check stopped (if_command) with the runs that did not happen; an unknown kind is dropped", async () => {
    const bundle = await readFile(join(handedOver, "stamp", "change.bundle"));
    const dir = await tampered("not-run", bundle, (j) => {
      j.status = "skipped";
      j.message = "skipped: if_command exited 1";
      j.notRun = "if_command";
    });
    const before = await originRefs(e2e);
    const r = await publish(dir);
    expect(results(r.outputs)[0]).toMatchObject({ status: "skipped", notRun: "if_command" });
    expect(r.summary).toContain("if_command");
    expect(await originRefs(e2e)).toEqual(before);
    const odd = await tampered("not-run-odd", bundle, (j) => {
      j.status = "skipped";
      j.message = "skipped";
      j.notRun = "<img src=x>";
    });
    const r2 = await publish(odd);
    expect(results(r2.outputs)[0]?.notRun ?? null).toBeNull();
    expect(r2.summary).not.toContain("<img");
  });

  it("publish lands the clean hand-over: pushes the branch and opens the PR, without running the task", async () => {
    const r = await publish(handedOver);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const [res] = results(r.outputs);
    expect(res).toMatchObject({ task: "stamp", status: "success", prAction: "created" });
    const refs = await originRefs(e2e);
    expect(refs["refs/heads/claude-tasks/stamp"]).toBe(res.commit);
    expect(await e2e.repo.gitIn(e2e.repo.origin!, "show", "refs/heads/claude-tasks/stamp:STAMP.txt")).toBe(
      "stamped",
    );
    // the commit is the publish job's own (trailers), on the base, made and signed by GitHub for it
    const trailer = await e2e.repo.gitIn(
      e2e.repo.origin!,
      "log",
      "-1",
      "--format=%an %(trailers:key=Claude-Tasks-Task,valueonly)",
      "refs/heads/claude-tasks/stamp",
    );
    expect(trailer).toBe("github-actions[bot] stamp");
    expect(e2e.fake.isVerified(res.commit)).toBe(true);
    expect(e2e.fake.openPulls("claude-tasks/stamp")).toHaveLength(1);
    expect(existsSync(marker()), "the task's command never ran in the publish job").toBe(false);
    expect(r.stdout).not.toMatch(/running command|running Claude Code/);
  });
});
