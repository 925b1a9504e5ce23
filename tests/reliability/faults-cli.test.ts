/**
 * Faults around the built CLI: `claude-tasks run` stopped with SIGTERM or killed with SIGKILL mid-run,
 * the disk filling up under the state directory, and damaged local state (run log, locks, backups,
 * reports). The next commands must find and report what was left, clean it up without losing work,
 * and a rerun must complete normally.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { worktreesDir } from "../../src/engine/git/index.ts";
import { parseLog } from "../../src/engine/run/index.ts";
import { type EngineRepo, makeEngineRepo } from "../support/engine.ts";
import { firstLine, reliabilityCase } from "./support/cases.ts";
import { backupPatch, cliEnv, consistency, expectConsistent, patchFiles } from "./support/engine.ts";
import { agentProcessesUnder, CLI, NODE, runCli, startCli, waitFor } from "./support/proc.ts";

const scratch = await mkdtemp(join(tmpdir(), "ct-rel-cli-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const WORKTREES = String(process.env.CLAUDE_TASKS_WORKTREES);

/**
 * `a-slow` writes a file (which the test watches for in its worktree: a sandboxed command can write
 * nowhere else), then sleeps unless $GO is set; `b-queued` is instant. `env` runs it slow, `goEnv`
 * fast.
 */
async function slowTasks(e: EngineRepo, _name: string) {
  await e.tasks(
    {
      "a-slow": `run: |
  echo partial > partial.txt
  [ -n "$GO" ] || sleep 300
agent:
  env:
    GO: "{{ env.CT_GO }}"
`,
      "b-queued": "run: echo q > q.txt\n",
    },
    { CT_GO: "" },
  );
  const dir = worktreesDir(e.state);
  const ready = () =>
    existsSync(dir) &&
    readdirSync(dir).some((w) => w.startsWith("a-slow-") && existsSync(join(dir, w, "partial.txt")));
  return { ready, env: cliEnv(e, undefined, { CT_GO: "" }), goEnv: cliEnv(e, undefined, { CT_GO: "1" }) };
}

const cliOk = (out: { stderr: string }) => !/\n\s+at .+:\d+:\d+\)?\n/.test(out.stderr);

