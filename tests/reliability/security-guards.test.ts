/**
 * What a change may hold: the credential scanner's detection rate and false positives (counted), the
 * default deny on `.github/workflows/**`, and changes that try to escape the worktree with symlinks,
 * `..` or absolute paths — by a command, and by Claude Code's own tools.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scanSecrets, scanText } from "../../src/engine/guard/secrets.ts";
import { newRunId } from "../../src/engine/run/index.ts";
import { makeEngineRepo } from "../support/engine.ts";
import { startModelServer } from "../support/model-server.ts";
import { reliabilityCase } from "./support/cases.ts";
import { claudeYaml, expectConsistent } from "./support/engine.ts";

const outside = await mkdtemp(join(tmpdir(), "ct-rel-outside-"));
afterAll(() => rm(outside, { recursive: true, force: true }));

// ---- generated credentials (a seeded generator: no real-looking token is written in this file) -------

let seed = 0x5eed;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM = `${UPPER}abcdefghijklmnopqrstuvwxyz0123456789`;
const pick = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
const digits = (n: number) => pick("0123456789", n);
const b64url = (s: string) => Buffer.from(s).toString("base64url");
const p = (a: string, b: string) => a + b;
const pem = (kind: string) =>
  [
    `-----BEGIN ${kind}PRIVATE KEY-----`,
    ...Array.from({ length: 6 }, () => pick(`${ALNUM}+/`, 64)),
    `-----END ${kind}PRIVATE KEY-----`,
  ].join("\n");

const FORMATS: Record<string, (() => string)[]> = {
  GitHub: [
    () => `token: ${p("gh", "p_")}${pick(ALNUM, 36)}`,
    () => `token = "${p("gh", "s_")}${pick(ALNUM, 36)}"`,
    () => `GH_TOKEN=${p("gh", "o_")}${pick(ALNUM, 36)}`,
    () => `"${p("github", "_pat_")}${pick(ALNUM, 22)}_${pick(ALNUM, 59)}"`,
  ],
  Anthropic: [
    () => `ANTHROPIC_API_KEY=${p("sk-", "ant-")}api03-${pick(`${ALNUM}-_`, 93)}AA`,
    () => `const key = "${p("sk-", "ant-")}oat01-${pick(`${ALNUM}-_`, 93)}AA";`,
  ],
  OpenAI: [
    () =>
      `OPENAI_API_KEY=${p("sk-", "proj-")}${pick(`${ALNUM}-_`, 74)}${p("T3Blbk", "FJ")}${pick(`${ALNUM}-_`, 74)}`,
    () => `openai.api_key = "sk-${pick(ALNUM, 20)}${p("T3Blbk", "FJ")}${pick(ALNUM, 20)}"`,
  ],
  AWS: [
    () => `aws_access_key_id = ${p("AK", "IA")}${pick(`${UPPER}234567`, 16)}`,
    () => `AWS_SECRET_ACCESS_KEY=${pick(`${ALNUM}+/`, 40)}`,
    () => `  "SecretAccessKey": "${pick(`${ALNUM}+/`, 40)}",`,
  ],
  Slack: [
    () => `SLACK_TOKEN=${p("xo", "xb-")}${digits(12)}-${digits(13)}-${pick(ALNUM, 24)}`,
    () =>
      `url: https://${p("hooks.", "slack.com")}/services/T${pick(UPPER, 8)}/B${pick(UPPER, 10)}/${pick(ALNUM, 24)}`,
  ],
  Stripe: [
    () => `STRIPE_KEY=${p("sk_", "live_")}${pick(ALNUM, 24)}`,
    () => `${p("rk_", "live_")}${pick(ALNUM, 60)}`,
  ],
  "private key": [() => pem("RSA "), () => pem("EC "), () => pem("OPENSSH "), () => pem("")],
  JWT: [
    () =>
      `Authorization: Bearer ${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${digits(8)}","iat":${digits(10)}}`)}.${pick(`${ALNUM}-_`, 43)}`,
  ],
};

/** A one-file diff adding `text`. */
function diffAdding(file: string, text: string): string {
  const lines = text.split("\n");
  return [
    `diff --git a/${file} b/${file}`,
    "new file mode 100644",
    "--- /dev/null",
    `+++ b/${file}`,
    `@@ -0,0 +1,${lines.length} @@`,
    ...lines.map((l) => `+${l}`),
    "",
  ].join("\n");
}

