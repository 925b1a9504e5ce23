/**
 * The model-key proxy on its own: what reaches the upstream (the real credential, nothing the client
 * sent in its place), what comes back (status, headers, bodies unchanged, streamed), and what is
 * refused. The real Claude Code CLI through the proxy is in model-proxy.int.test.ts.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, request, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  type ModelCredential,
  modelCredentialFrom,
  startModelProxy,
} from "../../src/engine/sandbox/model-proxy.ts";
import { type ModelServer, startModelServer } from "../support/model-server.ts";

const SECRET = "sk-ant-api03-REAL-SECRET-unit-0123456789";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function proxyTo(upstream: string, credential: ModelCredential = { kind: "api-key", value: SECRET }) {
  // No proxy variables from the test's own environment: the upstreams here are on loopback.
  const proxy = await startModelProxy({ credential, upstream, proxyEnv: {} });
  cleanups.push(() => proxy.close());
  return proxy;
}

async function scripted(...args: Parameters<typeof startModelServer>): Promise<ModelServer> {
  const server = await startModelServer(...args);
  cleanups.push(() => server.close());
  return server;
}

/** A plain upstream the test controls byte by byte. */
async function rawUpstream(handler: (req: IncomingMessage, res: import("node:http").ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => closeServer(server));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return `http://127.0.0.1:${address.port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with node's client (fetch would hide hop-by-hop details and add its own headers). */
function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString() }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const messagesBody = (stream: boolean) =>
  JSON.stringify({
    model: "claude-test",
    max_tokens: 100,
    stream,
    tools: [{ name: "Write" }],
    messages: [{ role: "user", content: "hi" }],
  });

describe("modelCredentialFrom", () => {
  it("follows Claude Code's precedence: auth token, then API key, then OAuth token; empty means unset", () => {
    const all = { ANTHROPIC_AUTH_TOKEN: "t", ANTHROPIC_API_KEY: "k", CLAUDE_CODE_OAUTH_TOKEN: "o" };
    expect(modelCredentialFrom(all)).toEqual({ kind: "auth-token", value: "t" });
    expect(modelCredentialFrom({ ...all, ANTHROPIC_AUTH_TOKEN: "" })).toEqual({
      kind: "api-key",
      value: "k",
    });
    expect(modelCredentialFrom({ CLAUDE_CODE_OAUTH_TOKEN: "o", ANTHROPIC_API_KEY: undefined })).toEqual({
      kind: "oauth",
      value: "o",
    });
    expect(modelCredentialFrom({ PATH: "/bin", CLAUDE_CODE_USE_BEDROCK: "1" })).toBeUndefined();
  });
});

describe("startModelProxy", () => {
  it("gives the agent only a nonce base URL and a placeholder of the same kind", async () => {
    const kinds: [ModelCredential["kind"], string][] = [
      ["api-key", "ANTHROPIC_API_KEY"],
      ["oauth", "CLAUDE_CODE_OAUTH_TOKEN"],
      ["auth-token", "ANTHROPIC_AUTH_TOKEN"],
    ];
    for (const [kind, variable] of kinds) {
      const proxy = await proxyTo("http://127.0.0.1:9", { kind, value: SECRET });
      expect(proxy.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}$/);
      expect(Object.keys(proxy.agentEnv).sort()).toEqual(["ANTHROPIC_BASE_URL", variable].sort());
      expect(proxy.agentEnv.ANTHROPIC_BASE_URL).toBe(proxy.baseUrl);
      expect(JSON.stringify(proxy.agentEnv)).not.toContain(SECRET);
    }
    const other = await proxyTo("http://127.0.0.1:9");
    const first = await proxyTo("http://127.0.0.1:9");
    expect(other.baseUrl.split("/").at(-1)).not.toBe(first.baseUrl.split("/").at(-1));
  });

  it("forwards a streaming request with the real API key, whatever key the client sent", async () => {
    const server = await scripted([{ text: "streamed through the proxy" }]);
    const proxy = await proxyTo(server.url);
    const reply = await send(`${proxy.baseUrl}/v1/messages?beta=true`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": "sk-ant-api03-claude-tasks-proxy-placeholder",
        authorization: "Bearer stolen-elsewhere",
        "anthropic-beta": "claude-code-20250219",
      },
      body: messagesBody(true),
    });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/event-stream");
    expect(reply.body).toContain("event: message_stop");
    expect(reply.body).toContain("streamed through the proxy");
    const [seen] = server.requests;
    expect(seen?.path).toBe("/v1/messages?beta=true");
    expect(seen?.headers["x-api-key"]).toBe(SECRET);
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.headers["anthropic-beta"]).toBe("claude-code-20250219");
    expect(seen?.headers.host).toBe(new URL(server.url).host);
    expect(proxy.requests).toBe(1);
  });

  it("sends an OAuth or auth token as a Bearer header and no x-api-key", async () => {
    for (const kind of ["oauth", "auth-token"] as const) {
      const server = await scripted([]);
      const proxy = await proxyTo(server.url, { kind, value: SECRET });
      const reply = await send(`${proxy.baseUrl}/v1/messages/count_tokens?beta=true`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: "Bearer placeholder",
          "x-api-key": "x",
        },
        body: messagesBody(false),
      });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toHaveProperty("input_tokens");
      expect(server.requests[0]?.kind).toBe("count_tokens");
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(server.requests[0]?.headers["x-api-key"]).toBeUndefined();
    }
  });

  it("passes HEAD /, other methods and the upstream's own base path through", async () => {
    const seen: { method?: string; url?: string }[] = [];
    const upstream = await rawUpstream((req, res) => {
      seen.push({ method: req.method, url: req.url });
      req.resume();
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(req.method === "HEAD" ? undefined : "{}");
    });
    const proxy = await proxyTo(`${upstream}/gateway/anthropic/`);
    expect((await send(proxy.baseUrl, { method: "HEAD" })).status).toBe(200);
    expect((await send(`${proxy.baseUrl}/`, { method: "HEAD" })).status).toBe(200);
    expect((await send(`${proxy.baseUrl}/v1/models?limit=1`)).status).toBe(200);
    expect((await send(`${proxy.baseUrl}/v1/files/abc`, { method: "DELETE" })).status).toBe(200);
    expect(seen).toEqual([
      { method: "HEAD", url: "/gateway/anthropic/" },
      { method: "HEAD", url: "/gateway/anthropic/" },
      { method: "GET", url: "/gateway/anthropic/v1/models?limit=1" },
      { method: "DELETE", url: "/gateway/anthropic/v1/files/abc" },
    ]);
  });

  it("preconnects once, when asked: the way out is opened before the agent asks, without the credential, and the first request uses it", async () => {
    const seen: { method?: string; url?: string; port?: number; key?: string; auth?: string }[] = [];
    let connections = 0;
    const server = createServer((req, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        port: req.socket.remotePort,
        key: req.headers["x-api-key"] as string | undefined,
        auth: req.headers.authorization,
      });
      req.resume();
      // a HEAD answer with its length, as HTTP servers send it (node's client keeps the connection
      // only then)
      res.writeHead(200, { "content-type": "application/json", "content-length": "2" });
      res.end(req.method === "HEAD" ? undefined : "{}");
    });
    server.on("connection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    cleanups.push(() => closeServer(server));
    const { port } = server.address() as { port: number };
    const proxy = await startModelProxy({
      credential: { kind: "api-key", value: SECRET },
      upstream: `http://127.0.0.1:${port}/base`,
      proxyEnv: {},
    });
    cleanups.push(() => proxy.close());
    await new Promise((r) => setTimeout(r, 50));
    expect(seen, "nothing goes out before an agent starts").toEqual([]);
    proxy.preconnect();
    proxy.preconnect(); // once per proxy
    // before the client sends anything, the upstream has one connection and a HEAD without credentials
    const until = Date.now() + 5_000;
    while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([{ method: "HEAD", url: "/base/api/hello", port: seen[0]?.port }]);
    expect(proxy.requests).toBe(0);
    await new Promise((r) => setTimeout(r, 50)); // the answer has ended: the connection is back in the pool
    const reply = await send(`${proxy.baseUrl}/v1/messages?beta=true`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "sk-ant-api03-placeholder" },
      body: messagesBody(false),
    });
    expect(reply.status).toBe(200);
    expect(seen[1]).toMatchObject({ method: "POST", url: "/base/v1/messages?beta=true", key: SECRET });
    expect(seen[1]?.port, "the first request reuses the preconnected socket").toBe(seen[0]?.port);
    expect(connections).toBe(1);
  });

  it("preconnect to an upstream that cannot be reached changes nothing: the first request reports it", async () => {
    const dead = await rawUpstream(() => {});
    await Promise.all(cleanups.splice(0).map((c) => c())); // close it: nothing listens there now
    const proxy = await startModelProxy({
      credential: { kind: "api-key", value: SECRET },
      upstream: dead,
      proxyEnv: {},
    });
    cleanups.push(() => proxy.close());
    proxy.preconnect();
    const reply = await send(`${proxy.baseUrl}/v1/messages`, { method: "POST", body: messagesBody(false) });
    expect(reply.status).toBe(502);
    expect(reply.body).not.toContain(SECRET);
  });

  it("refuses requests without the nonce (403) and paths that climb (400); nothing reaches the upstream", async () => {
    const server = await scripted([]);
    const proxy = await proxyTo(server.url);
    const origin = new URL(proxy.baseUrl).origin;
    const nonce = new URL(proxy.baseUrl).pathname.slice(1);
    // Raw paths: `request(url)` would resolve the dot segments before sending.
    const post = (path: string) =>
      new Promise<Reply>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port: new URL(origin).port,
            path,
            method: "POST",
            headers: { "x-api-key": "x" },
          },
          (res) => {
            const parts: Buffer[] = [];
            res.on("data", (c: Buffer) => parts.push(c));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(parts).toString(),
              }),
            );
          },
        );
        req.on("error", reject);
        req.end(messagesBody(false));
      });
    for (const path of [
      "/v1/messages",
      "/",
      `/${nonce.slice(0, -1)}/v1/messages`,
      `/${nonce}x/v1/messages`,
      `/x${nonce}/v1/messages`,
      `/${nonce.toUpperCase()}/v1/messages`,
    ]) {
      const reply = await post(path);
      expect(reply.status, path).toBe(403);
      expect(JSON.parse(reply.body)).toEqual({
        type: "error",
        error: { type: "permission_error", message: expect.any(String) },
      });
    }
    // An absolute-form (forward proxy) request is no way in either.
    const absolute = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: new URL(origin).port, path: `${server.url}/v1/messages` },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(absolute).toBe(403);
    for (const path of ["/v1/../../x", "/v1/%2e%2e/x", "/./v1/messages", "/%E0%A4%A"]) {
      expect((await post(`/${nonce}${path}`)).status, path).toBe(400);
    }
    expect(server.requests).toEqual([]);
    expect(proxy.requests).toBe(0);
  });

  it("passes error statuses and their headers back unchanged, so the CLI's own retries work", async () => {
    const server = await scripted([
      { status: 429, retryAfter: 7 },
      { status: 529, message: "Overloaded" },
    ]);
    const proxy = await proxyTo(server.url);
    const r429 = await send(`${proxy.baseUrl}/v1/messages`, { method: "POST", body: messagesBody(true) });
    expect(r429.status).toBe(429);
    expect(r429.headers["retry-after"]).toBe("7");
    expect(r429.headers["x-should-retry"]).toBe("true");
    expect(r429.headers["request-id"]).toMatch(/^req_/);
    expect(JSON.parse(r429.body).error.type).toBe("rate_limit_error");
    const r529 = await send(`${proxy.baseUrl}/v1/messages`, { method: "POST", body: messagesBody(true) });
    expect(r529.status).toBe(529);
    expect(JSON.parse(r529.body)).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
    });
  });

  it("drops hop-by-hop headers both ways, and any response header that would echo the credential", async () => {
    let got: IncomingMessage["headers"] = {};
    const upstream = await rawUpstream((req, res) => {
      got = req.headers;
      req.resume();
      res.writeHead(200, {
        "content-type": "application/json",
        "x-echo": `you sent ${SECRET}`,
        "x-kept": "yes",
        "set-cookie": ["a=1", "b=2"],
        connection: "x-private",
        "x-private": "hop",
      });
      res.end("{}");
    });
    const proxy = await proxyTo(upstream);
    const reply = await send(`${proxy.baseUrl}/v1/messages`, {
      method: "POST",
      headers: { connection: "x-hop", "x-hop": "1", "proxy-authorization": "Basic eA==", "x-end": "2" },
      body: "{}",
    });
    expect(got["x-hop"]).toBeUndefined();
    expect(got["proxy-authorization"]).toBeUndefined();
    expect(got["x-end"]).toBe("2");
    expect(reply.headers["x-echo"]).toBeUndefined();
    expect(reply.headers["x-private"]).toBeUndefined();
    expect(reply.headers["x-kept"]).toBe("yes");
    expect(reply.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(JSON.stringify(reply)).not.toContain(SECRET);
  });

  it("answers 502 in the API's error shape when the upstream cannot be reached, without the credential", async () => {
    const closed = await rawUpstream(() => {});
    const proxy = await proxyTo(closed);
    for (const c of cleanups.splice(0, 1)) await c(); // close the upstream: its port now refuses
    const reply = await send(`${proxy.baseUrl}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "placeholder" },
      body: messagesBody(true),
    });
    expect(reply.status).toBe(502);
    expect(JSON.parse(reply.body)).toEqual({
      type: "error",
      error: { type: "api_error", message: "claude-tasks model proxy: upstream unreachable (ECONNREFUSED)" },
    });
    expect(JSON.stringify(reply)).not.toContain(SECRET);
  });

  it("streams: the first event reaches the client while the upstream still holds back the rest", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let lastSentAt = 0;
    const upstream = await rawUpstream((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("event: message_start\ndata: {}\n\n");
      // The rest is sent only once the client has seen the first event: a buffering proxy deadlocks.
      void held.then(() => {
        lastSentAt = Date.now();
        res.end("event: message_stop\ndata: {}\n\n");
      });
    });
    const proxy = await proxyTo(upstream);
    const chunks: { at: number; text: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the first event never arrived: buffered")), 5_000);
      const req = request(`${proxy.baseUrl}/v1/messages`, { method: "POST" }, (res) => {
        res.on("data", (c: Buffer) => {
          chunks.push({ at: Date.now(), text: c.toString() });
          if (chunks.length === 1) release();
        });
        res.on("end", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      req.on("error", reject);
      req.end(messagesBody(true));
    });
    expect(chunks[0]?.text).toContain("message_start");
    expect(chunks[0]?.text).not.toContain("message_stop");
    expect(chunks[0]?.at).toBeLessThanOrEqual(lastSentAt);
    expect(chunks.map((c) => c.text).join("")).toContain("message_stop");
  });

  it("a client that disconnects takes its upstream request with it", async () => {
    let upstreamClosed: () => void = () => {};
    const closedUpstream = new Promise<void>((r) => {
      upstreamClosed = r;
    });
    let started: () => void = () => {};
    const upstreamStarted = new Promise<void>((r) => {
      started = r;
    });
    const upstream = await rawUpstream((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("event: ping\ndata: {}\n\n");
      res.on("close", () => upstreamClosed());
      started();
    });
    const proxy = await proxyTo(upstream);
    const req = request(`${proxy.baseUrl}/v1/messages`, { method: "POST" }, (res) => {
      res.once("data", () => req.destroy());
    });
    req.on("error", () => {});
    req.end(messagesBody(true));
    await upstreamStarted;
    await expect(
      Promise.race([closedUpstream.then(() => "closed"), sleep(5_000).then(() => "still open")]),
    ).resolves.toBe("closed");
  });

  it("goes out through HTTP(S)_PROXY when the environment names one, as Claude Code would", async () => {
    const seen: { url?: string; key?: string | string[] }[] = [];
    const forward = await rawUpstream((req, res) => {
      seen.push({ url: req.url, key: req.headers["x-api-key"] });
      req.resume();
      res.writeHead(200, { "content-type": "application/json" }).end('{"via":"proxy"}');
    });
    const proxy = await startModelProxy({
      credential: { kind: "api-key", value: SECRET },
      upstream: "http://upstream.invalid/base",
      proxyEnv: { HTTP_PROXY: forward, PATH: "/usr/bin" },
    });
    cleanups.push(() => proxy.close());
    const reply = await send(`${proxy.baseUrl}/v1/messages?beta=true`, { method: "POST", body: "{}" });
    expect(reply.body).toBe('{"via":"proxy"}');
    expect(seen).toEqual([{ url: "http://upstream.invalid/base/v1/messages?beta=true", key: SECRET }]);
  });

  it("streams a request body through as it arrives (a large body reaches the upstream intact)", async () => {
    let received = "";
    const upstream = await rawUpstream((req, res) => {
      const parts: Buffer[] = [];
      req.on("data", (c: Buffer) => parts.push(c));
      req.on("end", () => {
        received = Buffer.concat(parts).toString();
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    const proxy = await proxyTo(upstream);
    const big = JSON.stringify({ messages: [{ role: "user", content: "x".repeat(3_000_000) }] });
    expect((await send(`${proxy.baseUrl}/v1/messages`, { method: "POST", body: big })).status).toBe(200);
    expect(received).toBe(big);
  });
});

describe("startModelProxy with an https upstream", () => {
  const dir = mkdtempSync(join(tmpdir(), "ct-proxy-tls-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A self-signed certificate for 127.0.0.1, made with openssl. */
  function certificate() {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
  }

  it("verifies the certificate against the CAs node trusts, and forwards when it is trusted", async () => {
    const tls = certificate();
    const seen: (string | undefined)[] = [];
    const server = createHttpsServer(tls, (req, res) => {
      seen.push(req.headers["x-api-key"] as string | undefined);
      req.resume();
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    cleanups.push(() => closeServer(server as unknown as Server));
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("no address");
    const upstream = `https://127.0.0.1:${address.port}`;

    // Untrusted (self-signed, not in node's CA list): refused, never sent.
    const proxy = await proxyTo(upstream);
    const refused = await send(`${proxy.baseUrl}/v1/messages`, { method: "POST", body: "{}" });
    expect(refused.status).toBe(502);
    expect(seen).toEqual([]);

    // Trusted through NODE_EXTRA_CA_CERTS (read at start-up, so in a child process): forwarded.
    const script = join(dir, "probe.ts");
    writeFileSync(
      script,
      [
        `import { startModelProxy } from ${JSON.stringify(resolve("src/engine/sandbox/model-proxy.ts"))};`,
        `const p = await startModelProxy({ credential: { kind: "api-key", value: ${JSON.stringify(SECRET)} }, upstream: ${JSON.stringify(upstream)}, proxyEnv: {} });`,
        `const r = await fetch(p.baseUrl + "/v1/messages", { method: "POST", body: "{}" });`,
        "console.log(r.status, await r.text());",
        "await p.close();",
      ].join("\n"),
    );
    const child = await execa(process.execPath, [script], {
      env: { NODE_EXTRA_CA_CERTS: join(dir, "cert.pem") },
      reject: false,
    });
    expect(child.stdout.trim()).toBe('200 {"ok":true}');
    expect(seen).toEqual([SECRET]);
  });
});

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
