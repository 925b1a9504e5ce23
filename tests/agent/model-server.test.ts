/** The scripted Messages API server on its own, with plain fetch. */
import { describe, expect, it } from "vitest";
import { lastToolResults, repeat, startModelServer } from "../support/model-server.ts";

const tools = [{ name: "Write", description: "w", input_schema: { type: "object" } }];
// biome-ignore lint/suspicious/noExplicitAny: JSON answers in tests
type AnyJson = any;
const json = async (r: Response): Promise<AnyJson> => r.json();
const post = (url: string, body: object, path = "/v1/messages") =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

function parseSse(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split("\n\n")
    .filter((b) => b.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "{}");
      return { event, data };
    });
}

describe("model server", () => {
  it("streams a tool_use turn as standard SSE with unique ids and realistic usage", async () => {
    const server = await startModelServer([
      { tool: "Write", input: { file_path: "/x", content: "y".repeat(200) } },
      { tool: "Write", input: { file_path: "/z", content: "" } },
    ]);
    try {
      const events = parseSse(
        await (await post(server.url, { model: "m", stream: true, tools, messages: [] })).text(),
      );
      expect(events.map((e) => e.event)).toEqual([
        "message_start",
        "content_block_start",
        ...Array(events.length - 5).fill("content_block_delta"),
        "content_block_stop",
        "message_delta",
        "message_stop",
      ]);
      const start = events[1]?.data.content_block as { id: string; name: string };
      expect(start.name).toBe("Write");
      const json = events
        .filter((e) => e.event === "content_block_delta")
        .map((e) => (e.data.delta as { partial_json: string }).partial_json)
        .join("");
      expect(JSON.parse(json)).toEqual({ file_path: "/x", content: "y".repeat(200) });
      const delta = events.at(-2)?.data as {
        delta: { stop_reason: string };
        usage: { output_tokens: number };
      };
      expect(delta.delta.stop_reason).toBe("tool_use");
      expect(delta.usage.output_tokens).toBeGreaterThan(10);
      const second = parseSse(
        await (await post(server.url, { model: "m", stream: true, tools, messages: [] })).text(),
      );
      expect((second[1]!.data.content_block as { id: string }).id).not.toBe(start.id);
    } finally {
      await server.close();
    }
  });

  it("answers probes, count_tokens and side requests without consuming turns", async () => {
    const server = await startModelServer([{ text: "main answer" }]);
    try {
      expect((await fetch(server.url, { method: "HEAD" })).status).toBe(200);
      const count = await json(await post(server.url, { messages: [] }, "/v1/messages/count_tokens"));
      expect(count.input_tokens).toBeGreaterThan(0);
      const side = await json(await post(server.url, { model: "haiku", max_tokens: 50, messages: [] }));
      expect(side.content[0].text).toBe("Test task");
      const main = parseSse(
        await (await post(server.url, { model: "m", stream: true, tools, messages: [] })).text(),
      );
      expect(JSON.stringify(main)).toContain("main answer");
      expect(server.requests.map((r) => r.kind)).toEqual(["probe", "count_tokens", "side", "main"]);
      expect((await fetch(`${server.url}/v1/models`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("returns API errors with the right type and retry-after, and exhausts to the fallback", async () => {
    const server = await startModelServer([{ status: 429, retryAfter: 3 }, ...repeat({ status: 529 }, 1)], {
      whenExhausted: { text: "fallback" },
    });
    try {
      const r429 = await post(server.url, { stream: true, tools, messages: [] });
      expect(r429.status).toBe(429);
      expect(r429.headers.get("retry-after")).toBe("3");
      expect((await json(r429)).error.type).toBe("rate_limit_error");
      const r529 = await post(server.url, { stream: true, tools, messages: [] });
      expect((await json(r529)).error.type).toBe("overloaded_error");
      const last = await (await post(server.url, { stream: true, tools, messages: [] })).text();
      expect(last).toContain("fallback");
    } finally {
      await server.close();
    }
  });

  it("close() ends hung streams and delays", async () => {
    const server = await startModelServer([{ hang: true }, { delayMs: 60_000, text: "late" }], {
      hangPingMs: 20,
    });
    const hung = await post(server.url, { stream: true, tools, messages: [] });
    const reader = hung.body!.getReader();
    await reader.read();
    const delayed = post(server.url, { stream: true, tools, messages: [] }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    const outcome = await (async () => {
      try {
        for (;;) if ((await reader.read()).done) return "ended";
      } catch {
        return "aborted";
      }
    })();
    expect(["ended", "aborted"]).toContain(outcome);
    expect(await delayed).toBeInstanceOf(Error);
  });

  it("function scenarios see the previous turn's tool results", async () => {
    const seen: string[] = [];
    const server = await startModelServer(({ index, toolResults }) => {
      seen.push(`${index}:${toolResults.map((t) => `${t.toolUseId}=${t.text}`).join(",")}`);
      return { text: "ok" };
    });
    try {
      await post(server.url, { stream: true, tools, messages: [{ role: "user", content: "hi" }] });
      await post(server.url, {
        stream: true,
        tools,
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Bash", input: {} }] },
          {
            role: "user",
            content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "out" }] }],
          },
        ],
      });
      expect(seen).toEqual(["0:", "1:t1=out"]);
      expect(lastToolResults({ messages: [{ role: "user", content: "x" }] })).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
