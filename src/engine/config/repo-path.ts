import { posix } from "node:path";

/**
 * What is wrong with a path that must stay inside the repository (relative to its root, forward
 * slashes, no `..` escape), or undefined when it is fine. Purely lexical: no file system access.
 */
export function repoPathProblem(p: string): string | undefined {
  if (p.includes("\\")) return `use forward slashes: \`${p.replaceAll("\\", "/")}\``;
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p))
    return "absolute paths are not allowed; give a path relative to the repository root";
  const normal = posix.normalize(p);
  if (normal === ".." || normal.startsWith("../")) return "the path leaves the repository (`..`)";
  if (normal === "." || normal.endsWith("/")) return "this names a directory, not a file";
  return undefined;
}

/** What is wrong with a glob over repository paths, or undefined. */
export function globProblem(g: string): string | undefined {
  if (g.startsWith("/"))
    return `globs are relative to the repository root; drop the leading \`/\`: \`${g.replace(/^\/+/, "")}\``;
  if (g.startsWith("./")) return `drop the leading \`./\`: \`${g.slice(2)}\``;
  if (/(^|\/)\.\.(\/|$)/.test(g)) return "globs cannot leave the repository (`..`)";
  if (g.includes("\\")) return "use forward slashes in globs";
  return undefined;
}
