/**
 * The `unit` project (vitest.config.ts) runs the source in-process and needs no build; a test that
 * runs the built dist/ or the real Claude Code CLI belongs in a `*.int.test.ts` file. The helpers that
 * do either call this first, so a misplaced test fails at once instead of running stale code.
 */
export function intOnly(what: string): void {
  if (process.env.CLAUDE_TASKS_TEST_PROJECT === "unit") {
    throw new Error(`${what}: only in the int project; name the test file *.int.test.ts`);
  }
}
