import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemHost } from "../../src/engine/local/host.ts";
import { findOnPath } from "../../src/engine/process/path.ts";

let root: string;
let a: string;
let b: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "ct-path-"));
  a = join(root, "a");
  b = join(root, "b");
  await mkdir(a);
  await mkdir(b);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function tool(dir: string, name: string, mode = 0o755): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, "#!/bin/sh\n");
  await chmod(file, mode);
  return file;
}

describe("findOnPath", () => {
  it("finds the first executable file in PATH order", async () => {
    await tool(a, "t");
    await tool(b, "t");
    expect(findOnPath("t", [a, b].join(delimiter))).toBe(join(a, "t"));
    expect(findOnPath("missing", [a, b].join(delimiter))).toBeUndefined();
  });

  it("passes over a file without the executable bit and a directory of that name", async () => {
    await tool(a, "t", 0o644);
    await mkdir(join(b, "t"));
    const c = join(root, "c");
    await mkdir(c);
    await tool(c, "t");
    expect(findOnPath("t", [a, b, c].join(delimiter))).toBe(join(c, "t"));
  });

  it("takes an absolute name as itself when it is executable, never joined onto PATH", async () => {
    const exe = await tool(a, "t");
    const plain = await tool(a, "p", 0o644);
    await mkdir(join(b, root, "a"), { recursive: true });
    await tool(join(b, root, "a"), "p");
    expect(findOnPath(exe, b)).toBe(exe);
    expect(findOnPath(plain, b)).toBeUndefined();
  });

  it("never resolves through empty or relative PATH entries (the current directory would pick the tool)", async () => {
    await tool(a, "t");
    const rel = relative(process.cwd(), a);
    expect(rel.startsWith("/")).toBe(false);
    expect(findOnPath("t", `${rel}${delimiter}${delimiter}`)).toBeUndefined();
    expect(findOnPath("t", ["", rel, b, a].join(delimiter))).toBe(join(a, "t"));
  });

  it("does not look a relative name with a slash up on PATH", async () => {
    await mkdir(join(a, "sub"));
    await tool(join(a, "sub"), "t");
    expect(findOnPath("sub/t", a)).toBeUndefined();
    expect(findOnPath("", a)).toBeUndefined();
  });

  it("is what the service host asks when it checks for a service manager", async () => {
    await tool(a, "systemctl");
    const host = systemHost({ PATH: a, HOME: root });
    expect(await host.has("systemctl")).toBe(true);
    expect(await host.has("crontab")).toBe(false);
  });
});