async function sourceFiles(dir: string, out: string[], max: number): Promise<void> {
  for (const ent of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (out.length >= max) return;
    const path = join(dir, ent.name);
    // test fixtures and example folders may hold sample keys on purpose: not "ordinary source"
    if (ent.isDirectory()) {
      if (!/^(test|tests|__tests__|fixtures?|examples?|\.bin)$/.test(ent.name))
        await sourceFiles(path, out, max);
    } else if (
      [".js", ".mjs", ".cjs", ".ts", ".mts", ".json", ".md", ".yml", ".yaml"].includes(extname(ent.name))
    ) {
      if ((await stat(path)).size < 2 << 20) out.push(path);
    }
  }
}

describe("the credential scanner", () => {
  it("S-04 catches the common token formats and stays quiet on ordinary source", async () => {
    const c = reliabilityCase(
      "S-04",
      "security",
      "generated credentials of 8 kinds (GitHub, Anthropic, OpenAI, AWS, Slack, Stripe, private keys, JWTs) added in a diff; then every source file of this repository and of node_modules (fixtures left out)",
      "every credential caught; no finding in the ordinary source files",
    );
    const perKind: Record<string, string> = {};
    let caught = 0;
    let total = 0;
    const missed: string[] = [];
    for (const [kind, makers] of Object.entries(FORMATS)) {
      let k = 0;
      let n = 0;
      for (let i = 0; i < 25; i++) {
        for (const make of makers) {
          const text = make();
          n++;
          if (scanSecrets(diffAdding("config/settings.txt", text)).length > 0) k++;
          else missed.push(`${kind}: ${text.slice(0, 30)}…`);
        }
      }
      perKind[kind] = `${k}/${n}`;
      caught += k;
      total += n;
    }
    const files: string[] = [];
    await sourceFiles(join(process.cwd(), "src"), files, Number.POSITIVE_INFINITY);
    await sourceFiles(join(process.cwd(), "docs"), files, Number.POSITIVE_INFINITY);
    await sourceFiles(join(process.cwd(), "node_modules"), files, 20_000);
    let bytes = 0;
    let lines = 0;
    const falsePositives: string[] = [];
    const started = performance.now();
    for (const f of files) {
      const text = await readFile(f, "utf8");
      bytes += text.length;
      lines += text.split("\n").length;
      for (const hit of scanText(text, f.slice(process.cwd().length + 1)))
        falsePositives.push(`${hit.file}:${hit.line} (${hit.rule})`);
    }
    c.note("detected", `${caught}/${total}`);
    c.note("by kind", perKind);
    c.note(
      "ordinary files",
      `${files.length} files, ${lines.toLocaleString("en")} lines, ${(bytes / 2 ** 20).toFixed(0)} MB`,
    );
    c.note("false positives", falsePositives.length ? falsePositives.slice(0, 10) : 0);
    c.note("scan speed", `${(bytes / 2 ** 20 / ((performance.now() - started) / 1000)).toFixed(0)} MB/s`);
    expect(missed).toEqual([]);
    expect(files.length).toBeGreaterThan(5_000);
    expect(falsePositives).toEqual([]);
  }, 180_000);
});

