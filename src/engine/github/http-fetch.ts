/**
 * The `fetch` Octokit calls, made with `node:http`/`node:https` rather than Node's own fetch (undici).
 *
 * Measured on the benchmark machine, one run that opens a pull request: undici parses HTTP with llhttp
 * compiled to WebAssembly, which V8 then compiles again with TurboFan on a background thread — a whole
 * core for ~200 ms just as the run pushes and opens its PR (on a two-core runner, beside git), and the
 * process's exit waits ~70 ms for it; peak RSS +12 MB. Node's HTTP parser is native. Octokit needs
 * little of fetch: a method, headers, a string or byte body, an AbortSignal (its timeouts), `redirect`
 * (`manual` for download URLs; followed otherwise), and a `Response` back (status, headers, body).
 *
 * Both modules are loaded when first used (see node-builtin.ts): the API client loads while the
 * agents run.
 */
import type * as Http from "node:http";
import { nodeHttp, nodeHttps } from "../node-builtin.ts";

const MAX_REDIRECTS = 5;
const REDIRECT = new Set([301, 302, 303, 307, 308]);
/** Statuses whose response has no body (a `Response` refuses one). */
const NO_BODY = new Set([204, 205, 304]);

type Body = string | Uint8Array | null | undefined;
/** `node:http` or `node:https`: what both have alike. */
type Requester = Pick<typeof Http, "request">;

export async function httpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  let url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  let method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  let body = bodyOf(init.body);
  for (let hop = 0; ; hop++) {
    const mod: Requester = url.protocol === "https:" ? await nodeHttps() : await nodeHttp();
    const res = await exchange(mod, url, method, headers, body, init.signal ?? undefined);
    const location = res.headers.get("location");
    if (init.redirect === "manual" || !REDIRECT.has(res.status) || location === null) return res;
    if (init.redirect === "error") throw new TypeError(`fetch: ${url.href} redirects to ${location}`);
    if (hop >= MAX_REDIRECTS)
      throw new TypeError(`fetch: more than ${MAX_REDIRECTS} redirects from ${url.href}`);
    const next = new URL(location, url);
    // as fetch does: a 303 (and a 301/302 answering a POST) is followed with a GET without a body,
    // and the credentials stay with the origin they were given for
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
      method = method === "HEAD" ? "HEAD" : "GET";
      body = undefined;
      headers.delete("content-type");
      headers.delete("content-length");
    }
    if (next.origin !== url.origin) headers.delete("authorization");
    url = next;
  }
}

function bodyOf(body: RequestInit["body"]): Body {
  if (body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array)
    return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("fetch: only a string or bytes can be sent as a body here");
}

function exchange(
  mod: Requester,
  url: URL,
  method: string,
  headers: Headers,
  body: Body,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const outgoing: Record<string, string> = Object.fromEntries(headers);
  if (body !== undefined && body !== null && !headers.has("content-length"))
    outgoing["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  return new Promise<Response>((resolve, reject) => {
    // as fetch does, an aborted signal rejects with its reason (a `TimeoutError` from
    // `AbortSignal.timeout`, which Octokit retries like any failed request)
    if (signal?.aborted) return reject(signal.reason);
    const req = mod.request(url, { method, headers: outgoing }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", fail);
      res.on("end", () => {
        signal?.removeEventListener("abort", abort);
        const status = res.statusCode ?? 0;
        const response = new Response(
          NO_BODY.has(status) || method === "HEAD" ? null : Buffer.concat(chunks),
          {
            status,
            statusText: res.statusMessage ?? "",
            headers: headersOf(res.headers),
          },
        );
        Object.defineProperty(response, "url", { value: url.href });
        resolve(response);
      });
    });
    function fail(err: unknown) {
      signal?.removeEventListener("abort", abort);
      reject(err);
    }
    function abort() {
      fail(signal!.reason);
      req.destroy();
    }
    signal?.addEventListener("abort", abort, { once: true });
    req.on("error", fail);
    req.end(body ?? undefined);
  });
}

function headersOf(raw: Http.IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
  }
  return out;
}
