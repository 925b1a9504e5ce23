import { describe, expect, it } from "vitest";
import { diffPath } from "../../src/engine/git/diff-text.ts";
import { addedLines, looksLikePlaceholder, scanSecrets } from "../../src/engine/guard/secrets.ts";

// Credentials are generated at run time (seeded), so no realistic token is written in this file.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = prng(0xc1a5);
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM = `${UPPER}abcdefghijklmnopqrstuvwxyz0123456789`;
const B64URL = `${ALNUM}-_`;
const B64 = `${ALNUM}+/`;
const pick = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
const digits = (n: number) => pick("0123456789", n);
const b64url = (s: string) => Buffer.from(s).toString("base64url");

/** A one-file diff that adds `lines` after one context line. */
function patch(file: string, lines: string[]): string {
  return [
    `diff --git a/${file} b/${file}`,
    "index 1111111..2222222 100644",
    `--- a/${file}`,
    `+++ b/${file}`,
    `@@ -1,1 +1,${lines.length + 1} @@`,
    " context line",
    ...lines.map((l) => `+${l}`),
    "",
  ].join("\n");
}

const p = (a: string, b: string) => a + b; // keeps prefixes from forming a literal token

const CASES: [rule: string, secret: () => string, line?: (s: string) => string][] = [
  ["github-token", () => p("gh", "p_") + pick(ALNUM, 36)],
  ["github-token", () => p("gh", "o_") + pick(ALNUM, 36)],
  ["github-token", () => p("gh", "u_") + pick(ALNUM, 36)],
  ["github-token", () => p("gh", "s_") + pick(ALNUM, 36)],
  ["github-token", () => p("gh", "r_") + pick(ALNUM, 36)],
  ["github-token", () => `${p("github", "_pat_")}${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`],
  ["anthropic-key", () => `${p("sk-", "ant-")}api03-${pick(B64URL, 93)}AA`],
  ["anthropic-key", () => `${p("sk-", "ant-")}oat01-${pick(B64URL, 93)}AA`],
  ["openai-key", () => `${p("sk-", "proj-")}${pick(B64URL, 74)}${p("T3Blbk", "FJ")}${pick(B64URL, 74)}`],
  ["openai-key", () => `${p("sk-", "proj-")}${pick(B64URL, 120)}`],
  ["openai-key", () => `sk-${pick(ALNUM, 20)}${p("T3Blbk", "FJ")}${pick(ALNUM, 20)}`],
  ["aws-access-key-id", () => p("AK", "IA") + pick(`${UPPER}234567`, 16)],
  ["aws-access-key-id", () => p("AS", "IA") + pick(`${UPPER}234567`, 16)],
  ["aws-secret-access-key", () => pick(B64, 40), (s) => `AWS_SECRET_ACCESS_KEY=${s}`],
  ["aws-secret-access-key", () => pick(B64, 40), (s) => `  aws_secret_access_key: "${s}"`],
  ["aws-secret-access-key", () => pick(B64, 40), (s) => `{ "SecretAccessKey": "${s}" }`],
  ["slack-token", () => `${p("xo", "xb-")}${digits(12)}-${digits(13)}-${pick(ALNUM, 24)}`],
  [
    "slack-token",
    () => `${p("xo", "xp-")}${digits(11)}-${digits(11)}-${digits(13)}-${pick("0123456789abcdef", 32)}`,
  ],
  [
    "slack-webhook",
    () =>
      `https://${p("hooks.", "slack.com")}/services/T${pick(UPPER, 8)}/B${pick(UPPER, 10)}/${pick(ALNUM, 24)}`,
  ],
  ["stripe-key", () => p("sk_", "live_") + pick(ALNUM, 24)],
  ["stripe-key", () => p("rk_", "live_") + pick(ALNUM, 99)],
  ["google-api-key", () => p("AI", "za") + pick(B64URL, 35)],
  [
    "jwt",
    () =>
      `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${digits(8)}","iat":${digits(10)}}`)}.${pick(B64URL, 43)}`,
  ],
  ["npm-token", () => p("np", "m_") + pick(ALNUM, 36)],
];

describe("scanSecrets: one test per provider format", () => {
  it.each(CASES.map(([rule, make, wrap], i) => [rule, i, make, wrap] as const))(
    "%s (#%i)",
    (rule, _i, make, wrap) => {
      const secret = make();
      const line = wrap ? wrap(secret) : `const value = "${secret}";`;
      const findings = scanSecrets(patch("src/config.ts", ["const a = 1;", line]));
      expect(findings).toEqual([
        {
          rule: `secret.${rule}`,
          file: "src/config.ts",
          line: 3,
          message: expect.stringMatching(
            new RegExp(`^\`src/config\\.ts\` line 3 adds what looks like .+ \\(${rule}\\)$`),
          ),
        },
      ]);
      // Never the secret, not even part of its random tail (the prefix is what the rule names).
      const out = JSON.stringify(findings);
      const tail = secret.slice(-24);
      for (let k = 0; k + 6 <= tail.length; k++) expect(out).not.toContain(tail.slice(k, k + 6));
    },
  );

  it("private key blocks, in a file or as an escaped string", () => {
    const body = Array.from({ length: 3 }, () => pick(B64, 64));
    const pem = [`-----BEGIN RSA ${p("PRIVATE", " KEY")}-----`, ...body, "-----END RSA PRIVATE KEY-----"];
    expect(scanSecrets(patch("id_rsa", pem))).toMatchObject([
      { rule: "secret.private-key", file: "id_rsa", line: 2 },
    ]);
    const escaped = `const k = "-----BEGIN ${p("PRIVATE", " KEY")}-----\\n${body.join("\\n")}\\n-----END PRIVATE KEY-----";`;
    expect(scanSecrets(patch("k.js", [escaped]))).toMatchObject([{ rule: "secret.private-key", line: 2 }]);
    const encrypted = [`-----BEGIN ${p("PRIVATE", " KEY")}-----`, "Proc-Type: 4,ENCRYPTED", "", ...body];
    expect(scanSecrets(patch("k.pem", encrypted))).toHaveLength(1);
    // code that only mentions the header (parsers, docs) is not a key
    const mention = [
      `if (pem.startsWith("-----BEGIN ${p("PRIVATE", " KEY")}-----")) {`,
      "  return parse(pem);",
      "}",
    ];
    expect(scanSecrets(patch("parse.ts", mention))).toEqual([]);
  });
});

