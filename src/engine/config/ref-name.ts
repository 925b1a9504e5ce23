/**
 * Whether `name` is a valid git branch name (the rules of `git check-ref-format --branch`,
 * checked without running git).
 */
export function isValidBranchName(name: string): boolean {
  return branchNameProblem(name) === undefined;
}

/** What is wrong with a branch name, in words, or undefined when it is valid. */
export function branchNameProblem(name: string): string | undefined {
  if (name === "") return "it is empty";
  if (name === "@") return "`@` alone is not a branch name";
  if (name.startsWith("-")) return "it starts with `-`";
  if (name.startsWith("/") || name.endsWith("/")) return "it starts or ends with `/`";
  if (name.includes("//")) return "it contains `//`";
  if (name.includes("..")) return "it contains `..`";
  if (name.includes("@{")) return "it contains `@{`";
  if (name.endsWith(".")) return "it ends with `.`";
  const bad = /[\x00-\x20\x7f~^:?*[\\]/.exec(name);
  if (bad) return bad[0] === " " ? "it contains a space" : `it contains \`${printable(bad[0])}\``;
  for (const part of name.split("/")) {
    if (part.startsWith(".")) return `the part \`${part}\` starts with \`.\``;
    if (part.endsWith(".lock")) return `the part \`${part}\` ends with \`.lock\``;
  }
  return undefined;
}

function printable(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : ch;
}
