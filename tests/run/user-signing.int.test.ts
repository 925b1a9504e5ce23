/**
 * Local task branches honour the user's own git signing: with `commit.gpgSign = true` (and their key
 * and format) the task commit is signed like their own commits; without it, it is not. `git
 * commit-tree` ignores that setting, so the engine reads it and passes `-S`.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeEngineRepo } from "../support/engine.ts";

describe("the user's git signing configuration (local mode)", () => {
  it("commit.gpgSign = true: the task commit is signed with the user's key; false: it is not", async () => {
    await using e = await makeEngineRepo({ files: { "README.md": "# repo\n" } });
    const key = join(e.path, "..", "signing-key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test@example.com", "-f", key]);
    const [unsigned, signed] = await e.tasks({
      plain: "run: echo one > one.txt\n",
      signed: "run: echo two > two.txt\n",
    });

    const first = await e.run([unsigned!]);
    expect(first.result.status).toBe("success");
    expect(await e.git("cat-file", "commit", "claude-tasks/plain")).not.toContain("gpgsig");

    await e.git("config", "gpg.format", "ssh");
    await e.git("config", "user.signingKey", key);
    await e.git("config", "commit.gpgSign", "true");
    const second = await e.run([signed!]);
    expect(second.result.status).toBe("success");
    const raw = await e.git("cat-file", "commit", "claude-tasks/signed");
    expect(raw).toMatch(/^gpgsig -----BEGIN SSH SIGNATURE-----/m);
    // the signature verifies with the user's key, and it still is exactly the task commit
    await e.git("config", "gpg.ssh.allowedSignersFile", `${key}.allowed`);
    execFileSync("sh", ["-c", `printf 'test@example.com %s\\n' "$(cat "${key}.pub")" > "${key}.allowed"`]);
    await e.git("verify-commit", "claude-tasks/signed");
    expect(
      await e.git("log", "-1", "--format=%(trailers:key=Claude-Tasks-Task,valueonly)", "claude-tasks/signed"),
    ).toBe("signed");
  });
});
