/**
 * A scripted Anthropic Messages API server for tests: the real Claude Code CLI talks to it through
 * `ANTHROPIC_BASE_URL`. Each "main" request (the agent loop: a request that carries tools) consumes
 * one scripted turn; side requests (no tools: titles, topic checks, quota probes) and
 * `count_tokens` are answered without consuming turns. Every request is recorded.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface ToolCall {
  tool: string;
  input: Record<string, unknown>;
}

/** Fields every turn accepts. `delayMs` waits before answering. */
interface TurnBase {
  delayMs?: number;
}

export type Turn = TurnBase &
  (
    | { tool: string; input: Record<string, unknown>; text?: string }
    | { tools: ToolCall[]; text?: string }
    | { text: string }
    | { status: number; retryAfter?: number; message?: string }
    | { hang: true }
    | { garbage: true }
    | { truncate: true }
    | { delayMs: number }
  );

export interface ModelRequest {
  /** 0-based index of this main request (the turn it asks for). */
  index: number;
  body: MessagesBody;
  /** The tool results the CLI sent back in its last user message, by tool_use id order. */
  toolResults: ToolResult[];
}

export interface ToolResult {
  toolUseId: string;
  isError: boolean;
  text: string;
}

/** A list of turns, or a function of the request (may be async, e.g. to wait for a side effect). */
export type Scenario = readonly Turn[] | ((req: ModelRequest) => Turn | Promise<Turn>);

export interface MessagesBody {
  model?: string;
  stream?: boolean;
  max_tokens?: number;
  system?: unknown;
  tools?: { name: string }[];
  messages?: { role: string; content: unknown }[];
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  kind: "main" | "side" | "count_tokens" | "probe" | "other";
  body: MessagesBody | undefined;
}

export interface ModelServer {
  url: string;
  requests: RecordedRequest[];
  /** The main (agent loop) requests only, in order. */
  readonly mainRequests: RecordedRequest[];
  close(): Promise<void>;
}

export interface ModelServerOptions {
  /** The answer used when an array scenario has no turns left. Default: `{ text: "done" }`. */
  whenExhausted?: Turn;
  /** Text for side requests (title, topic, quota). */
  sideText?: string;
  /** How long `hang` waits between keep-alive pings. */
  hangPingMs?: number;
  /**
   * A new connection is usable this long after it is opened, as if DNS, TCP and TLS to a remote API
   * took that long: requests on it are answered no earlier. Default 0 (loopback).
   */
  connectMs?: number;
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

const ERROR_MESSAGES: Record<number, string> = {
  401: "invalid x-api-key",
  429: "Number of request tokens has exceeded your per-minute rate limit",
  529: "Overloaded",
  500: "Internal server error",
};

/** Repeats a turn `n` times (or use a function scenario to repeat forever). */
export function repeat(turn: Turn, n: number): Turn[] {
  return Array.from({ length: n }, () => turn);
}

export async function startModelServer(
  scenario: Scenario,
  options: ModelServerOptions = {},
): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let mainIndex = 0;
  let closed = false;

  const nextTurn = (body: MessagesBody): Turn | Promise<Turn> => {
    const index = mainIndex++;
    if (typeof scenario === "function") {
      return scenario({ index, body, toolResults: lastToolResults(body) });
    }
    const list = scenario as readonly Turn[];
    return list[index] ?? options.whenExhausted ?? { text: "done" };
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const path = req.url ?? "/";
    const pathname = path.split("?")[0] ?? "/";
    let body: MessagesBody | undefined;
    try {
      body = raw ? (JSON.parse(raw) as MessagesBody) : undefined;
    } catch {
      body = undefined;
    }
    const record = (kind: RecordedRequest["kind"]) =>
      requests.push({ method: req.method ?? "", path, headers: req.headers, kind, body });

    if (req.method === "HEAD" || (req.method === "GET" && pathname === "/")) {
      record("probe");
      // with its length, as HTTP servers answer HEAD: node's client keeps such a connection open
      res.writeHead(200, { "content-length": "0" }).end();
      return;
    }
    if (req.method === "POST" && pathname === "/v1/messages/count_tokens") {
      record("count_tokens");
      sendJson(res, 200, { input_tokens: estimateTokens(raw) });
      return;
    }
    if (req.method !== "POST" || pathname !== "/v1/messages" || !body) {
      record("other");
      sendJson(res, 404, apiError(404, `no route for ${req.method} ${pathname}`));
      return;
    }
    const isMain = Array.isArray(body.tools) && body.tools.length > 0;
    record(isMain ? "main" : "side");
    const turn: Turn = isMain ? await nextTurn(body) : { text: options.sideText ?? sideAnswer(body) };
    if (turn.delayMs) await sleep(turn.delayMs);
    if (closed) return;
    await answer(res, body, raw, turn);
  };

