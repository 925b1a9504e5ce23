/**
 * Reads Claude Code's `--output-format stream-json` output line by line, turns it into AgentEvents
 * and keeps what the final result needs. Message shapes (checked against 2.1.x):
 *   {type:"system", subtype:"init", session_id, model, tools[], permissionMode, claude_code_version}
 *   {type:"assistant", message:{content:[text|tool_use]}, error?: "authentication_failed"|"rate_limit"|…}
 *   {type:"user", message:{content:[tool_result]}}
 *   {type:"system", subtype:"api_retry", attempt, max_retries, retry_delay_ms, error_status, error}
 *   {type:"system", subtype:"permission_denied", tool_name, message}
 *   {type:"result", subtype:"success"|"error_max_turns"|"error_max_budget_usd"|"error_during_execution",
 *    is_error, result, num_turns, total_cost_usd, permission_denials[], api_error_status, errors[]}
 */
import { isAbsolute, relative } from "node:path";
import { oneLine, truncate } from "./output.ts";
import type { AgentEvent, PermissionDenial } from "./types.ts";

export interface ClaudeResultMessage {
  subtype: string;
  isError: boolean;
  text: string;
  numTurns?: number;
  costUsd?: number;
  sessionId?: string;
  apiErrorStatus?: number;
  errors: string[];
  permissionDenials: PermissionDenial[];
}

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;

/** A short description of a tool call for progress lines: `Edit README.md`, `Bash: npm test`. */
export function describeToolUse(tool: string, input: unknown, cwd?: string): string {
  const args = obj(input) ?? {};
  const path = str(args.file_path) ?? str(args.notebook_path) ?? str(args.path);
  const shown = (p: string) => {
    if (!cwd || !isAbsolute(p)) return p;
    const rel = relative(cwd, p);
    return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : p;
  };
  const command = str(args.command);
  if (command !== undefined) return `${tool}: ${oneLine(command.split("\n")[0] ?? "", 100)}`;
  if (
    path !== undefined &&
    (tool === "Read" || tool === "Write" || tool === "Edit" || tool === "NotebookEdit")
  ) {
    return `${tool} ${shown(path)}`;
  }
  const pattern = str(args.pattern);
  if (pattern !== undefined) return `${tool} ${oneLine(pattern, 80)}${path ? ` in ${shown(path)}` : ""}`;
  const detail = str(args.url) ?? str(args.query) ?? str(args.description) ?? str(args.prompt);
  return detail ? `${tool}: ${oneLine(detail, 100)}` : tool;
}

export class ClaudeStreamParser {
  readonly #cwd: string | undefined;
  sessionId: string | undefined;
  model: string | undefined;
  result: ClaudeResultMessage | undefined;
  /** `error` of the last assistant message (set on synthetic error messages). */
  lastAssistantError: string | undefined;
  /** The last text the assistant produced, in case no result line arrives. */
  lastText: string | undefined;
  lastRetry: { status?: number; error?: string } | undefined;
  nonJsonLines = 0;
  lastNonJsonLine: string | undefined;

  constructor(cwd?: string) {
    this.#cwd = cwd;
  }

  /** Parses one stdout line; returns the events it carries (possibly none). */
  handleLine(line: string, truncated = false): AgentEvent[] {
    const trimmed = line.trim();
    if (!trimmed) return [];
    if (truncated || !trimmed.startsWith("{")) return this.#nonJson(trimmed);
    let message: Json | undefined;
    try {
      message = obj(JSON.parse(trimmed));
    } catch {
      return this.#nonJson(trimmed);
    }
    if (!message) return this.#nonJson(trimmed);
    switch (message.type) {
      case "system":
        return this.#system(message);
      case "assistant":
        return this.#assistant(message);
      case "user":
        return this.#user(message);
      case "result":
        return this.#result(message);
      default:
        return [];
    }
  }

  #nonJson(line: string): AgentEvent[] {
    this.nonJsonLines++;
    this.lastNonJsonLine = oneLine(line, 300);
    return [];
  }

  #system(m: Json): AgentEvent[] {
    if (m.subtype === "init") {
      this.sessionId = str(m.session_id) ?? this.sessionId;
      this.model = str(m.model) ?? this.model;
      const tools = Array.isArray(m.tools) ? m.tools.filter((t): t is string => typeof t === "string") : [];
      return [
        {
          type: "init",
          sessionId: this.sessionId,
          model: this.model,
          tools,
          permissionMode: str(m.permissionMode),
          version: str(m.claude_code_version),
        },
      ];
    }
    if (m.subtype === "api_retry") {
      const status = num(m.error_status);
      this.lastRetry = { status, error: str(m.error) };
      return [
        {
          type: "api_retry",
          attempt: num(m.attempt) ?? 0,
          maxRetries: num(m.max_retries),
          delayMs: num(m.retry_delay_ms),
          status,
          error: str(m.error),
        },
      ];
    }
    if (m.subtype === "permission_denied") {
      return [
        { type: "permission_denied", tool: str(m.tool_name) ?? "?", message: oneLine(str(m.message) ?? "") },
      ];
    }
    return [];
  }

  #assistant(m: Json): AgentEvent[] {
    const message = obj(m.message);
    this.lastAssistantError = str(m.error);
    if (message && str(message.model) !== "<synthetic>") this.model = str(message.model) ?? this.model;
    const events: AgentEvent[] = [];
    const content = Array.isArray(message?.content) ? message.content : [];
    for (const raw of content) {
      const block = obj(raw);
      if (block?.type === "text") {
        const text = str(block.text) ?? "";
        if (text.trim()) {
          this.lastText = text;
          events.push({ type: "text", text });
        }
      } else if (block?.type === "tool_use") {
        const tool = str(block.name) ?? "?";
        events.push({
          type: "tool_use",
          tool,
          id: str(block.id),
          description: describeToolUse(tool, block.input, this.#cwd),
        });
      }
    }
    return events;
  }

  #user(m: Json): AgentEvent[] {
    const content = obj(m.message)?.content;
    if (!Array.isArray(content)) return [];
    const events: AgentEvent[] = [];
    for (const raw of content) {
      const block = obj(raw);
      if (block?.type === "tool_result") {
        events.push({ type: "tool_result", id: str(block.tool_use_id), isError: block.is_error === true });
      }
    }
    return events;
  }

  #result(m: Json): AgentEvent[] {
    const denials = Array.isArray(m.permission_denials) ? m.permission_denials : [];
    const result: ClaudeResultMessage = {
      subtype: str(m.subtype) ?? "unknown",
      isError: m.is_error === true,
      text: str(m.result) ?? "",
      numTurns: num(m.num_turns),
      costUsd: num(m.total_cost_usd),
      sessionId: str(m.session_id),
      apiErrorStatus: num(m.api_error_status),
      errors: Array.isArray(m.errors) ? m.errors.map((e) => oneLine(String(e), 300)).slice(0, 10) : [],
      permissionDenials: denials.slice(0, 100).map((d) => {
        const denial = obj(d) ?? {};
        const tool = str(denial.tool_name) ?? "?";
        return { tool, description: truncate(describeToolUse(tool, denial.tool_input, this.#cwd), 200) };
      }),
    };
    this.result = result;
    this.sessionId = result.sessionId ?? this.sessionId;
    return [
      {
        type: "result",
        subtype: result.subtype,
        isError: result.isError,
        numTurns: result.numTurns,
        costUsd: result.costUsd,
      },
    ];
  }
}
