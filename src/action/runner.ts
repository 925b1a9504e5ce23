/**
 * The runner's workflow commands, written directly (the protocol `@actions/core` implements, with the
 * same escaping): inputs from `INPUT_*`, `::add-mask::`, annotations, outputs and the step summary
 * through their files. `@actions/core` is not imported because it loads an HTTP client (undici, for
 * OIDC) that costs ~70 ms at every start; `@actions/artifact` is imported only when uploading.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { EOL } from "node:os";
import type { Logger } from "../engine/logger.ts";
import type { ActionIO, AnnotationProps } from "./io.ts";

type Env = Record<string, string | undefined>;
type Write = (line: string) => void;

const stdout: Write = (line) => process.stdout.write(line + EOL);

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** `::name key=value,…::message`. */
export function command(
  name: string,
  props: Record<string, string | number | undefined>,
  message: string,
): string {
  const list = Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
  return `::${name}${list.length > 0 ? ` ${list.join(",")}` : ""}::${escapeData(message)}`;
}

/** `name<<delimiter` … `delimiter`, for `GITHUB_OUTPUT` (multi-line safe). */
export function keyValueMessage(key: string, value: string): string {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (key.includes(delimiter) || value.includes(delimiter))
    throw new Error("unexpected delimiter in an output");
  return `${key}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

export function inputName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

function annotationProps(p: AnnotationProps = {}): Record<string, string | number | undefined> {
  return { title: p.title, file: p.file, line: p.startLine, col: p.startColumn };
}

export function runnerLogger(write: Write = stdout): Logger {
  return {
    debug: (m) => write(command("debug", {}, m)),
    info: (m) => write(m),
    warn: (m) => write(command("warning", {}, m)),
    error: (m) => write(command("error", {}, m)),
  };
}

export function runnerIO(env: Env = process.env, write: Write = stdout): ActionIO {
  return {
    getInput: (name) => (env[inputName(name)] ?? "").trim(),
    setSecret: (secret) => write(command("add-mask", {}, secret)),
    setOutput(name, value) {
      const file = env.GITHUB_OUTPUT;
      if (file) appendFileSync(file, keyValueMessage(name, value));
      else write(command("set-output", { name }, value));
    },
    async appendSummary(markdown) {
      const file = env.GITHUB_STEP_SUMMARY;
      if (file) await appendFile(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
      else write(markdown);
    },
    annotate(level, message, props) {
      write(command(level, annotationProps(props), message));
    },
    logger: runnerLogger(write),
    async uploadArtifact(name, files, rootDirectory) {
      if (!env.ACTIONS_RUNTIME_TOKEN) {
        throw new Error(
          "ACTIONS_RUNTIME_TOKEN is not set: artifacts can only be uploaded inside a GitHub Actions job",
        );
      }
      const { DefaultArtifactClient } = await import("@actions/artifact");
      const r = await new DefaultArtifactClient().uploadArtifact(name, files, rootDirectory);
      return r.id !== undefined ? { id: r.id } : {};
    },
  };
}
