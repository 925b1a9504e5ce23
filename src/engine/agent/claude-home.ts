/**
 * What Claude Code's configuration file says once its first start in a new HOME is over. In the
 * sandbox every start is a first start (the agent's HOME is new each time), and on a first start
 * Claude Code runs its twelve settings migrations one by one, each reading `~/.claude.json` (some
 * rewriting it), before its first model request: 40–60 ms here (docs/benchmarks.md). In a new HOME
 * there is nothing to migrate, so the sandbox's HOME starts with the file as those migrations leave
 * it, which is also what Claude Code writes itself when it knows its home is new (its
 * `CLAUDE_CODE_CCR_SKIP_FRESH_MIGRATIONS` path, which sets exactly these three keys).
 *
 * `migrationVersion` is the pinned CLI's (2.1.329); `tests/agent/claude-cli.int.test.ts` checks it
 * against what that CLI writes in an empty HOME. A version whose number differs runs its migrations as
 * it would in an empty HOME (it checks for its own number): slower, never different. No identifier, no
 * credential, nothing of the user's: the same file for every run.
 */
export const CLAUDE_MIGRATION_VERSION = 15;

export const CLAUDE_HOME_FILES: Readonly<Record<string, string>> = {
  ".claude.json": `${JSON.stringify(
    {
      migrationVersion: CLAUDE_MIGRATION_VERSION,
      opusProMigrationComplete: true,
      hasResetAutoModeOptInForDefaultOffer: true,
    },
    null,
    2,
  )}\n`,
};
