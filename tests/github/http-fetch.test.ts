/**
 * The `fetch` the GitHub client gives Octokit (node:http, not undici): what Octokit relies on, against
 * a real local HTTP server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetch } from "../../src/engine/github/http-fetch.ts";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

const seen: Seen[] = [];
let handle: (req: IncomingMessage, res: ServerResponse, body: string) => void = () => {};
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString();
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    handle(req, res, body);
  });
});
let base = "";
let other = ""; // the same server under another origin (127.0.0.1 vs localhost)

beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  other = `http://localhost:${port}`;
});
afterAll(
  () =>
    new Promise<void>((ok) => {
      server.closeAllConnections(); // the request left unanswered on purpose
      server.close(() => ok());
    }),
);

describe("httpFetch", () => {
  it("sends the method, headers and body, and answers a Response with status, headers and JSON", async () => {
    seen.length = 0;
    handle = (_req, res, body) => {
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.writeHead(201, { "content-type": "application/json", "x-ratelimit-remaining": "42" });
      res.end(JSON.stringify({ echo: JSON.parse(body) }));
    };
    const res = await httpFetch(`${base}/repos/o/r/pulls`, {
      method: "POST",
      headers: { authorization: "token t", "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ title: "é" }),
    });
    expect(res.status).toBe(201);
    expect(res.url).toBe(`${base}/repos/o/r/pulls`);
    expect(res.headers.get("x-ratelimit-remaining")).toBe("42");
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await res.json()).toEqual({ echo: { title: "é" } });
    expect(seen).toMatchObject([{ method: "POST", url: "/repos/o/r/pulls", body: '{"title":"é"}' }]);
    expect(seen[0]!.headers).toMatchObject({
      authorization: "token t",
      "content-length": String(Buffer.byteLength('{"title":"é"}')),
    });
  });

  it("a 204 has no body; an error status is a Response, not a rejection", async () => {
    handle = (req, res) => {
      if (req.url === "/none") res.writeHead(204).end();
      else res.writeHead(422, { "content-type": "application/json" }).end('{"message":"Validation Failed"}');
    };
    const none = await httpFetch(`${base}/none`, { method: "DELETE" });
    expect(none.status).toBe(204);
    expect(await none.text()).toBe("");
    const bad = await httpFetch(`${base}/bad`);
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({ message: "Validation Failed" });
  });

  it("redirect: manual answers the redirect itself; otherwise it is followed, the credentials kept to their origin", async () => {
    seen.length = 0;
    handle = (req, res) => {
      if (req.url === "/logs") res.writeHead(302, { location: `${other}/blob?sig=1` }).end();
      else if (req.url === "/moved") res.writeHead(301, { location: "/repos/new" }).end();
      else res.writeHead(200, { "content-type": "text/plain" }).end(`at ${req.url}`);
    };
    const manual = await httpFetch(`${base}/logs`, {
      redirect: "manual",
      headers: { authorization: "token t" },
    });
    expect(manual.status).toBe(302);
    expect(manual.headers.get("location")).toBe(`${other}/blob?sig=1`);

    const followed = await httpFetch(`${base}/logs`, { headers: { authorization: "token t" } });
    expect(await followed.text()).toBe("at /blob?sig=1");
    expect(seen.at(-1)!.headers.authorization).toBeUndefined(); // another origin

    const same = await httpFetch(`${base}/moved`, { headers: { authorization: "token t" } });
    expect(await same.text()).toBe("at /repos/new");
    expect(seen.at(-1)!.headers.authorization).toBe("token t");
  });

  it("a POST answered 303 is followed with a GET without its body; a loop of redirects is an error", async () => {
    seen.length = 0;
    handle = (req, res) => {
      if (req.url === "/post") res.writeHead(303, { location: "/result" }).end();
      else if (req.url === "/loop") res.writeHead(307, { location: "/loop" }).end();
      else res.writeHead(200).end("done");
    };
    const res = await httpFetch(`${base}/post`, { method: "POST", body: "x=1" });
    expect(await res.text()).toBe("done");
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ["POST", "/post", "x=1"],
      ["GET", "/result", ""],
    ]);
    await expect(httpFetch(`${base}/loop`)).rejects.toThrow(/more than 5 redirects/);
  });

  it("an aborted signal ends the request with the signal's reason, as fetch does (Octokit's timeouts)", async () => {
    handle = () => {}; // never answers
    const ctl = new AbortController();
    const pending = httpFetch(`${base}/slow`, { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await expect(httpFetch(`${base}/slow`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    await expect(httpFetch(`${base}/slow`, { signal: AbortSignal.abort("gone") })).rejects.toBe("gone");
  });

  it("a refused connection rejects (Octokit turns it into a request error)", async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, "127.0.0.1", ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    await expect(httpFetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
