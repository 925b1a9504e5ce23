/**
 * The model-key proxy: the sandboxed Claude Code talks to the Messages API through this loopback
 * server, which adds the real credential on the way out. The agent gets `ANTHROPIC_BASE_URL` (with a
 * random path prefix) and a placeholder of the same kind, so the CLI sends the same auth style and
 * beta headers as it would with the real credential, and the credential itself never enters the
 * sandbox (its environment, its files, its `/proc`).
 *
 * Hand-written on node's `http`/`https` rather than a proxy package: measured, `http-proxy-3` (the
 * maintained fork of the unmaintained `http-proxy`) bundles to ~36 KB with `debug` and
 * `follow-redirects`, for WebSocket and redirect-following features we must not have (a followed
 * redirect would carry the credential to another host), while what we need — strip and set two
 * headers, check a prefix, pipe both ways, never put the credential in an error — is this file.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream";
import { nodeHttp, nodeHttps } from "../node-builtin.ts";
import { CREDENTIAL_VARIABLE, type ModelCredential } from "./credentials.ts";

export { type ModelCredential, modelCredentialFrom } from "./credentials.ts";

export interface ModelProxy {
  /** `http://127.0.0.1:PORT/<random-nonce>`: requests without the nonce prefix get 403. */
  readonly baseUrl: string;
  /**
   * What the sandboxed Claude Code gets instead of the credential: `ANTHROPIC_BASE_URL=baseUrl` and a
   * placeholder of the same kind, nothing else.
   */
  readonly agentEnv: Record<string, string>;
  /** Requests forwarded so far (for tests and reports). */
  readonly requests: number;
  /**
   * Opens the way out (DNS, TCP, TLS) now and keeps it for the first request; once per proxy, later
   * calls do nothing. Call it when an agent starts: Claude Code does this itself (`HEAD
   * <base>/api/hello`, no credential) unless nonessential traffic is off, which is how the engine
   * starts it, so the proxy makes the same request in its place while the agent boots, and the first
   * model request does not wait for a handshake with the API.
   */
  preconnect(): void;
  close(): Promise<void>;
}

export const DEFAULT_UPSTREAM = "https://api.anthropic.com";

/** Stands in for the credential inside the sandbox; shaped like the real kind, worthless anywhere. */
const PLACEHOLDER: Record<ModelCredential["kind"], string> = {
  "api-key": "sk-ant-api03-claude-tasks-proxy-placeholder",
  oauth: "sk-ant-oat01-claude-tasks-proxy-placeholder",
  "auth-token": "claude-tasks-proxy-placeholder",
};

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus what we set ourselves. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
const REQUEST_DROPPED = new Set(["host", "expect", "x-api-key", "authorization"]);