describe("the CLI interrupted", () => {
  it("F-13 SIGTERM to `claude-tasks run` mid-run", async () => {
    const c = reliabilityCase(
      "F-13",
      "fault",
      "`claude-tasks run a-slow b-queued -j 1` gets SIGTERM while a-slow's command runs",
      "exit 143; a-slow cancelled with its work in a backup, b-queued never started; nothing left; rerun succeeds",
    );
    await using e = await makeEngineRepo();
    const { ready, env, goEnv } = await slowTasks(e, "term");
    const cli = startCli(["run", "a-slow", "b-queued", "-j", "1", "--json"], { cwd: e.path, env });
    await waitFor("the task to be ready", ready, 90_000);
    const sent = Date.now();
    cli.child.kill("SIGTERM");
    const out = await cli.done;
    const report = JSON.parse(out.stdout);
    const [slow, queued] = report.results;
    c.note("exit", out.code);
    c.note("stopped in", `${((Date.now() - sent) / 1000).toFixed(1)} s`);
    c.note("a-slow", `${slow.status}: ${firstLine(slow.message, 80)}`);
    c.note("b-queued", `${queued.status}: ${queued.message}`);
    c.note("backup holds", patchFiles(await backupPatch(e, slow.backup)));
    expect(out.code).toBe(143);
    expect(out.stderr).toContain("SIGTERM: stopping running tasks and backing up their work");
    expect(slow).toMatchObject({ status: "cancelled" });
    expect(slow.message).toMatch(/^cancelled; its partial work is in backup /);
    expect(await backupPatch(e, slow.backup)).toContain("+partial");
    expect(queued).toMatchObject({ status: "cancelled", message: "run cancelled before the task started" });
    await expectConsistent(e);
    const again = await runCli(["run", "a-slow", "b-queued", "--json"], { cwd: e.path, env: goEnv });
    c.note(
      "rerun",
      JSON.parse(again.stdout).results.map((r: { status: string }) => r.status),
    );
    expect(again.code, again.stderr).toBe(0);
    await expectConsistent(e);
  });

  it("F-14 SIGKILL of `claude-tasks run` mid-run", async () => {
    const c = reliabilityCase(
      "F-14",
      "fault",
      "`claude-tasks run a-slow` is killed with SIGKILL while its (sandboxed) command runs",
      "the sandbox and everything in it end with the run; the next run warns about the leftover; `status` reports the interrupted run; `worktrees --prune` backs up its work and removes it; rerun succeeds",
    );
    await using e = await makeEngineRepo();
    const { ready, env, goEnv } = await slowTasks(e, "kill");
    const cli = startCli(["run", "a-slow"], { cwd: e.path, env });
    await waitFor("the task to be ready", ready, 90_000);
    cli.child.kill("SIGKILL");
    const killed = await cli.done;
    expect(killed.signal).toBe("SIGKILL");
    // bubblewrap's --die-with-parent: the kernel ends the sandbox's PID namespace with the run
    await waitFor("the sandbox to end with the run", () => agentProcessesUnder(WORKTREES).length === 0);
    c.note("orphaned agent processes", agentProcessesUnder(WORKTREES).length);

    const next = await runCli(["run", "b-queued"], { cwd: e.path, env });
    const warning = next.stderr.split("\n").find((l) => l.includes("leftover")) ?? "";
    c.note("next run", `exit ${next.code}; ${firstLine(warning, 110)}`);
    expect(next.code, next.stderr).toBe(0);
    expect(warning).toMatch(
      /^warning: 1 leftover worktree\(s\) from an interrupted run: .*claude-tasks worktrees --prune/,
    );

    const status = await runCli(["status"], { cwd: e.path, env });
    const interrupted = status.stdout.split("\n").find((l) => l.startsWith("interrupted")) ?? "";
    c.note("status", firstLine(interrupted, 110));
    expect(interrupted).toMatch(/^interrupted run \S+ \(local, pid \d+, .*\): a-slow — it never finished/);

    const listed = await runCli(["worktrees"], { cwd: e.path, env });
    expect(listed.stdout).toMatch(/a-slow\s+\S+\s+leftover/);
    const pruned = await runCli(["worktrees", "--prune", "--json"], { cwd: e.path, env });
    const [entry] = JSON.parse(pruned.stdout).pruned;
    c.note("prune", {
      removed: entry.removed,
      stoppedProcesses: entry.stoppedProcesses,
      backup: !!entry.backup,
    });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(entry).toMatchObject({ task: "a-slow", removed: true });
    expect(entry.stoppedProcesses ?? 0).toBe(0); // nothing was left to stop
    expect(await backupPatch(e, entry.backup.id)).toContain("+partial");
    expect(agentProcessesUnder(WORKTREES)).toEqual([]);
    const state = await consistency(e);
    c.note("left behind", state);
    expect({ ...state, unfinishedRuns: 0 }).toEqual({ ...state, unfinishedRuns: 0, worktrees: 0, locks: 0 });
    expect(state).toMatchObject({
      worktreeDirs: 0,
      sandboxDirs: 0, // the killed run's sandbox folder goes with its worktree
      tmpBackups: 0,
      agentProcesses: 0,
      unfinishedRuns: 1,
    });

    const again = await runCli(["run", "a-slow"], { cwd: e.path, env: goEnv });
    c.note("rerun", `exit ${again.code}`);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain("leftover");
  });
});

/** Can this machine give a process a private mount namespace with a tiny tmpfs (a real full disk)? */
const canFillDisk = (() => {
  const dir = join(tmpdir(), `ct-rel-probe-${process.pid}`);
  try {
    spawnSync("mkdir", ["-p", dir]);
    const r = spawnSync("unshare", ["-m", "sh", "-c", `mount -t tmpfs -o size=4k tmpfs '${dir}'`]);
    return r.status === 0;
  } catch {
    return false;
  } finally {
    spawnSync("rmdir", [dir]);
  }
})();

/**
 * Runs the CLI with `.git/claude-tasks` on a tmpfs of `size` (a disk that fills up), in a private
 * mount namespace; afterwards copies what the run left there back to the real state directory, as if
 * space had been freed.
 */