describe("what a change may touch", () => {
  it("S-05 `.github/workflows/**` cannot be changed unless the task names it in paths.allow", async () => {
    const c = reliabilityCase(
      "S-05",
      "security",
      'tasks that add, edit, delete, rename into, or case-dodge (`.GitHub/Workflows`) a workflow file, one with `paths.allow: ["**"]`, one naming the file exactly',
      "every one refused (rule `paths.deny`), nothing lands on its branch; only the task naming `.github/workflows/ci.yml` explicitly succeeds",
    );
    await using e = await makeEngineRepo({
      files: { "README.md": "# r\n", ".github/workflows/ci.yml": "on: push\n", "tools/x.yml": "x: 1\n" },
    });
    const tasks = await e.tasks({
      add: "run: \"echo 'on: push' > .github/workflows/new.yml\"\n",
      edit: "run: echo '# evil' >> .github/workflows/ci.yml\n",
      delete: "run: rm .github/workflows/ci.yml\n",
      rename: "run: git mv tools/x.yml .github/workflows/x.yml\n",
      "case-dodge": "run: \"mkdir -p .GitHub/Workflows && echo 'on: push' > .GitHub/Workflows/y.yml\"\n",
      "allow-all": 'run: echo "# evil" >> .github/workflows/ci.yml\npaths:\n  allow: ["**"]\n',
      named: 'run: echo "# ok" >> .github/workflows/ci.yml\npaths:\n  allow: [".github/workflows/ci.yml"]\n',
    });
    const out = await e.run(tasks);
    const status = Object.fromEntries(out.report.results.map((r) => [r.task, r.status]));
    c.note("statuses", status);
    c.note("rules", [...new Set(out.report.results.flatMap((r) => r.violations.map((v) => v.rule)))]);
    for (const name of ["add", "edit", "delete", "rename", "case-dodge", "allow-all"]) {
      expect(status[name], name).toBe("refused");
      expect(out.byTask(name).violations.some((v) => v.rule === "paths.deny")).toBe(true);
      expect(await e.branches()).not.toContain(`claude-tasks/${name}`);
    }
    expect(status.named).toBe("success");
    await expectConsistent(e, out.spawned);
  });

  it("S-06 symlinks, `..` and absolute paths cannot carry a change out of the worktree", async () => {
    const c = reliabilityCase(
      "S-06",
      "security",
      "commands that commit a symlink to /etc/passwd, one with `..` out of the repository, a chain of links that ends outside, a link into .git, and a file reached through a directory symlink that points outside",
      "each refused by the symlink guard, nothing committed, the user's checkout and the outside directory untouched",
    );
    await using e = await makeEngineRepo();
    const tasks = await e.tasks({
      absolute: "run: ln -s /etc/passwd passwd-link\n",
      dotdot: "run: ln -s ../../../../../../etc/hosts hosts-link\n",
      chain: `run: ln -s ${outside} out && ln -s out/secret.txt chained\n`,
      "into-git": "run: ln -s .git/config git-config\n",
      "through-dir": `run: ln -s ${outside} dir-link && mkdir -p sub && ln -s ../dir-link/x sub/x\n`,
    });
    const out = await e.run(tasks);
    const status = Object.fromEntries(out.report.results.map((r) => [r.task, r.status]));
    c.note("statuses", status);
    c.note(
      "messages",
      out.report.results.map((r) => r.violations[0]?.message.slice(0, 70) ?? r.message.slice(0, 70)),
    );
    for (const r of out.report.results) {
      expect(r.status, r.task).toBe("refused");
      expect(r.violations.some((v) => v.rule.startsWith("symlink"))).toBe(true);
    }
    expect(await e.branches()).toEqual(["main"]);
    expect(await readdir(outside)).toEqual([]);
    await expectConsistent(e, out.spawned);
  });

  it("S-07 Claude Code cannot write outside its worktree (absolute path, `..`, a symlinked directory)", async () => {
    const c = reliabilityCase(
      "S-07",
      "security",
      "the model asks Claude Code (acceptEdits) to Write to an absolute path outside, to `../escape.txt`, and through a committed symlink that points outside",
      "each write refused by Claude Code (a permission denial) and no file appears outside; the task ends without those changes",
    );
    const marker = randomBytes(6).toString("hex");
    await using e = await makeEngineRepo({
      files: { "README.md": "# r\n", "linked-dir": { symlink: outside } },
    });
    const [task] = await e.tasks({ escape: claudeYaml() });
    const runId = newRunId();
    const wt = e.worktreePath("escape", runId);
    const targets = [
      join(outside, `abs-${marker}.txt`),
      join(wt, "..", `dotdot-${marker}.txt`),
      join(wt, "linked-dir", `link-${marker}.txt`),
    ];
    const server = await startModelServer([
      { tools: targets.map((t) => ({ tool: "Write", input: { file_path: t, content: "escaped\n" } })) },
      { text: "Done." },
    ]);
    try {
      const out = await e.run([task!], { runId, env: e.agentEnv(server) });
      const denied = out.result.agent?.permissionDenials ?? 0;
      const results = server.mainRequests[1]?.body
        ? JSON.stringify(server.mainRequests[1].body.messages).slice(-2000)
        : "";
      const escaped = targets.filter((t) => existsSync(t));
      c.note("status", out.result.status);
      c.note("permission denials", denied);
      c.note("files written outside", escaped.length);
      expect(escaped).toEqual([]);
      expect(results).not.toContain("File created successfully");
      expect(out.result.files).toEqual([]);
      await expectConsistent(e, out.spawned);
    } finally {
      await server.close();
    }
  });
});
