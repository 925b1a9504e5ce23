import { branchNameProblem } from "./ref-name.ts";

/** The placeholder a branch template may contain; it becomes the task's name. */
export const TASK_PLACEHOLDER = "{task}";

export const DEFAULT_BRANCH_TEMPLATE = `claude-tasks/${TASK_PLACEHOLDER}`;

/** The branch of a task: the template with `{task}` replaced by the task's name. */
export function resolveBranch(template: string, task: string): string {
  return template.replaceAll(TASK_PLACEHOLDER, task);
}

/** What is wrong with a branch template, in words, or undefined when it is valid. */
export function branchTemplateProblem(template: string): string | undefined {
  const other = /\{(?!task\})[^}]*\}?/.exec(template);
  if (other) return `unknown placeholder \`${other[0]}\`; only \`${TASK_PLACEHOLDER}\` is replaced`;
  const problem = branchNameProblem(resolveBranch(template, "task"));
  return problem ? `it is not a valid branch name: ${problem}` : undefined;
}