async function runOnFullDisk(e: EngineRepo, size: string, args: string[], env: Record<string, string>) {
  await mkdir(e.state, { recursive: true });
  const saved = join(scratch, `saved-${Date.now()}`);
  await mkdir(saved);
  const argv = [CLI, ...args].map((a) => `'${a}'`).join(" ");
  const script = `mount -t tmpfs -o size=${size} tmpfs '${e.state}' || exit 99
'${NODE}' ${argv}
code=$?
cp -a '${e.state}/.' '${saved}/'
exit $code`;
  const child = spawn("unshare", ["-m", "sh", "-c", script], {
    cwd: e.path,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => (stdout += b));
  child.stderr.on("data", (b: Buffer) => (stderr += b));
  const code = await new Promise<number | null>((ok) => child.on("close", ok));
  expect(code, stderr).not.toBe(99);
  const files = await listFiles(saved);
  await cp(saved, e.state, { recursive: true });
  return { code, stdout, stderr, files };
}

async function listFiles(dir: string, prefix = ""): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const ent of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push({ path: rel, text: await readFile(join(dir, rel), "utf8") });
  }
  return out;
}

/** Every state file is whole: JSON files parse, the run log has no damaged line, no temp file is left. */
function halfWritten(files: { path: string; text: string }[]): string[] {
  const bad: string[] = [];
  for (const f of files) {
    if (/(^|\/)\.tmp-|\.tmp$|\.\d+$/.test(f.path)) bad.push(f.path);
    else if (f.path === "runs.jsonl") {
      if (parseLog(f.text).damagedLines.length > 0 || !f.text.endsWith("\n")) bad.push(f.path);
    } else if (f.path.endsWith(".json")) {
      try {
        JSON.parse(f.text);
      } catch {
        bad.push(f.path);
      }
    }
  }
  return bad;
}

describe.runIf(canFillDisk)("a full disk (tmpfs under .git/claude-tasks)", () => {
  const bigTask = "run: head -c 300000 /dev/urandom | base64 > big.txt\nlimits:\n  max_lines: 10000\n";

  it("F-15 the disk fills up while the result is backed up", async () => {
    const c = reliabilityCase(
      "F-15",
      "fault",
      "`.git/claude-tasks` on a 64 KB tmpfs; the task writes a 400 KB file, so its backup cannot be written",
      "exit 1, the task failed naming the full disk and the fix; no half-written state file; the work stays in the kept worktree; after freeing space `worktrees --prune` backs it up; rerun succeeds",
    );
    await using e = await makeEngineRepo();
    await e.tasks({ big: bigTask });
    const env = cliEnv(e);
    const run = await runOnFullDisk(e, "64k", ["run", "big", "--json"], env);
    const report = JSON.parse(run.stdout);
    const r = report.results[0];
    c.note("exit", run.code);
    c.note("status", r.status);
    c.note("message", firstLine(r.message, 200));
    c.note(
      "state files",
      run.files.map((f) => f.path).filter((p) => !p.startsWith("runs/")),
    );
    c.note("half-written", halfWritten(run.files));
    expect(run.code).toBe(1);
    expect(r.status).toBe("failed");
    expect(r.message).toMatch(
      /no space left on device.*; the disk is full: free some space, then `claude-tasks worktrees --prune`/,
    );
    expect(cliOk(run)).toBe(true);
    expect(halfWritten(run.files)).toEqual([]);
    expect(run.stderr).toMatch(/could not back up \S+, so it was kept/);

    const pruned = await runCli(["worktrees", "--prune", "--json"], { cwd: e.path, env });
    const [entry] = JSON.parse(pruned.stdout).pruned;
    const patch = await backupPatch(e, entry?.backup?.id);
    c.note(
      "after freeing space",
      `prune removed ${entry?.removed}, backup holds ${patchFiles(patch).join(", ")}`,
    );
    expect(patchFiles(patch)).toEqual(["big.txt"]);
    const again = await runCli(["run", "big"], { cwd: e.path, env });
    c.note("rerun", `exit ${again.code}`);
    expect(again.code, again.stderr).toBe(0);
    expect({ ...(await consistency(e)), unfinishedRuns: 0 }).toMatchObject({
      worktrees: 0,
      locks: 0,
      tmpBackups: 0,
    });
  });

  it("F-16 the disk is full from the start (one page left for the state)", async () => {
    const c = reliabilityCase(
      "F-16",
      "fault",
      "`.git/claude-tasks` on a 4 KB tmpfs: the run log fits, the worktree lock does not",
      "exit 1 with the full disk named; no empty or half-written lock, log line or report; rerun succeeds",
    );
    await using e = await makeEngineRepo();
    await e.tasks({ big: bigTask });
    const env = cliEnv(e);
    const run = await runOnFullDisk(e, "4k", ["run", "big"], env);
    c.note("exit", run.code);
    c.note(
      "output",
      firstLine(
        run.stdout
          .split("\n")
          .find((l) => l.includes("big failed"))
          ?.replace(/^❌\s*/, ""),
        120,
      ),
    );
    c.note(
      "state files",
      run.files.map((f) => `${f.path} (${f.text.length} B)`),
    );
    c.note("half-written", halfWritten(run.files));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/big failed .*no space left on device/);
    expect(cliOk(run)).toBe(true);
    expect(run.files.filter((f) => f.path.startsWith("locks/"))).toEqual([]);
    expect(halfWritten(run.files)).toEqual([]);
    const again = await runCli(["run", "big"], { cwd: e.path, env });
    c.note("rerun", `exit ${again.code}`);
    expect(again.code, again.stderr).toBe(0);
    await expectConsistent(e);
  });
});

