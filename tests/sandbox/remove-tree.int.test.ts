/**
 * An agent's trees are removed even when it took the rights away from its own directories. The engine
 * on a hosted runner is a user, not root; as root (this CI) permissions stop nothing, so the removal
 * runs in a user namespace as uid 1000, where the test's files are that user's own and owner rights
 * apply, exactly as for the engine on a runner.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { probeBwrap } from "../../src/engine/sandbox/index.ts";

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) {
    spawnSync("chmod", ["-R", "u+rwx", d]);
    rmSync(d, { recursive: true, force: true });
  }
});

/** Runs `code` (an ES module) as a user without any privilege over other users' files. */
function asUser(dir: string, code: string) {
  const node = process.execPath;
  const unprivileged =
    process.getuid?.() === 0
      ? [
          "bwrap",
          "--unshare-user",
          "--uid",
          "1000",
          "--gid",
          "1000",
          "--ro-bind",
          "/",
          "/",
          "--bind",
          dir,
          dir,
          "--dev",
          "/dev",
          "--proc",
          "/proc",
          "--",
          node,
        ]
      : [node];
  const [cmd, ...args] = unprivileged;
  return spawnSync(cmd!, [...args, "--input-type=module", "-e", code], { encoding: "utf8" });
}

describe("removeTree", async () => {
  const bwrap = await probeBwrap();
  it.runIf(bwrap.ok || process.getuid?.() !== 0)(
    "removes a tree with directories that lost every right, without touching what its links point to",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "ct-remove-tree-"));
      made.push(dir);
      const outside = join(dir, "outside");
      mkdirSync(outside);
      writeFileSync(join(outside, "keep.txt"), "keep\n");
      chmodSync(outside, 0o555);
      const plant = (tree: string) => {
        mkdirSync(join(tree, "a", "b", "c"), { recursive: true });
        writeFileSync(join(tree, "a", "b", "c", "f.txt"), "x\n");
        writeFileSync(join(tree, "proof.txt"), "planted\n");
        symlinkSync(outside, join(tree, "link-out"));
        chmodSync(join(tree, "a", "b", "c"), 0o000);
        chmodSync(join(tree, "a", "b"), 0o000);
        chmodSync(join(tree, "a"), 0o500);
      };
      const plain = join(dir, "plain");
      const tree = join(dir, "tree");
      plant(plain);
      plant(tree);
      expect(readFileSync(join(tree, "proof.txt"), "utf8")).toBe("planted\n");
      const mod = resolve("src/engine/remove-tree.ts");
      // The attack works against a plain `rm -rf` as a user…
      const before = asUser(
        dir,
        `import { rm } from "node:fs/promises"; await rm(${JSON.stringify(plain)}, { recursive: true, force: true });`,
      );
      expect(before.status, before.stdout).not.toBe(0);
      expect(before.stderr).toMatch(/EACCES/);
      expect(existsSync(plain)).toBe(true);
      // …and not against removeTree.
      const r = asUser(
        dir,
        `import { removeTree } from ${JSON.stringify(mod)}; await removeTree(${JSON.stringify(tree)});`,
      );
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(tree)).toBe(false);
      // What the link pointed to is as it was: there, with its file and its mode.
      expect(readFileSync(join(outside, "keep.txt"), "utf8")).toBe("keep\n");
      expect(statSync(outside).mode & 0o777).toBe(0o555);
    },
  );
});
