/**
 * Task files: one zod definition (schema.ts), a loader that reports every problem with its
 * position (readConfig / parseConfigFiles), and the JSON Schema generated from the definition.
 */
export { DEFAULT_BRANCH_TEMPLATE, resolveBranch, TASK_PLACEHOLDER } from "./branch-template.ts";
export {
  DURATION_PATTERN,
  isDuration,
  MAX_DURATION_MS,
  parseDuration,
  tryParseDuration,
} from "./duration.ts";
export { effectiveDeny } from "./effective-deny.ts";
export { type Env, substituteEnv } from "./env-template.ts";
export { taskJsonSchema, taskJsonSchemaText } from "./json-schema.ts";
export { redactTask } from "./normalise.ts";
export {
  type ConfigFile,
  DEFAULT_CONFIG_DIR,
  type LoadedConfig,
  type ParseOptions,
  parseConfigFiles,
} from "./parse-config-files.ts";
export { compareProblems, finishProblems, hasErrors } from "./problem-list.ts";
export { type ReadConfigOptions, readConfig, statRepoFile } from "./read-config.ts";
export { branchNameProblem, isValidBranchName } from "./ref-name.ts";
export type { FileKind } from "./rules.ts";
export {
  ACTION_KEYS,
  type AgentSettings,
  type Limits,
  MERGE_METHODS,
  MISSED_POLICIES,
  NEEDS_CONDITIONS,
  NO_CHANGES_POLICIES,
  ON_CONFLICT_POLICIES,
  type PathRules,
  PERMISSION_MODES,
  type PullRequestSettings,
  type RetryPolicy,
  type Task,
  type TaskFile,
  type TaskFileOutput,
  taskFileSchema,
  WORKFLOWS_GLOB,
} from "./schema.ts";
export { SCHEMA_RELATIVE_PATH, SCHEMA_URL, schemaComment } from "./schema-url.ts";
export { didYouMean } from "./suggest.ts";
export { isTaskName, slugifyTaskName, TASK_NAME_PATTERN } from "./task-name.ts";
export { isTimeZone, suggestTimeZone } from "./time-zone.ts";