describe("damaged local state", () => {
  it("F-17 a damaged run log: garbage, NUL bytes, a 1 MB line, a torn last line", async () => {
    const c = reliabilityCase(
      "F-17",
      "fault",
      "runs.jsonl holds valid entries mixed with binary garbage, NULs, a wrong-shape object, a 1 MB line and a last line cut mid-write",
      "`logs`/`status` warn once about the damaged lines and show the rest; `run` appends whole lines after the torn one",
    );
    await using e = await makeEngineRepo();
    await e.tasks({ t: "run: echo t > t.txt\n" });
    const env = cliEnv(e);
    expect((await runCli(["run", "t"], { cwd: e.path, env })).code).toBe(0);
    const log = join(e.state, "runs.jsonl");
    const good = await readFile(log, "utf8");
    await writeFile(
      log,
      Buffer.concat([
        Buffer.from(good),
        Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a]),
        Buffer.from('{"type":"task","runId":7}\n\0\0\0\n'),
        Buffer.from(`${"x".repeat(1 << 20)}\n`),
        Buffer.from(good.split("\n")[1]!.slice(0, 40)), // torn: no newline
      ]),
    );
    const logs = await runCli(["logs"], { cwd: e.path, env });
    const status = await runCli(["status"], { cwd: e.path, env });
    const run = await runCli(["run", "t"], { cwd: e.path, env });
    const after = parseLog(await readFile(log, "utf8"));
    c.note("logs", `exit ${logs.code}; ${firstLine(logs.stderr, 100)}`);
    c.note("status", `exit ${status.code}`);
    c.note("run", `exit ${run.code}`);
    c.note("entries after the run", after.entries.length);
    c.note("damaged lines", after.damagedLines.length);
    expect(logs.code).toBe(0);
    expect(logs.stderr).toMatch(
      /^warning: \S+runs\.jsonl: skipped 4 damaged line\(s\) \(\d+, \d+, \d+, \d+\)\n$/,
    );
    expect(logs.stdout.match(/ success /g)).toHaveLength(1);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^t\s+✅ success/m);
    expect(run.code, run.stderr).toBe(0);
    // the new run's three entries are whole, on lines of their own, after the torn one
    expect(after.entries.map((x) => x.type)).toEqual([
      "run-start",
      "task",
      "run-end",
      "run-start",
      "task",
      "run-end",
    ]);
    expect(after.damagedLines).toHaveLength(5);
    expect([logs, status, run].every(cliOk)).toBe(true);
  });

  it("F-18 damaged locks, backups and reports in the state directory", async () => {
    const c = reliabilityCase(
      "F-18",
      "fault",
      "a garbage lock file, a backup whose meta.json is garbage, a leftover `.tmp-*` backup, a garbage report.json",
      "`worktrees`, `backups`, `doctor`, `prune` and `run` work; `backups` names the damaged backup and `restore` of it says where its patch is; `worktrees --prune` removes the unreadable lock; the `.tmp-*` is ignored; nothing crashes",
    );
    await using e = await makeEngineRepo();
    await e.tasks({ t: "run: echo t > t.txt\n" });
    const env = cliEnv(e);
    expect((await runCli(["run", "t"], { cwd: e.path, env })).code).toBe(0);
    await mkdir(join(e.state, "locks"), { recursive: true });
    const lock = join(e.state, "locks", "t-20200101-000000-abcd.json");
    await writeFile(lock, "{not json");
    await utimes(lock, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const bad = join(e.state, "backups", "20200101-000000-abcd-t");
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, "meta.json"), "\0\0garbage");
    await writeFile(join(bad, "changes.patch"), "not a patch");
    await mkdir(join(e.state, "backups", ".tmp-20200101-000000-abcd-t-1-ffff"), { recursive: true });
    const runs = await readdir(join(e.state, "runs"));
    await writeFile(join(e.state, "runs", runs[0]!, "report.json"), "[[[");

    const results: Record<string, { code: number | null; stderr: string; stdout: string }> = {};
    for (const args of [
      ["worktrees"],
      ["worktrees", "--prune"],
      ["backups"],
      ["doctor"],
      ["prune", "--dry-run"],
      ["restore", "20200101-000000-abcd-t"],
      ["run", "t"],
    ]) {
      results[args.join(" ")] = await runCli(args, { cwd: e.path, env });
    }
    c.note("exits", Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.code])));
    const restore = results["restore 20200101-000000-abcd-t"]!;
    c.note("backups says", firstLine(results.backups!.stderr, 120));
    c.note("restore says", firstLine(restore.stderr, 120));
    const state = await consistency(e);
    c.note("left behind", { locks: state.locks, tmpBackups: state.tmpBackups });
    expect(Object.values(results).every(cliOk)).toBe(true);
    expect(results.worktrees!.code).toBe(0);
    expect(results["worktrees --prune"]!.code).toBe(0);
    expect(results.backups!.code).toBe(0);
    expect(results.backups!.stderr).toMatch(
      /^warning: skipped 1 damaged backup\(s\) \(unreadable meta\.json\): 20200101-000000-abcd-t; /,
    );
    expect(results.backups!.stdout).not.toContain(".tmp-");
    expect(results["prune --dry-run"]!.code).toBe(0);
    expect(results["run t"]!.code).toBe(0);
    expect(restore.code).toBe(2);
    expect(restore.stderr).toMatch(
      /^claude-tasks: backup 20200101-000000-abcd-t is damaged \(its meta\.json is not valid JSON\); its change is still in \S+changes\.patch: apply it with `git apply --binary`\n$/,
    );
    expect(results.doctor!.code === 0 || results.doctor!.code === 1).toBe(true);
    // the unreadable lock is cleaned by `worktrees --prune`; a half-written backup is ignored by every command
    expect({ ...state, tmpBackups: 0 }).toEqual({
      worktrees: 0,
      worktreeDirs: 0,
      sandboxDirs: 0,
      locks: 0,
      tmpBackups: 0,
      logDamagedLines: 0,
      unfinishedRuns: 0,
      agentProcesses: 0,
      userStatus: "",
    });
  });
});