export async function startModelProxy(opts: {
  credential: ModelCredential;
  /** Upstream base URL: the engine's own ANTHROPIC_BASE_URL if set, else https://api.anthropic.com */
  upstream?: string;
  /**
   * `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` for the way out, as Claude Code would honour them (node's
   * built-in proxy support, node 24.5 and later). Default: the engine's own `process.env`.
   */
  proxyEnv?: Record<string, string | undefined>;
}): Promise<ModelProxy> {
  const { credential } = opts;
  if (!credential.value) throw new Error("model proxy: the credential is empty");
  const upstream = new URL(opts.upstream || DEFAULT_UPSTREAM);
  if (upstream.protocol !== "https:" && upstream.protocol !== "http:") {
    throw new Error(`model proxy: upstream must be an http(s) URL, not ${upstream.protocol}`);
  }
  if (upstream.username || upstream.password) {
    throw new Error("model proxy: the upstream URL must not carry a user name or password");
  }
  // Loaded here, not at import: a run that never starts the proxy does not pay for them (see node-builtin.ts)
  const http = await nodeHttp();
  const secure = upstream.protocol === "https:";
  const https = secure ? await nodeHttps() : undefined;
  const agentOptions = { keepAlive: true, proxyEnv: proxyVariables(opts.proxyEnv ?? process.env) };
  const agent = https ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const upstreamPrefix = upstream.pathname.replace(/\/+$/, "");
  const nonce = randomBytes(24).toString("base64url");
  let requests = 0;

  const upstreamRequest = (
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    signal?: AbortSignal,
  ) =>
    (https ?? http).request({
      protocol: upstream.protocol,
      hostname: upstream.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: upstream.port || undefined,
      method,
      path,
      headers,
      agent,
      ...(signal ? { signal } : {}),
    });
  let preconnected = false;
  const preconnect = () => {
    if (preconnected) return;
    preconnected = true;
    // Nothing of the credential, and nothing of the answer is used: the connection goes back to the
    // pool when the (empty) answer ends. A failure here is the first request's to report.
    const warm = upstreamRequest("HEAD", upstreamPath(upstreamPrefix, "/api/hello"), {});
    warm.on("response", (res) => res.resume());
    warm.on("error", () => {});
    warm.end();
  };

  const authHeaders: Record<string, string> =
    credential.kind === "api-key"
      ? { "x-api-key": credential.value }
      : { authorization: `Bearer ${credential.value}` };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const rest = afterNonce(req.url ?? "", nonce);
    if (rest === undefined) {
      sendError(res, 403, "permission_error", "claude-tasks model proxy: unknown path");
      req.resume();
      return;
    }
    if (hasDotSegment(rest)) {
      sendError(res, 400, "invalid_request_error", "claude-tasks model proxy: bad path");
      req.resume();
      return;
    }
    requests++;
    const controller = new AbortController();
    const out = upstreamRequest(
      req.method ?? "GET",
      upstreamPath(upstreamPrefix, rest),
      { ...requestHeaders(req.headers), ...authHeaders },
      controller.signal,
    );
    out.on("response", (up) => {
      res.writeHead(up.statusCode ?? 502, up.statusMessage, responseHeaders(up.headers, credential.value));
      // Headers go out now, so a slow first event does not hold them back.
      res.flushHeaders();
      pipeline(up, res, () => {});
    });
    out.on("error", (err: NodeJS.ErrnoException) => {
      if (controller.signal.aborted) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Only the error code: a message could quote the request, and so the credential.
      const code = /^[A-Z0-9_]{1,40}$/.test(err.code ?? "") ? ` (${err.code})` : "";
      sendError(res, 502, "api_error", `claude-tasks model proxy: upstream unreachable${code}`);
    });
    // A client that goes away takes its upstream request with it.
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    // `pipe`, not `pipeline`: an upstream error must not destroy the client's socket before the 502.
    req.pipe(out);
    req.on("error", () => controller.abort());
  };

  // Idle keep-alive connections stay open longer than any client's own idle timeout, so a client
  // never reuses a connection the proxy is just closing.
  const server = http.createServer({ keepAliveTimeout: 120_000 }, handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("model proxy has no TCP address");
  const baseUrl = `http://127.0.0.1:${address.port}/${nonce}`;

  return {
    baseUrl,
    agentEnv: {
      ANTHROPIC_BASE_URL: baseUrl,
      [CREDENTIAL_VARIABLE[credential.kind]]: PLACEHOLDER[credential.kind],
    },
    get requests() {
      return requests;
    },
    preconnect,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];

/** Only the proxy settings of an environment: the HTTP agent needs nothing else of it. */
function proxyVariables(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}

/** The path and query after `/<nonce>`, or undefined when the request does not start with it. */
function afterNonce(url: string, nonce: string): string | undefined {
  if (!url.startsWith("/")) return undefined;
  const end = url.slice(1).search(/[/?]/);
  const segment = end === -1 ? url.slice(1) : url.slice(1, end + 1);
  const given = Buffer.from(segment);
  const wanted = Buffer.from(nonce);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return undefined;
  return url.slice(1 + segment.length);
}

/** The upstream's base path joined with the rest of the request's path and query. */
function upstreamPath(prefix: string, rest: string): string {
  const path = rest.startsWith("/") ? rest : `/${rest}`;
  return prefix + path;
}

/** `.` or `..` path segments (also percent-encoded) could climb out of the upstream's base path. */
function hasDotSegment(rest: string): boolean {
  const path = rest.split("?")[0] ?? "";
  return path.split("/").some((segment) => {
    try {
      const s = decodeURIComponent(segment);
      return s === "." || s === "..";
    } catch {
      return true;
    }
  });
}

/** Hop-by-hop headers, including those the `Connection` header names. */
function hopByHop(headers: IncomingHttpHeaders): Set<string> {
  const named = String(headers.connection ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return new Set([...HOP_BY_HOP, ...named]);
}

function requestHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const drop = hopByHop(headers);
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!drop.has(name) && !REQUEST_DROPPED.has(name)) out[name] = value;
  }
  return out;
}

/** The upstream's headers minus hop-by-hop ones, and minus any that would echo the credential. */
function responseHeaders(headers: IncomingHttpHeaders, secret: string): IncomingHttpHeaders {
  const drop = hopByHop(headers);
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (drop.has(name) || value === undefined) continue;
    if ((Array.isArray(value) ? value : [value]).some((v) => v.includes(secret))) continue;
    out[name] = value;
  }
  return out;
}

/** An error in the Messages API's own shape, so the CLI reports it as it would any API error. */
function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ type: "error", error: { type, message } });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
