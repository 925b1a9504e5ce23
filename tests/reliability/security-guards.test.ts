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
import { mb, reliabilityCase } from "./support/cases.ts";
import { backupPatch, claudeYaml, cliEnv, expectConsistent } from "./support/engine.ts";
import { startCli } from "./support/proc.ts";

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

// ---- what a change may hide: encodings, binary content, names, protected files, size -----------------

/** A helper committed in the base: writes a payload the way an attacker would hide a token. */
const DROP = `import { writeFileSync } from "node:fs";
const [kind, token, file] = process.argv.slice(2);
const text = "key = " + token + "\\n";
const out = {
  nul: () => Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(text)]),
  utf16: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
  utf16be: () => Buffer.from(text, "utf16le").swap16(),
  base64: () => Buffer.from(Buffer.from(text).toString("base64") + "\\n"),
  reversed: () => Buffer.from([...token].reverse().join("") + "\\n"),
  split: () => Buffer.from('k = "' + token.slice(0, 12) + '" +\\n  "' + token.slice(12) + '";\\n'),
  hidden: () => Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: 2000 }, (_, i) => "line " + i).join("\\n"))]),
}[kind]();
writeFileSync(file, out);
`;

describe("what a change may hide", () => {
  it("S-13 credentials behind a NUL byte, in UTF-16, in a file name, base64, reversed or split are caught", async () => {
    const c = reliabilityCase(
      "S-13",
      "security",
      "commands that write a generated GitHub token after a NUL byte, as UTF-16 (LE with a BOM, BE without), base64-encoded, reversed, split over two lines, and as a file name",
      "each refused with a `secret.github-token` violation, nothing lands on a branch, and no message or report field holds the token",
    );
    await using e = await makeEngineRepo({ files: { "README.md": "# r\n", "tools/drop.mjs": DROP } });
    const token = () => p("gh", "p_") + pick(ALNUM, 36);
    const tokens: Record<string, string> = {};
    const specs: Record<string, string> = {};
    for (const kind of ["nul", "utf16", "utf16be", "base64", "reversed", "split"]) {
      tokens[kind] = token();
      specs[kind] = `run: node tools/drop.mjs ${kind} ${tokens[kind]} out-${kind}.dat\n`;
    }
    tokens.name = token();
    specs.name = `run: echo hello > notes-${tokens.name}.md\n`;
    const out = await e.run(await e.tasks(specs));
    const status = Object.fromEntries(out.report.results.map((r) => [r.task, r.status]));
    c.note("statuses", status);
    c.note(
      "messages",
      out.report.results.map((r) => r.violations[0]?.message.slice(0, 90) ?? r.message.slice(0, 90)),
    );
    for (const r of out.report.results) {
      expect(r.status, r.task).toBe("refused");
      expect(
        r.violations.map((v) => v.rule),
        r.task,
      ).toContain("secret.github-token");
      expect(r.files.length, r.task).toBe(1); // the attack ran: it wrote its file
    }
    expect(await e.branches()).toEqual(["main"]);
    const report = JSON.stringify(out.report);
    for (const t of Object.values(tokens)) expect(report).not.toContain(t.slice(4));
    await expectConsistent(e, out.spawned);
  });

  it("S-14 files that steer the repository are refused unless paths.allow names them", async () => {
    const c = reliabilityCase(
      "S-14",
      "security",
      'commands (with the default `paths.allow: ["**"]`) that write `.github/CODEOWNERS`, `.github/actions/x/action.yml`, `.github/claude-tasks/x.yml`, `.claude/settings.json`, `.mcp.json`, `.gitattributes`, `.gitmodules`, `CLAUDE.md`, `AGENTS.md`, create an embedded repository (`git init` + commit), and make a script executable; one task naming `.github/CODEOWNERS` in paths.allow',
      "each refused (`protected.path`, `protected.gitlink`, `protected.executable`), nothing lands on a branch; only the naming task succeeds",
    );
    await using e = await makeEngineRepo({ files: { "README.md": "# r\n", "run.sh": "#!/bin/sh\n" } });
    const write = (path: string) => `run: "mkdir -p $(dirname ${path}) && echo x > ${path}"\n`;
    const tasks = await e.tasks({
      codeowners: write(".github/CODEOWNERS"),
      action: write(".github/actions/x/action.yml"),
      "task-file": write(".github/claude-tasks/x.yml"),
      "claude-settings": write(".claude/settings.json"),
      mcp: write(".mcp.json"),
      attributes: write(".gitattributes"),
      modules: write(".gitmodules"),
      "claude-md": write("CLAUDE.md"),
      "agents-md": write("docs/AGENTS.md"),
      embedded:
        'run: "mkdir sub && cd sub && git init -q && echo a > a && git add a && git -c user.name=a -c user.email=a@b commit -qm x"\n',
      executable: "run: chmod +x run.sh\n",
      named: `${write(".github/CODEOWNERS")}paths:\n  allow: [".github/CODEOWNERS"]\n`,
    });
    const out = await e.run(tasks);
    const status = Object.fromEntries(out.report.results.map((r) => [r.task, r.status]));
    const rules = Object.fromEntries(
      out.report.results.map((r) => [r.task, r.violations.map((v) => v.rule).join(",")]),
    );
    c.note("statuses", status);
    c.note("rules", rules);
    for (const r of out.report.results.filter((x) => x.task !== "named")) {
      expect(r.status, r.task).toBe("refused");
      expect(r.files.length, r.task).toBeGreaterThan(0); // the attack ran
      expect(await e.branches()).not.toContain(`claude-tasks/${r.task}`);
    }
    expect(rules.embedded).toBe("protected.gitlink");
    expect(rules.executable).toBe("protected.executable");
    expect(rules.codeowners).toBe("protected.path");
    expect(status.named).toBe("success");
    await expectConsistent(e, out.spawned);
  });

  it("S-15 limits count what they should: lines behind a NUL byte, bytes of a one-line file", async () => {
    const c = reliabilityCase(
      "S-15",
      "security",
      "a command writes 2,000 text lines behind one NUL byte (limits.max_lines 500); another writes one 12 MB line (default limits.max_bytes 10 MiB)",
      "both refused: `limits.max_lines` (2,000 lines counted) and `limits.max_bytes`",
    );
    await using e = await makeEngineRepo({ files: { "README.md": "# r\n", "tools/drop.mjs": DROP } });
    const out = await e.run(
      await e.tasks({
        hidden: "run: node tools/drop.mjs hidden x hidden.dat\nlimits:\n  max_lines: 500\n",
        wide: `run: node -e "require('fs').writeFileSync('wide.txt', 'x'.repeat(12 * 2 ** 20))"\n`,
      }),
    );
    c.note(
      "messages",
      out.report.results.map((r) => r.violations[0]?.message ?? r.message),
    );
    expect(out.byTask("hidden").violations.map((v) => v.rule)).toEqual(["limits.max_lines"]);
    expect(out.byTask("hidden").violations[0]?.message).toContain("2,000 lines");
    expect(out.byTask("wide").violations.map((v) => v.rule)).toEqual(["limits.max_bytes"]);
    expect(await e.branches()).toEqual(["main"]);
    await expectConsistent(e, out.spawned);
  });

  it("S-16 a 600 MB file is refused with a clear message, backed up by streaming, in bounded memory", async () => {
    const c = reliabilityCase(
      "S-16",
      "security",
      "`claude-tasks run` (the built CLI) of a command that writes a 600 MB file (sparse: `truncate -s 600M`)",
      "refused with `limits.diff_size` and `limits.max_bytes` (no V8 string error), a backup written by streaming, the worktree removed, the CLI's peak RSS under 400 MB",
    );
    await using e = await makeEngineRepo();
    await e.tasks({ huge: "run: truncate -s 600M huge.bin\n" });
    const cli = startCli(["run", "huge", "--json"], { cwd: e.path, env: cliEnv(e) });
    const done = await cli.done;
    const report = JSON.parse(done.stdout) as {
      results: { status: string; message: string; backup?: string; violations: { rule: string }[] }[];
    };
    const r = report.results[0]!;
    c.note("status", r.status);
    c.note("message", r.message.slice(0, 160));
    c.note("peak RSS of the CLI", mb(done.peakRss ?? 0));
    c.note("wall time", `${(done.ms / 1000).toFixed(1)} s`);
    expect(done.stderr).not.toMatch(/Cannot create a string|heap/i);
    expect(r.status).toBe("refused");
    expect(r.violations.map((v) => v.rule)).toEqual(["limits.diff_size", "limits.max_bytes"]);
    expect(r.message).toContain("too large to check");
    expect(r.backup).toBeDefined();
    const patch = await backupPatch(e, r.backup);
    expect(patch).toContain("diff --git a/huge.bin b/huge.bin");
    expect(done.peakRss).toBeGreaterThan(0);
    expect(done.peakRss!).toBeLessThan(400 * 2 ** 20);
    await expectConsistent(e);
  }, 180_000);
});
