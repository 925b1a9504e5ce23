/**
 * `init`: writes starter files into a repository. It never overwrites: when any target exists the
 * whole init is refused before anything is written, so a repository is never left half-initialised.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { UserError } from "./errors.ts";
import { packageRoot } from "./package-root.ts";

export interface InitFile {
  /** Path in the user's repository, relative to its root. */
  target: string;
  /** Path of the template inside the claude-tasks package. */
  template: string;
}

export interface InitOptions {
  repoRoot: string;
  configDir: string;
  /** Extra files (e.g. workflows) chosen by flags. */
  extra?: InitFile[];
}

export function initFiles(opts: InitOptions): InitFile[] {
  return [
    { target: join(opts.configDir, "example.yml"), template: "templates/tasks/example.yml" },
    ...(opts.extra ?? []),
  ];
}

export async function init(opts: InitOptions): Promise<{ written: string[] }> {
  const files = initFiles(opts);
  const existing = files.filter((f) => existsSync(join(opts.repoRoot, f.target))).map((f) => f.target);
  if (existing.length > 0) {
    throw new UserError(
      `refusing to overwrite ${existing.join(", ")} (already initialised?); nothing was written`,
    );
  }
  const root = packageRoot();
  for (const f of files) {
    const text = await readFile(join(root, f.template), "utf8");
    const target = join(opts.repoRoot, f.target);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text, { flag: "wx" });
  }
  return { written: files.map((f) => f.target) };
}
