/**
 * How the client paces its writes (`WRITE_PACE`, `NOTIFY_PACE` in octokit.ts): the few writes of one
 * task go at once, later ones one per interval, reads are never held back. Against a real local HTTP
 * server that notes when each request arrives; GitHub seconds are scaled with `msPerSecond`, so
 * "1 s" below is `msPerSecond` ms.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOctokit, NOTIFY_PACE, WRITE_PACE } from "../../src/engine/github/octokit.ts";
import type { Logger } from "../../src/engine/logger.ts";

const arrivals: { at: number; method: string; url: string }[] = [];
const server = createServer((req, res) => {
  arrivals.push({ at: performance.now(), method: req.method!, url: req.url! });
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
/** A client as the engine makes it, pacing on; a GitHub second is `msPerSecond` ms. */
function client(msPerSecond: number) {
  arrivals.length = 0;
  return createOctokit({
    token: "ghs_x",
    baseUrl: base,
    userAgent: "test",
    logger: quiet,
    policy: { msPerSecond },
  });
}
const since = (i: number) => arrivals[i]!.at - arrivals[0]!.at;
/** `n` requests one after the other, the i-th with `params(i)`. */
async function send(
  octokit: ReturnType<typeof client>,
  n: number,
  route: string,
  params: (i: number) => Record<string, unknown>,
) {
  for (let i = 0; i < n; i++) await octokit.request(route, { owner: "acme", repo: "widgets", ...params(i) });
}

describe("write pacing", () => {
  it("lets a task's first writes go at once, then one a second; reads are never held back", async () => {
    expect(WRITE_PACE).toEqual({ burst: 5, everyMs: 1000 });
    const second = 400;
    const octokit = client(second);
    const t0 = performance.now(); // the bucket fills from about now, before the first request arrives
    await send(octokit, 7, "PATCH /repos/{owner}/{repo}/pulls/{pull_number}", (i) => ({
      pull_number: i + 1,
      title: "t",
    }));
    // the first five are not spaced (plugin-throttling's own 1 s spacing puts the fifth 4 s, here 1.6 s, after the first)
    expect(since(4)).toBeLessThan(second * 0.75);
    // the sixth waits for the bucket's first refill, the seventh for the second
    expect(arrivals[5]!.at - t0).toBeGreaterThanOrEqual(second * 0.9);
    expect(arrivals[6]!.at - t0).toBeGreaterThanOrEqual(second * 1.9);
    // the bucket is empty now; a read still goes at once
    const t = performance.now();
    await octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "widgets" });
    expect(performance.now() - t).toBeLessThan(second * 0.75);
  });

  it("paces writes that notify people three seconds apart after a burst of three", async () => {
    expect(NOTIFY_PACE).toEqual({ burst: 3, everyMs: 3000 });
    const second = 200;
    const octokit = client(second);
    const t0 = performance.now();
    await send(octokit, 4, "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", (i) => ({
      issue_number: 1,
      body: `comment ${i}`,
    }));
    expect(arrivals.map((a) => a.method)).toEqual(["POST", "POST", "POST", "POST"]);
    expect(since(2)).toBeLessThan(second * 1.5);
    // within the write bucket's burst of five, so only the notification bucket holds the fourth back
    expect(arrivals[3]!.at - t0).toBeGreaterThanOrEqual(second * 2.9);
  });
});
