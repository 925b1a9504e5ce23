/**
 * Credentials in a diff: only added lines are scanned, and a finding names the rule, file and line —
 * never the secret, not even part of it. Every rule keys on a provider's fixed prefix or on an
 * assignment context, and matches that look like placeholders (`XXXX…`, `EXAMPLE`, `abcdef…`,
 * low variety) are ignored, so hashes, UUIDs, base64 images and lockfile integrity strings do not hit.
 *
 * What a reader could decode counts too: each line is also read reversed, base64 runs that contain
 * the base64 form of a known prefix (at any of the three byte alignments) are decoded and scanned, and
 * a line is joined with the next where a token could have been split between them. Binary files'
 * bytes (and the same without NUL bytes: UTF-16), file names and symlink targets are scanned by
 * `runGuards` through the same rules.
 */
import { diffPath } from "../git/diff-text.ts";
import { code, type Violation } from "./types.ts";

export interface SecretFinding extends Violation {
  rule: `secret.${string}`;
  file: string;
  line: number;
}

interface Rule {
  id: string;
  /** What it is, for the message ("a GitHub token"). */
  what: string;
  pattern: RegExp;
  /** The part of the match that must not look like a placeholder (default: the whole match). */
  group?: number;
  /** Extra check on the match; `next` gives the following added lines of the same file. */
  confirm?: (m: RegExpExecArray, next: (k: number) => string | undefined) => boolean;
}

const B64 = "A-Za-z0-9+/";

