/**
 * The agent's own git directory. Inside the sandbox the worktree's `.git` file points at this
 * directory (bound over the engine's administrative directory), so `git status`, `log` and `diff` work
 * for the agent while everything it could plant (config with `core.fsmonitor` or filter drivers,
 * hooks, refs, an index) lands here, where the engine never looks. Objects are borrowed read-only
 * from the repository through `objects/info/alternates`; the agent's own commits stay in its copy.
 * Made anew before every attempt.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isCode } from "../missing.ts";
import { removeTree } from "../remove-tree.ts";

export async function prepareAgentGitDir(opts: {
  dir: string;
  adminDir: string;
  objectsDir: string;
  /** `<oid> <refname>` lines for the agent's copy of the branches and tags. */
  refs: string;
}): Promise<void> {
  const { dir } = opts;
  await removeTree(dir);
  await mkdir(join(dir, "objects", "info"), { recursive: true });
  await mkdir(join(dir, "refs", "heads"), { recursive: true });
  await mkdir(join(dir, "refs", "tags"), { recursive: true });
  await writeFile(join(dir, "objects", "info", "alternates"), `${opts.objectsDir}\n`);
  // HEAD: the engine's worktree is detached at the base commit.
  const head = (await readFile(join(opts.adminDir, "HEAD"), "utf8")).trim();
  await writeFile(join(dir, "HEAD"), `${head}\n`);
  const packed = opts.refs
    .split("\n")
    .filter((l) => /^[0-9a-f]{40,64} refs\/(?:heads|tags|remotes)\/\S+$/.test(l))
    .join("\n");
  await writeFile(join(dir, "packed-refs"), `# pack-refs with: sorted\n${packed}\n`);
  await writeFile(
    join(dir, "config"),
    "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = false\n",
  );
  try {
    await copyFile(join(opts.adminDir, "index"), join(dir, "index"));
  } catch (err) {
    if (!isCode(err, "ENOENT")) throw err; // no index yet: git builds one
  }
}