describe("scanSecrets: only added lines, right place", () => {
  it("ignores removed and context lines and numbers lines across hunks", () => {
    const token = p("gh", "p_") + pick(ALNUM, 36);
    const diff = [
      "diff --git a/a.txt b/a.txt",
      "--- a/a.txt",
      "+++ b/a.txt",
      "@@ -1,3 +1,3 @@",
      ` ${token}`,
      `-${token}`,
      "+clean",
      " x",
      "@@ -10,2 +10,3 @@",
      " y",
      `+${token}`,
      "\\ No newline at end of file",
      'diff --git "a/d\\303\\244 t.txt" "b/d\\303\\244 t.txt"',
      "new file mode 100644",
      "--- /dev/null",
      '+++ "b/d\\303\\244 t.txt"',
      "@@ -0,0 +1 @@",
      `+${token}`,
      "diff --git a/bin b/bin",
      "GIT binary patch",
      "literal 3",
      `+${token}`,
      "",
    ].join("\n");
    expect(scanSecrets(diff).map((f) => [f.file, f.line])).toEqual([
      ["a.txt", 11],
      ["dä t.txt", 1],
    ]);
    expect(addedLines(diff).map((l) => l.line)).toEqual([2, 11, 1]);
    expect(diffPath("b/plain")).toBe("plain");
    expect(diffPath("/dev/null")).toBe("");
  });

  it("does not flag placeholders and documented examples", () => {
    const lines = [
      `token: ${p("gh", "p_")}${"x".repeat(36)}`,
      `token: ${p("gh", "p_")}abcdefghijklmnopqrstuvwxyz0123456789`,
      `aws_access_key_id = ${p("AKIA", "IOSFODNN7EXAMPLE")}`,
      `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY${p("EXAMPLE", "KEY")}`,
      `SLACK_WEBHOOK=https://${p("hooks.", "slack.com")}/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`,
      `OPENAI_API_KEY=${p("sk-", "proj-")}your-key-goes-here-replace-me-with-the-real-one`,
      `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"1234567890","name":"John Doe","iat":1516239022}')}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
      "ANTHROPIC_API_KEY=${{ secrets.ANTHROPIC_API_KEY }}",
      "secret_key = os.environ['SECRET_KEY']",
    ];
    expect(scanSecrets(patch(".env.example", lines))).toEqual([]);
    expect(looksLikePlaceholder("XXXXXXXX")).toBe(true);
    expect(looksLikePlaceholder(pick(ALNUM, 36))).toBe(false);
  });

  it("does not flag hashes, UUIDs, base64 images, lockfile integrity or random base64", () => {
    const hex = (n: number) => pick("0123456789abcdef", n);
    const lines = [
      `commit ${hex(40)}`,
      `sha256: ${hex(64)}`,
      `id: "${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}"`,
      `"integrity": "sha512-${pick(B64, 86)}=="`,
      `<img src="data:image/png;base64,${pick(B64, 4000)}=">`,
      ...Array.from({ length: 200 }, () => pick(B64, 76)),
      `const ask = "sk-learn"; const skip = "task-${hex(12)}";`,
      "const secretKey = process.env.SECRET;",
      `eyJ${pick(B64URL, 30)}`,
    ];
    expect(scanSecrets(patch("fixtures.ts", lines))).toEqual([]);
  });
});