const RULES: Rule[] = [
  {
    id: "github-token",
    what: "a GitHub token",
    pattern: /(?<![A-Za-z0-9_])gh[pousr]_([A-Za-z0-9]{36,251})(?![A-Za-z0-9_])/g,
    group: 1,
  },
  {
    id: "github-token",
    what: "a GitHub token",
    pattern: /(?<![A-Za-z0-9_])github_pat_([A-Za-z0-9]{20,30}_[A-Za-z0-9]{50,70})(?![A-Za-z0-9_])/g,
    group: 1,
  },
  {
    id: "anthropic-key",
    what: "an Anthropic API key",
    pattern: /(?<![A-Za-z0-9_-])sk-ant-[a-z]{2,8}\d{2}-([A-Za-z0-9_-]{40,})/g,
    group: 1,
  },
  {
    id: "openai-key",
    what: "an OpenAI API key",
    pattern:
      /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-([A-Za-z0-9_-]{40,})|([A-Za-z0-9_-]{8,}T3BlbkFJ[A-Za-z0-9_-]{8,})|([A-Za-z0-9]{48})(?![A-Za-z0-9_-]))/g,
  },
  {
    id: "aws-access-key-id",
    what: "an AWS access key id",
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)([A-Z2-7]{16})(?![A-Za-z0-9])/g,
    group: 1,
  },
  {
    id: "aws-secret-access-key",
    what: "an AWS secret access key",
    pattern: new RegExp(
      `(?:aws[\\w.-]{0,20}?secret[\\w.-]{0,20}?|secret[_.-]?access[_.-]?key)["'\\]]?\\s*(?::=|=>|[:=])\\s*["']?([${B64}]{40})(?![${B64}=])`,
      "gi",
    ),
    group: 1,
  },
  {
    id: "slack-token",
    what: "a Slack token",
    pattern: /(?<![A-Za-z0-9])xox[abposr]-(\d{4,}-[A-Za-z0-9-]{10,})/g,
    group: 1,
  },
  {
    id: "slack-webhook",
    what: "a Slack webhook URL",
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9+/_-]{20,})/g,
    group: 1,
  },
  {
    id: "stripe-key",
    what: "a Stripe live key",
    pattern: /(?<![A-Za-z0-9])(?:sk|rk)_live_([A-Za-z0-9]{20,})/g,
    group: 1,
  },
  {
    id: "google-api-key",
    what: "a Google API key",
    pattern: /(?<![A-Za-z0-9_-])AIza([0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
    group: 1,
  },
  {
    id: "private-key",
    what: "a private key",
    pattern: /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g,
    confirm: (m, next) => {
      // Key material must follow: on the same line (an escaped "\n" in a string) or the next lines.
      const rest = m.input.slice(m.index + m[0].length).replace(/\\[nr]/g, " ");
      if (new RegExp(`^[\\s"'+,]*[${B64}]{40,}`).test(rest)) return true;
      for (let k = 1; k <= 4; k++) {
        const line = next(k);
        if (line === undefined) return false;
        if (new RegExp(`^[\\s"'+]*[${B64}]{40,}`).test(line)) return true;
        if (!/^\s*(?:[A-Za-z-]+:.*)?\s*$/.test(line)) return false; // "Proc-Type:", blank lines
      }
      return false;
    },
  },
  {
    id: "jwt",
    what: "a JSON Web Token",
    pattern:
      /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,})\.eyJ[A-Za-z0-9_-]{10,}\.([A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
    group: 2,
    confirm: (m) => {
      try {
        const header = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8")) as unknown;
        return typeof header === "object" && header !== null && ("alg" in header || "typ" in header);
      } catch {
        return false;
      }
    },
  },
  {
    id: "npm-token",
    what: "an npm token",
    pattern: /(?<![A-Za-z0-9_])npm_([A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    group: 1,
  },
];

/** The literal prefixes and contexts the rules key on; `QUICK` and its encoded forms come from them. */
const PREFIXES = [
  ..."pousr".split("").map((c) => `gh${c}_`),
  "github_pat_",
  "sk-",
  "AKIA",
  "ASIA",
  "ABIA",
  "ACCA",
  "secret",
  "Secret",
  "SECRET",
  ..."abposr".split("").map((c) => `xox${c}-`),
  "hooks.slack.com",
  "_live_",
  "AIza",
  "PRIVATE KEY",
  "eyJ",
  "npm_",
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Cheap pre-check: a line that contains none of these cannot match any rule. */
const QUICK =
  /gh[pousr]_|github_pat_|sk-|AKIA|ASIA|ABIA|ACCA|[Ss][Ee][Cc][Rr][Ee][Tt]|xox[abposr]-|hooks\.slack\.com|_live_|AIza|PRIVATE KEY|eyJ|npm_/;
/** The same, for a line written backwards. */
const QUICK_REVERSED = new RegExp(
  [
    ...PREFIXES.filter((p) => !/secret/i.test(p)).map((p) => escapeRe([...p].reverse().join(""))),
    "[Tt][Ee][Rr][Cc][Ee][Ss]",
  ].join("|"),
);
/** Longer forms of short prefixes, for their base64 forms. */
const BASE64_ONLY = ["sk-ant-", "sk-proj-", "sk-svcacct-", "sk-admin-", "T3BlbkFJ"];

/**
 * The base64 forms of the prefixes at each of the three byte alignments (only the characters that do
 * not depend on the neighbouring bytes). Prefixes shorter than 4 bytes are left out: their forms are
 * too short to tell anything apart.
 */
const QUICK_BASE64 = new RegExp(
  [
    ...new Set(
      [...PREFIXES, ...BASE64_ONLY]
        .filter((p) => p.length >= 4)
        .flatMap((p) =>
          [0, 1, 2].map((k) => {
            const enc = Buffer.concat([Buffer.alloc(k), Buffer.from(p)]).toString("base64");
            return enc.slice(Math.ceil((k * 8) / 6), Math.floor(((k + p.length) * 8) / 6));
          }),
        ),
    ),
  ]
    .map(escapeRe)
    .join("|"),
);
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
/** Any of the three: a line that matches none has no form worth decoding. */
const QUICK_ANY = new RegExp([QUICK.source, QUICK_REVERSED.source, QUICK_BASE64.source].join("|"));

/** Values published as examples in documentation (e.g. the jwt.io sample token's signature). */
const KNOWN_EXAMPLES = new Set(["SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"]);

/** A value that reads like a placeholder rather than a generated credential. */
export function looksLikePlaceholder(value: string): boolean {
  if (KNOWN_EXAMPLES.has(value)) return true;
  if (/(.)\1{5,}/.test(value)) return true; // XXXXXX, 000000
  if (/example|sample|dummy|placeholder|your|redacted|fake|test|x{4}/i.test(value)) return true;
  const chars = value.replace(/[^A-Za-z0-9]/g, "");
  if (new Set(chars).size < Math.min(10, Math.ceil(chars.length / 2))) return true;
  let runs = 0;
  for (let i = 1; i < chars.length; i++) if (chars.charCodeAt(i) - chars.charCodeAt(i - 1) === 1) runs++;
  return runs > chars.length / 2; // abcdef…, 123456…
}

export interface AddedLine {
  file: string;
  line: number;
  text: string;
}

/** The added lines of a unified diff, with their file and line number in the new version. */
export function addedLines(patch: string): AddedLine[] {
  const out: AddedLine[] = [];
  let file = "";
  let inHunk = false;
  let line = 0;
  for (const raw of patch.split("\n")) {
    if (raw.startsWith("diff --git ")) {
      inHunk = false;
      file = "";
      continue;
    }
    if (raw.startsWith("@@ ")) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
      if (m) {
        inHunk = true;
        line = Number(m[1]);
      }
      continue;
    }
    if (!inHunk) {
      if (raw.startsWith("+++ ")) file = diffPath(raw.slice(4));
      continue;
    }
    const c = raw[0];
    if (c === "+") out.push({ file, line: line++, text: raw.slice(1) });
    else if (c === " " || raw === "") line++;
  }
  return out;
}

/** Scans the added lines of a unified diff (e.g. `Change.patch`) for credentials. */
export function scanSecrets(patch: string | Buffer): SecretFinding[] {
  return scanLines(addedLines(typeof patch === "string" ? patch : patch.toString("utf8")));
}

/** Scans whole text as if every line were added (files, command output). */
export function scanText(text: string, file: string): SecretFinding[] {
  return scanLines(text.split("\n").map((t, i) => ({ file, line: i + 1, text: t })));
}

/** Scans lines given with their file and line number (e.g. a binary file's content). */
export function scanAddedLines(lines: readonly AddedLine[]): SecretFinding[] {
  return scanLines(lines);
}

/** The first credential rule a bit of text (a file name, a link target) matches, or undefined. */
export function credentialIn(text: string): { id: string; what: string } | undefined {
  for (const form of decodedForms(text)) {
    const hit = firstMatch(form.text, () => undefined);
    if (hit) return { id: hit.rule.id, what: hit.rule.what };
  }
  return undefined;
}

/** The line, reversed, and its base64 runs decoded (where they hold an encoded prefix). */
function decodedForms(text: string): { text: string; how?: string }[] {
  const forms: { text: string; how?: string }[] = [{ text }];
  if (QUICK_REVERSED.test(text)) forms.push({ text: [...text].reverse().join(""), how: "reversed" });
  if (QUICK_BASE64.test(text)) {
    for (const m of text.matchAll(BASE64_RUN)) {
      const run = m[0].replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/");
      // The run may start anywhere in the encoding: try every character alignment.
      for (let k = 0; k < 4; k++) {
        const decoded = Buffer.from(run.slice(k), "base64").toString("latin1");
        if (QUICK.test(decoded)) forms.push({ text: decoded, how: "base64-encoded" });
      }
    }
  }
  return forms;
}

function firstMatch(
  text: string,
  next: (k: number) => string | undefined,
): { rule: Rule; index: number; end: number } | undefined {
  if (!QUICK.test(text)) return undefined;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (const m of text.matchAll(rule.pattern)) {
      const value = rule.group !== undefined ? m[rule.group] : m.slice(1).find((g) => g !== undefined);
      if (value !== undefined && looksLikePlaceholder(value)) continue;
      if (rule.confirm && !rule.confirm(m, next)) continue;
      return { rule, index: m.index, end: m.index + m[0].length };
    }
  }
  return undefined;
}

/** Whether `rule` matches `text` at `index`, placeholder or not (a token complete on its line). */
function matchesAt(rule: Rule, text: string, index: number): boolean {
  const re = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace("g", "")}y`);
  re.lastIndex = index;
  return re.test(text);
}

/** Where a token split over two lines would meet: quotes, `+`, `\` and blanks around the break dropped. */
const TAIL = 160;
const HEAD = 400;
const trimTail = (a: string) => a.slice(-TAIL).replace(/[\s"'`+\\,]+$/, "");
const joinAt = (a: string, b: string) => trimTail(a) + b.slice(0, HEAD).replace(/^[\s"'`+]+/, "");

/** Characters dropped at a break: blanks, quotes, `+`, `\`, `,`. */
const isBreakChar = (c: number) =>
  c === 32 || c === 9 || c === 13 || c === 34 || c === 39 || c === 96 || c === 43 || c === 92 || c === 44;
const isTokenChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;

/** Whether the first character past the break characters (from the end: `dir` -1) can be in a token. */
function tokenCharAt(text: string, dir: 1 | -1): boolean {
  let i = dir === 1 ? 0 : text.length - 1;
  while (i >= 0 && i < text.length && isBreakChar(text.charCodeAt(i))) i += dir;
  return i >= 0 && i < text.length && isTokenChar(text.charCodeAt(i));
}

function scanLines(lines: readonly AddedLine[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const seen = new Set<string>();
  const report = (l: AddedLine, rule: Rule, how?: string) => {
    const key = `${rule.id}\0${l.file}\0${l.line}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({
      rule: `secret.${rule.id}`,
      file: l.file,
      line: l.line,
      message: `${code(l.file)} line ${l.line} adds what looks like ${rule.what} (${rule.id}${how ? `, ${how}` : ""})`,
    });
  };
  lines.forEach((l, idx) => {
    const next = (k: number) => {
      const n = lines[idx + k];
      return n && n.file === l.file && n.line === l.line + k ? n.text : undefined;
    };
    const forms = QUICK_ANY.test(l.text) ? decodedForms(l.text) : [];
    for (const form of forms) {
      const nextOf = form.how ? () => undefined : next;
      if (!QUICK.test(form.text)) continue;
      for (const rule of RULES) {
        rule.pattern.lastIndex = 0;
        for (const m of form.text.matchAll(rule.pattern)) {
          const value = rule.group !== undefined ? m[rule.group] : m.slice(1).find((g) => g !== undefined);
          if (value !== undefined && looksLikePlaceholder(value)) continue;
          if (rule.confirm && !rule.confirm(m, nextOf)) continue;
          report(l, rule, form.how);
          break;
        }
      }
    }
    // A token split over this line and the next (only where a prefix could be at the break).
    const following = next(1);
    if (following === undefined) return;
    const tail = l.text.slice(-TAIL);
    const mayJoin =
      (forms.length > 0 && QUICK.test(tail)) ||
      (tokenCharAt(l.text, -1) &&
        tokenCharAt(following, 1) &&
        QUICK.test(joinAt(l.text.slice(-16), following.slice(0, 16))));
    if (!mayJoin) return;
    const joined = joinAt(l.text, following);
    const hit = firstMatch(joined, () => undefined);
    const cut = trimTail(l.text).length;
    // only a match that starts before the break, ends after it, and is not already whole on this line
    if (hit && hit.index < cut && hit.end > cut && !matchesAt(hit.rule, trimTail(l.text), hit.index))
      report(l, hit.rule, "split over two lines");
  });
  return findings;
}