describe("concurrency", () => {
  it("F-31 two `claude-tasks run` processes start 8 tasks each in one repository at the same moment", async () => {
    const c = reliabilityCase(
      "F-31",
      "fault",
      "two CLI runs (8 tasks each, `--max-parallel 8`) create their 16 worktrees in the same repository at once, three times over",
      "every task succeeds: concurrent `git worktree add` never fails a task (serialized in a process, retried across processes)",
    );
    const failures: string[] = [];
    let tasks = 0;
    for (let round = 0; round < 3; round++) {
      await using e = await makeEngineRepo();
      const files: Record<string, string> = {};
      for (const g of ["a", "b"])
        for (let i = 0; i < 8; i++) files[`${g}${i}`] = `run: echo ${g}${i} > ${g}${i}.txt\n`;
      await e.tasks(files);
      const env = cliEnv(e);
      const runs = await Promise.all(
        ["a*", "b*"].map((glob) =>
          runCli(["run", glob, "--dry-run", "--json", "-j", "8"], { cwd: e.path, env }),
        ),
      );
      for (const o of runs) {
        for (const r of JSON.parse(o.stdout).results as { task: string; status: string; message: string }[]) {
          tasks++;
          if (r.status !== "success") failures.push(`${r.task}: ${firstLine(r.message, 120)}`);
        }
      }
      await expectConsistent(e);
    }
    c.note("tasks", tasks);
    c.note("failed", failures.length ? failures : 0);
    expect(tasks).toBe(48);
    expect(failures).toEqual([]);
  });
});
