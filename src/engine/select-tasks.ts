import { UserError } from "./errors.ts";
import { compileGlob } from "./glob.ts";
import { closest } from "./suggest.ts";

/**
 * Picks tasks by names or globs (`docs-*`). A plain name that matches nothing is an error with a
 * suggestion; a glob that matches nothing is an error too (it is almost always a typo).
 */
export function selectTasks<T extends { name: string }>(
  tasks: readonly T[],
  patterns: readonly string[],
): T[] {
  const names = tasks.map((t) => t.name);
  const wanted = new Set<string>();
  const raws = patterns.flatMap((p) => p.split(/[\s,]+/)).filter(Boolean);
  if (raws.length === 0) throw new UserError("no task named: give task names or globs such as 'docs-*'");
  for (const raw of raws) {
    const isMatch = compileGlob(raw);
    const matches = names.filter((n) => isMatch(n));
    if (matches.length === 0) throw new UserError(unknownTaskMessage(raw, names));
    for (const m of matches) wanted.add(m);
  }
  return tasks.filter((t) => wanted.has(t.name));
}

export function unknownTaskMessage(name: string, names: readonly string[]): string {
  if (names.length === 0) return `unknown task \`${name}\`: there are no tasks (run \`claude-tasks init\`)`;
  const near = closest(name, names);
  const hint = near ? `, did you mean \`${near}\`?` : "";
  return `unknown task \`${name}\`${hint || ` (tasks: ${names.slice(0, 10).join(", ")}${names.length > 10 ? ", …" : ""})`}`;
}
