/** The example of SPEC.md "Task file", verbatim. */
export const SPEC_EXAMPLE = `description: Keep the CLI reference in README in sync with src/cli
prompt: |                       # Claude task; or prompt_file: path; or run: "<shell command>"
  Update the "Commands" section of README.md from src/cli. Change nothing else.
schedule: "0 6 * * 1-5"         # 5-field cron | @hourly @daily @weekly @monthly @yearly
                                # | @workdays | @weekends | "every 30m" / "every 6h"; or a list
timezone: Europe/Berlin         # IANA, default UTC (GitHub cron itself is UTC-only)
missed: once                    # skip | once | all — fire times missed since the last run
watch: ["src/cli/**"]           # run when a push to the base branch touches these paths
needs: [lint-fix]               # DAG; \`if: success|always|failure\` (default success)
base: main                      # default: the repo's default branch
agent:                          # passed to the real \`claude\` CLI
  model: claude-sonnet-4-5
  max_turns: 30
  max_budget_usd: 2
  timeout: 20m
  allowed_tools: [Read, Edit, Write, "Bash(npm test:*)"]
  disallowed_tools: []
  permission_mode: acceptEdits
  append_system_prompt: ""
  args: []                      # extra CLI args, passed through verbatim
  env: { NODE_ENV: test }       # "{{ env.NAME }}" substitution; a missing variable is an error
paths:
  allow: ["README.md", "docs/**"]
  deny: [".github/workflows/**"] # this deny is on by default
limits: { max_files: 50, max_lines: 2000 }
retry: { attempts: 2, backoff: 30s }   # transient failures only (rate limit, overload, 5xx)
pr:
  title: "docs: sync README with the CLI"
  body: ""                      # template; the engine appends its run report
  labels: [automation]
  reviewers: []
  assignees: []
  draft: false
  auto_merge: false             # or merge | squash | rebase
  on_no_changes: keep           # or close (close the open PR when the task now changes nothing)
enabled: true
`;
