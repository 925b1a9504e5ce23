/**
 * The one process runner: what every git call and probe relies on (exit codes, bytes, input, files,
 * a missing program, timeouts, cancelling, nothing inherited from the engine's environment).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/engine/process/run.ts";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" };
const sh = (script: string, o: Partial<Parameters<typeof runCommand>[2]> = {}) =>
  runCommand("sh", ["-c", script], { env, ...o });
const dir = mkdtempSync(join(tmpdir(), "ct-run-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runCommand", () => {
  it("hands back the exit code and both outputs as bytes, trailing newlines kept", async () => {
    const r = await sh("printf 'out\\n\\n'; printf 'err\\n' >&2; exit 3");
    expect(r).toMatchObject({ exitCode: 3, timedOut: false, cancelled: false });
    expect(r.stdout.toString()).toBe("out\n\n");
    expect(r.stderr.toString()).toBe("err\n");
    expect(r.startError).toBeUndefined();
  });

  it("writes the input to stdin and closes it; without input stdin is empty", async () => {
    expect((await sh("cat", { input: "a\0b" })).stdout).toEqual(Buffer.from("a\0b"));
    expect((await sh("cat; echo end")).stdout.toString()).toBe("end\n");
    // a child that never reads a large input is no error
    expect((await sh("exit 0", { input: "x".repeat(4 << 20) })).exitCode).toBe(0);
  });

  it("collects large output whole, and can send stdout to a file instead", async () => {
    const big = await sh("head -c 3000000 /dev/zero");
    expect(big.stdout.length).toBe(3_000_000);
    const file = join(dir, "out.bin");
    const r = await sh("printf hello", { stdoutFile: file });
    expect(r.stdout.length).toBe(0);
    expect(readFileSync(file, "utf8")).toBe("hello");
  });

  it("reports a program or a directory that does not exist as a start error, never a throw", async () => {
    const r = await runCommand("no-such-program-ct", [], { env });
    expect(r.startError?.code).toBe("ENOENT");
    expect(r.exitCode).not.toBe(0);
    const d = await runCommand("sh", ["-c", "true"], { env, cwd: join(dir, "missing") });
    expect(d.startError?.code).toBe("ENOENT");
  });

  it("passes exactly the environment it is given", async () => {
    process.env.CT_RUN_TEST_SECRET = "leak";
    try {
      const r = await sh("env", { env: { PATH: env.PATH, ONLY: "this" } });
      expect(r.stdout.toString()).toContain("ONLY=this");
      expect(r.stdout.toString()).not.toContain("CT_RUN_TEST_SECRET");
    } finally {
      delete process.env.CT_RUN_TEST_SECRET;
    }
  });

  it("a timeout stops the program (SIGTERM: 143); a signal it dies of is 128 + its number", async () => {
    const t0 = Date.now();
    const r = await sh("sleep 30", { timeoutMs: 200 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r).toMatchObject({ timedOut: true, exitCode: 143 });
    expect((await sh("kill -9 $$")).exitCode).toBe(137);
  });

  it("cancelling stops the program, before or while it runs", async () => {
    const ac = new AbortController();
    const running = sh("sleep 30", { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    expect(await running).toMatchObject({ cancelled: true, exitCode: 143 });
    const already = AbortSignal.abort();
    expect(await sh("sleep 30", { signal: already })).toMatchObject({ cancelled: true });
  });
});
