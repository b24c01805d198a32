// The pieces under issue 25 that need no server: what counts as content a handler returned (only blocks made by
// `content.*`, or an API's marked bytes), and how much one session's event store keeps.
import { describe, expect, it } from "vitest";
import { content, contentReturn, markBinary } from "../../src/runtime/content.js";
import { capResult } from "../../src/server/mcp/mcp-server.js";
import { EventBudget, SessionEventStore } from "../../src/server/mcp/session-events.js";

describe("content a handler returns", () => {
  it("is read from content.* blocks, arrays of them and content.with, and copied without the brand", () => {
    const png = new Uint8Array([137, 80, 78, 71]);
    expect(contentReturn(content.image(png, "image/png"))).toEqual({ blocks: [{ type: "image", data: "iVBORw==", mimeType: "image/png" }], hasValue: false, value: undefined, binary: false });
    const both = contentReturn([content.text("a"), content.audio("AAAA", "audio/wav")])!;
    expect(both.blocks.map((b) => b.type)).toEqual(["text", "audio"]);
    expect(Object.getOwnPropertySymbols(both.blocks[0]!)).toEqual([]);
    expect(contentReturn(content.with({ n: 1 }, content.link("app://x", { name: "x" })))).toMatchObject({ hasValue: true, value: { n: 1 }, blocks: [{ type: "resource_link", uri: "app://x", name: "x" }] });
  });

  it("hostile: look-alikes are plain values, a foreign block inside content.with is refused, a bad media type throws", () => {
    expect(contentReturn({ type: "image", data: "AAAA", mimeType: "image/png" })).toBeUndefined();
    expect(contentReturn([content.text("a"), { type: "text", text: "b" }])).toBeUndefined();
    expect(contentReturn(JSON.parse(JSON.stringify(content.with(1, content.text("a")))))).toBeUndefined();
    expect(() => contentReturn(content.with(1, { type: "text", text: "x" } as never))).toThrow(/block 1 was not made by content/);
    expect(() => content.image("AAAA", "png\nX-Injected: 1")).toThrow(/not a media type/);
  });

  it("an API's marked bytes: images and audio as their blocks, anything else as an embedded blob", () => {
    const answer = (type: string) => markBinary({ content_type: type, size: 3, content_base64: "AQID" });
    expect(contentReturn(answer("image/png; charset=binary"))!.blocks).toEqual([{ type: "image", data: "AQID", mimeType: "image/png" }]);
    expect(contentReturn(answer("audio/mpeg"))!.blocks).toEqual([{ type: "audio", data: "AQID", mimeType: "audio/mpeg" }]);
    expect(contentReturn(answer("application/pdf"))!.blocks).toEqual([{ type: "resource", resource: { uri: "mxcp-gen:binary-result", mimeType: "application/pdf", blob: "AQID" } }]);
    expect(contentReturn(answer("image/svg+xml"))!.blocks[0]!.type).toBe("resource");
    expect(contentReturn({ content_type: "image/png", size: 3, content_base64: "AQID" })).toBeUndefined();
  });
});

describe("the result cap and content", () => {
  it("counts what the model reads as text, embedded resources' text included; image bytes are not text", () => {
    const big = "x".repeat(2000);
    const cut = capResult({ content: [{ type: "resource", resource: { uri: "app://r", mimeType: "text/plain", text: big } }] }, 1000);
    expect(cut.isError).toBe(true);
    expect((cut.content[0] as { text: string }).text).toContain("[Result cut: 1000 of 2000 bytes shown");
    const image = { content: [{ type: "image" as const, data: "A".repeat(5000), mimeType: "image/png" }] };
    expect(capResult(image, 1000)).toBe(image);
  });
});

describe("one session's event store", () => {
  it("keeps at most its bound of events and bytes, dropping the oldest; a dropped or unknown id resumes nothing", async () => {
    const store = new SessionEventStore({ maxEvents: 3, maxBytes: 1000 });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await store.storeEvent("s1", { jsonrpc: "2.0", method: "notifications/message", params: { i } }));
    expect(store.size.events).toBe(3);
    expect(await store.getStreamIdForEventId(ids[0]!)).toBeUndefined();
    await expect(store.replayEventsAfter(ids[0]!, { send: async () => undefined })).rejects.toThrow(/Unknown event id/);
    const sent: unknown[] = [];
    expect(await store.replayEventsAfter(ids[2]!, { send: async (_id, m) => void sent.push(m) })).toBe("s1");
    expect(sent).toHaveLength(2);
    const big = new SessionEventStore({ maxEvents: 100, maxBytes: 500 });
    for (let i = 0; i < 10; i++) await big.storeEvent("s", { jsonrpc: "2.0", method: "x", params: { pad: "y".repeat(200) } });
    expect(big.size.bytes).toBeLessThanOrEqual(500);
    expect(big.size.events).toBe(2); // each is 248 bytes
  });

  it("every session's events share one budget: past it a session drops its own oldest, never another's; an ended session gives its bytes back", async () => {
    const budget = new EventBudget(1000);
    const a = new SessionEventStore({ maxEvents: 100, maxBytes: 10_000 }, budget);
    const b = new SessionEventStore({ maxEvents: 100, maxBytes: 10_000 }, budget);
    const message = { jsonrpc: "2.0" as const, method: "x", params: { pad: "y".repeat(200) } };
    for (let i = 0; i < 3; i++) await a.storeEvent("s", message);
    for (let i = 0; i < 10; i++) await b.storeEvent("s", message);
    expect(budget.used).toBeLessThanOrEqual(1000);
    expect(a.size.events).toBe(3);
    expect(b.size.events).toBe(1);
    a.release();
    expect(budget.used).toBe(b.size.bytes);
  });

  it("replays only the resumed stream's events, and never the priming event", async () => {
    const store = new SessionEventStore();
    const primed = await store.storeEvent("a", {} as never);
    await store.storeEvent("b", { jsonrpc: "2.0", method: "other" });
    await store.storeEvent("a", { jsonrpc: "2.0", method: "mine" });
    const sent: unknown[] = [];
    await store.replayEventsAfter(primed, { send: async (_id, m) => void sent.push(m) });
    expect(sent).toEqual([{ jsonrpc: "2.0", method: "mine" }]);
  });
});
