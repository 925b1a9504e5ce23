/** "Nothing there" falls back; every other error of a read is thrown, not taken for "nothing there". */
import { mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { orIfMissing } from "../../src/engine/missing.ts";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe("orIfMissing", () => {
  it("falls back for a missing path or a file where a folder should be, throws anything else", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ct-missing-"));
    dirs.push(dir);
    await writeFile(join(dir, "file"), "x");
    expect(await orIfMissing(readdir(join(dir, "nope")), [])).toEqual([]);
    expect(await orIfMissing(readdir(join(dir, "file", "below")), [])).toEqual([]);
    expect(await orIfMissing(readFile(join(dir, "file"), "utf8"), "")).toBe("x");
    await expect(orIfMissing(readFile(dir, "utf8"), "")).rejects.toMatchObject({ code: "EISDIR" });
    await expect(
      orIfMissing(Promise.reject(Object.assign(new Error("denied"), { code: "EACCES" })), []),
    ).rejects.toThrow("denied");
  });

  it("falls back for the other codes it is told (a loop of links), and only for those", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ct-missing-"));
    dirs.push(dir);
    await symlink("b", join(dir, "a"));
    await symlink("a", join(dir, "b"));
    expect(await orIfMissing(realpath(join(dir, "a")), undefined, ["ELOOP"])).toBeUndefined();
    await expect(orIfMissing(realpath(join(dir, "a")), undefined)).rejects.toMatchObject({ code: "ELOOP" });
  });
});
