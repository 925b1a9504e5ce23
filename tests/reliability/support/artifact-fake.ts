/**
 * A local stand-in for the Actions results service and its blob storage, enough for
 * `@actions/artifact`'s upload: CreateArtifact hands out an upload URL on this server, the Azure client
 * stages blocks and commits the block list there, FinalizeArtifact returns an id. The uploaded zips are
 * kept, so a test can see exactly what a run published.
 *
 *   const fake = await startArtifactFake();
 *   env: { ACTIONS_RESULTS_URL: fake.url, ACTIONS_RUNTIME_TOKEN: runtimeToken("canary-signature") }
 *   fake.artifacts // [{ name, zip }]
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface ArtifactFake extends AsyncDisposable {
  url: string;
  artifacts: { name: string; zip: Buffer }[];
  requests: string[];
}

/** A runtime token the artifact client accepts (it reads its backend ids from the `scp` claim). */
export function runtimeToken(signature: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64({ typ: "JWT", alg: "RS256" })}.${b64({ scp: "Actions.GenericRead Actions.Results:run-1:job-1" })}.${signature}`;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

export async function startArtifactFake(): Promise<ArtifactFake> {
  const blocks = new Map<string, Buffer>();
  const artifacts: { name: string; zip: Buffer }[] = [];
  const requests: string[] = [];
  let pending: string | undefined;
  let id = 0;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const data = await body(req);
    requests.push(
      `${req.method} ${url.pathname}${url.searchParams.get("comp") ? `?comp=${url.searchParams.get("comp")}` : ""}`,
    );
    const json = (o: object) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(o));
    if (url.pathname.endsWith("ArtifactService/CreateArtifact")) {
      pending = (JSON.parse(data.toString()) as { name: string }).name;
      return json({
        ok: true,
        signed_upload_url: `http://${req.headers.host}/blob/${encodeURIComponent(pending)}?sig=1`,
      });
    }
    if (url.pathname.endsWith("ArtifactService/FinalizeArtifact"))
      return json({ ok: true, artifact_id: String(++id) });
    if (url.pathname.startsWith("/blob/") && req.method === "PUT") {
      const headers = {
        "x-ms-request-id": String(Math.random()),
        etag: '"0x1"',
        "last-modified": new Date().toUTCString(),
      };
      const comp = url.searchParams.get("comp");
      if (comp === "block") blocks.set(url.searchParams.get("blockid") ?? "", data);
      else if (comp === "blocklist") {
        const ids = [...data.toString().matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]+)</g)].map(
          (m) => m[1]!,
        );
        artifacts.push({
          name: pending ?? "?",
          zip: Buffer.concat(ids.map((b) => blocks.get(b) ?? Buffer.alloc(0))),
        });
        blocks.clear();
      } else artifacts.push({ name: pending ?? "?", zip: data }); // a single Put Blob
      return res.writeHead(201, headers).end();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    artifacts,
    requests,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