  const answer = async (res: ServerResponse, body: MessagesBody, raw: string, turn: Turn) => {
    const model = body.model ?? "claude-test";
    const messageId = `msg_${randomId()}`;
    if ("status" in turn) {
      const headers: Record<string, string> = { "request-id": `req_${randomId()}` };
      if (turn.retryAfter !== undefined) headers["retry-after"] = String(turn.retryAfter);
      if (turn.status === 429 || turn.status === 529 || turn.status >= 500) {
        headers["x-should-retry"] = "true";
      }
      sendJson(res, turn.status, apiError(turn.status, turn.message), headers);
      return;
    }
    if ("garbage" in turn) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("this is not an event stream\n{{{{ ]]\nevent: nonsense\ndata: {not json\n\n");
      return;
    }
    const inputTokens = estimateTokens(raw);
    const blocks = contentBlocks(turn);
    if (!body.stream) {
      sendJson(res, 200, {
        id: messageId,
        type: "message",
        role: "assistant",
        model,
        content: blocks.map((b) => (b.type === "text" ? b : { ...b, input: b.input })),
        stop_reason: blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn",
        stop_sequence: null,
        usage: usage(inputTokens, outputTokens(blocks)),
      });
      return;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "request-id": `req_${randomId()}`,
    });
    const event = (type: string, data: Record<string, unknown>) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    event("message_start", {
      message: {
        id: messageId,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usage(inputTokens, 1),
      },
    });
    if ("hang" in turn) {
      const ping = setInterval(() => {
        if (!res.destroyed) event("ping", {});
      }, options.hangPingMs ?? 1000);
      timers.add(ping);
      res.on("close", () => {
        clearInterval(ping);
        timers.delete(ping);
      });
      return;
    }
    if ("truncate" in turn) {
      event("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
      event("content_block_delta", { index: 0, delta: { type: "text_delta", text: "I will start by" } });
      // Cut the connection mid-message: no content_block_stop, no message_stop.
      res.socket?.destroy();
      return;
    }
    blocks.forEach((block, index) => {
      if (block.type === "text") {
        event("content_block_start", { index, content_block: { type: "text", text: "" } });
        for (const chunk of chunks(block.text, 40)) {
          event("content_block_delta", { index, delta: { type: "text_delta", text: chunk } });
        }
      } else {
        event("content_block_start", {
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        });
        for (const chunk of chunks(JSON.stringify(block.input), 64)) {
          event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: chunk } });
        }
      }
      event("content_block_stop", { index });
    });
    const stopReason = blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";
    event("message_delta", {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: outputTokens(blocks) },
    });
    event("message_stop", {});
    res.end();
  };

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", async () => {
      await handshakes.get(req.socket);
      handle(req, res, Buffer.concat(parts).toString("utf8")).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, apiError(500, `test server bug: ${String(err)}`));
        else res.destroy();
      });
    });
  });
  const handshakes = new WeakMap<Socket, Promise<void>>();
  server.on("connection", (socket) => {
    if (options.connectMs) handshakes.set(socket, sleep(options.connectMs));
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("model server has no TCP address");

  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    get mainRequests() {
      return requests.filter((r) => r.kind === "main");
    },
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Block =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

function contentBlocks(turn: Turn): Block[] {
  const blocks: Block[] = [];
  const text = "text" in turn ? turn.text : undefined;
  if (text) blocks.push({ type: "text", text });
  const calls: ToolCall[] = "tools" in turn ? turn.tools : "tool" in turn ? [turn] : [];
  for (const call of calls) {
    blocks.push({ type: "tool_use", id: `toolu_${randomId()}`, name: call.tool, input: call.input });
  }
  if (blocks.length === 0) blocks.push({ type: "text", text: "done" });
  return blocks;
}

/** Picks a plausible answer for a side request: JSON when the prompt asks for JSON, else a short title. */
function sideAnswer(body: MessagesBody): string {
  const prompt = JSON.stringify(body.system ?? "") + JSON.stringify(body.messages ?? "");
  if (/isNewTopic/.test(prompt)) return JSON.stringify({ isNewTopic: false, title: null });
  if (/\bJSON\b/i.test(prompt)) return JSON.stringify({ title: "Test task" });
  return "Test task";
}

/** The tool_result blocks of the last user message. */
export function lastToolResults(body: MessagesBody): ToolResult[] {
  const messages = body.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== "user" || !Array.isArray(m.content)) continue;
    const results: ToolResult[] = [];
    for (const block of m.content as Record<string, unknown>[]) {
      if (block.type !== "tool_result") continue;
      results.push({
        toolUseId: String(block.tool_use_id),
        isError: block.is_error === true,
        text: resultText(block.content),
      });
    }
    if (results.length > 0) return results;
    return [];
  }
  return [];
}

function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((c: { type?: string; text?: string }) => (c.type === "text" ? (c.text ?? "") : ""))
      .join("");
  }
  return "";
}

function usage(input: number, output: number) {
  return {
    input_tokens: input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: output,
    service_tier: "standard",
  };
}

function estimateTokens(raw: string): number {
  return Math.max(1, Math.ceil(raw.length / 4));
}

function outputTokens(blocks: Block[]): number {
  const size = blocks.reduce(
    (n, b) => n + (b.type === "text" ? b.text.length : JSON.stringify(b.input).length + 20),
    0,
  );
  return Math.max(1, Math.ceil(size / 4));
}

function chunks(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out.length ? out : [""];
}

function apiError(status: number, message?: string) {
  return {
    type: "error",
    error: {
      type: ERROR_TYPES[status] ?? "api_error",
      message: message ?? ERROR_MESSAGES[status] ?? `error ${status}`,
    },
  };
}

function sendJson(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(data));
}

function randomId(): string {
  return randomBytes(12).toString("hex");
}
