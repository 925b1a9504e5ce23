/** Task names: lowercase letters, digits and dashes, starting with a letter or digit, at most 63. */
export const TASK_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const TASK_NAME_RULE =
  "lowercase letters, digits and `-`, starting with a letter or digit, at most 63 characters";

export function isTaskName(s: string): boolean {
  return TASK_NAME_PATTERN.test(s);
}

/** The closest valid task name to `s` (`Lint Fix` → `lint-fix`), or undefined if nothing is left. */
export function slugifyTaskName(s: string): string | undefined {
  const slug = s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return slug && isTaskName(slug) ? slug : undefined;
}

export function taskNameHint(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const slug = slugifyTaskName(value);
  return slug ? `try \`${slug}\`` : undefined;
}
