import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  defuseReferences,
  inertLogLines,
  mdCode,
  mdFenced,
  mdText,
  oneLine,
  quotePath,
} from "../../src/engine/report/escape.ts";
import { credentialFindings, publishable, secretForms } from "../../src/engine/report/publishable.ts";

const INJECTED = "docs/a\n::warning title=claude-tasks::INJECTED\n::add-mask::claude-tasks\nb.md";

/** A line the Actions runner would execute: `::cmd` after leading blanks, or `##[cmd` anywhere. */
const isCommand = (line: string) => /^\s*::/.test(line) || line.includes("##[");

describe("log lines", () => {
  it("a file name with newlines and workflow commands stays one inert line", () => {
    const line = oneLine(`refused: ${quotePath(INJECTED)} is denied`);
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toContain(
      '"docs/a\\n::warning title=claude-tasks::INJECTED\\n::add-mask::claude-tasks\\nb.md"',
    );
    expect(oneLine("::error::x")).toBe(":\\:error::x");
    expect(oneLine("  ::error::x")).toBe("  :\\:error::x");
    expect(oneLine("see ##[add-mask]secret")).toBe("see #\\#[add-mask]secret");
  });

  it("control, ANSI, bidi and zero-width characters show as escapes", () => {
    expect(oneLine("a\x1b[31mred\r\u202egnp.exe\u200b")).toBe("a\\x1b[31mred\\r\\u202egnp.exe\\u200b");
    expect(quotePath("src/plain-file.ts")).toBe("src/plain-file.ts");
    expect(quotePath('we"ird\\name')).toBe('"we\\"ird\\\\name"');
  });

  it("the log sink breaks every command line of a multi-line text and keeps the rest", () => {
    const out = inertLogLines(`fine\n::error::bad\r\n  ::group::x\nok ##[add-mask]y`);
    expect(out.split(/\r?\n/).filter(isCommand)).toEqual([]);
    expect(out).toBe("fine\n:\\:error::bad\r\n  :\\:group::x\nok #\\#[add-mask]y");
  });

  it("no text ever yields a command line (property)", () => {
    const text = fc.string({
      unit: fc.constantFrom(":", "#", "[", "\n", "\r", " ", "a", "\u2028", "\u0085"),
    });
    fc.assert(
      fc.property(text, (s) => {
        expect(oneLine(s)).not.toMatch(/[\n\r]/);
        expect(isCommand(oneLine(s))).toBe(false);
        expect(
          inertLogLines(s)
            .split(/\r\n|\r|\n/)
            .filter(isCommand),
        ).toEqual([]);
      }),
    );
  });
});

describe("Markdown", () => {
  it("a code span holds any path, backticks and pipes included, on one line", () => {
    expect(mdCode("a.ts")).toBe("`a.ts`");
    expect(mdCode("a`b``c.md")).toBe("```a`b``c.md```");
    expect(mdCode("`x`")).toBe("`` `x` ``");
    expect(mdCode("a|b")).toBe("`a\\|b`");
    expect(mdCode(INJECTED)).not.toContain("\n");
  });

  it("prose: no construct opens, mentions and closing keywords are inert", () => {
    const s = mdText("Fixes #1, closes org/repo#2 cc @org/security-team <img src=x> [a](b) `c` | d\nnext");
    expect(s).not.toMatch(/\n/);
    expect(s).not.toMatch(/(^|[^\\])[<[`|]/);
    expect(s).not.toMatch(/@org|[^＃]#\d/);
    expect(s).toContain("＠org/security-team");
    expect(s).toContain("Fixes ＃1");
    expect(s).toContain("org/repo＃2");
  });

  it("defuses issue URLs after a closing keyword, not ordinary e-mail addresses", () => {
    expect(defuseReferences("Resolves: https://github.com/a/b/issues/3")).toBe(
      "Resolves: https[:]//github.com/a/b/issues/3",
    );
    expect(defuseReferences("mail bob@example.com")).toBe("mail bob@example.com");
    expect(defuseReferences("GH-12 and gh-3")).toBe("GH‐12 and gh‐3");
  });

  it("the agent's text in a fence it cannot close, HTML inert, invisible characters gone", () => {
    const agent =
      "Done.\n````\n</details>\n<!-- hidden -->\n<img src=https://t.example/p.gif>\nFixes #1 @bob\u200b\u202e";
    const block = mdFenced(agent);
    const fence = /^(`+)text\n/.exec(block)![1]!;
    expect(fence.length).toBe(5);
    expect(block.endsWith(`\n${fence}`)).toBe(true);
    expect(block.slice(fence.length + 5, -fence.length - 1)).not.toContain(`\n${fence}`);
    expect(block).toContain("</details>");
    expect(block).not.toMatch(/[\u200b\u202e]/);
    expect(block).toContain("Fixes ＃1 ＠bob");
  });
});

describe("the credential check of published text", () => {
  const token = "ghp_Zq3vN8xLp2Rt6Yw9Kd4Hs7Jm1Bc5Fg0Ae2Ui";

  it("finds a token, and a known secret reversed, in base64 at any alignment, or both", () => {
    expect(credentialFindings(`env:\nGH=${token}\n`)).toEqual([{ kind: "github-token", line: 2 }]);
    const known = "sk-e2e-not-a-pattern-but-secret-0042";
    const rev = (s: string) => [...s].reverse().join("");
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    for (const leak of [
      known,
      rev(known),
      b64(`X=${known}\n`),
      b64(`XY=${known}`),
      b64(`XYZ=${known}`),
      rev(b64(`PATH=/bin\nKEY=${known}\n`)),
      b64(rev(`KEY=${known}`)),
      Buffer.from(`KEY=${known}`).toString("base64url"),
    ]) {
      expect(credentialFindings(`line one\n${leak}`, [known]), leak).toEqual([
        { kind: "known-secret", line: 2 },
      ]);
    }
    expect(credentialFindings("an ordinary body with no secret", [known])).toEqual([]);
    expect(secretForms("short")).toEqual([]);
  });

  it("a hit replaces the whole text by a notice that says where, never what", () => {
    const out = publishable(`intro\n\nGH=${token}`, { what: "comment" });
    expect(out).not.toContain(token);
    expect(out).not.toContain(token.slice(4, 12));
    expect(out).toMatch(/withheld this comment: .*credential \(github-token; line 3 of the text\)/);
    expect(publishable("fine", { what: "comment" })).toBe("fine");
  });
});
