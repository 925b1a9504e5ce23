/**
 * Files that steer the repository, its CI or the agents that work on it are refused by default, even
 * when `paths.allow` would let them through: a task's change must not rewrite what runs next (a
 * workflow, an action, CODEOWNERS, Claude Code's settings, hooks and MCP servers, the instructions in
 * CLAUDE.md / AGENTS.md), how git reads files (`.gitattributes`), where submodules come from
 * (`.gitmodules`), pull in another repository (a git link) or make a file executable.
 *
 * Each is allowed only when the task's `paths.allow` names it explicitly:
 * - a protected path: by a pattern that matches it and spells out the protected name (`.github/`,
 *   `.claude/`, `.mcp.json`, `.gitattributes`, `.gitmodules`, `CLAUDE.md`, `AGENTS.md`): for instance
 *   `.github/CODEOWNERS`, `.github/**` or `docs/CLAUDE.md` — but not `**` or `**\/*.md`;
 * - a git link or an executable file: by a pattern that matches it and starts with a literal directory
 *   or file name (`scripts/**`, `tools/run.sh`, `vendor/lib`) — not `**` or `**\/*.sh`.
 */
import { MODE } from "../git/changes.ts";
import { compileGlob, normalizeGlob } from "../glob.ts";
import { type ChangedFiles, code, type Violation } from "./types.ts";

interface ProtectedPath {
  /** Which paths (case-insensitive). */
  glob: string;
  /** What an allow pattern must spell out to allow them. */
  literal: string;
  what: string;
}

export const PROTECTED_PATHS: readonly ProtectedPath[] = [
  {
    glob: ".github/**",
    literal: ".github/",
    what: "GitHub configuration (workflows, actions, CODEOWNERS, task definitions)",
  },
  { glob: "**/.claude/**", literal: ".claude/", what: "Claude Code settings, hooks, commands and agents" },
  { glob: "**/.mcp.json", literal: ".mcp.json", what: "the MCP servers Claude Code starts" },
  {
    glob: "**/.gitattributes",
    literal: ".gitattributes",
    what: "git attributes (filters, diff and merge drivers, what counts as binary)",
  },
  { glob: "**/.gitmodules", literal: ".gitmodules", what: "where submodules are fetched from" },
  { glob: "**/CLAUDE.md", literal: "CLAUDE.md", what: "instructions every later Claude Code run follows" },
  {
    glob: "**/CLAUDE.local.md",
    literal: "CLAUDE.local.md",
    what: "instructions every later Claude Code run follows",
  },
  { glob: "**/AGENTS.md", literal: "AGENTS.md", what: "instructions every later coding agent follows" },
];

const matchers = PROTECTED_PATHS.map((p) => ({ ...p, match: compileGlob(p.glob, { nocase: true }) }));

/** A pattern that starts with a literal name: not `**`, `*`, `**\/*.sh`, `{a,b}/**`, `[abc]*`. */
const startsLiteral = (glob: string) => /^[^*?[{(!+@]/.test(glob);

export function checkProtected(change: ChangedFiles, allow: readonly string[]): Violation[] {
  const allowed = allow.map((g) => {
    const glob = normalizeGlob(g);
    return { glob, lower: glob.toLowerCase(), match: compileGlob(glob) };
  });
  const named = (path: string, literal: string) =>
    allowed.some((a) => a.lower.includes(literal.toLowerCase()) && a.match(path));
  const literally = (path: string) => allowed.some((a) => startsLiteral(a.glob) && a.match(path));
  const out: Violation[] = [];
  for (const f of change.files) {
    for (const path of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
      const p = matchers.find((m) => m.match(path));
      if (p && !named(path, p.literal)) {
        out.push({
          rule: "protected.path",
          file: path,
          message: `${code(path)} is protected (${p.what}); a task may change it only when paths.allow names it explicitly`,
        });
      }
    }
    if (f.newMode === MODE.submodule && !literally(f.path)) {
      out.push({
        rule: "protected.gitlink",
        file: f.path,
        message: `${code(f.path)} is a git link (a submodule or an embedded repository); a task may add one only when paths.allow names it explicitly`,
      });
    }
    const nowExecutable = f.newMode === MODE.executable && f.oldMode !== MODE.executable;
    if (nowExecutable && !literally(f.path)) {
      out.push({
        rule: "protected.executable",
        file: f.path,
        message: `${code(f.path)} ${f.status === "added" ? "is added as an executable file" : "is made executable"}; a task may do that only when paths.allow names it explicitly`,
      });
    }
  }
  return out;
}
