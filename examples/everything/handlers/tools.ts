// The conformance suite's fixture tools (its server scenarios name them and say what each returns), written as any
// project's handlers are: MXCP arguments in, a value or content out, mcp.* for what a call asks of its client.
import { readFileSync } from "node:fs";
import { content, mcp } from "mxcp-gen/runtime";

const asset = (name: string) => readFileSync(new URL(`../assets/${name}`, import.meta.url));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function test_simple_text(): string {
  return "This is a simple text response for testing.";
}

export function test_image_content() {
  return content.image(asset("red-pixel.png"), "image/png");
}

export function test_audio_content() {
  return content.audio(asset("silence.wav"), "audio/wav");
}

export function test_embedded_resource() {
  return content.resource("test://embedded-resource", { text: "This is an embedded resource content.", mimeType: "text/plain" });
}

export function test_multiple_content_types() {
  return [
    content.text("Multiple content types test:"),
    content.image(asset("red-pixel.png"), "image/png"),
    content.resource("test://mixed-content-resource", { text: JSON.stringify({ test: "data", value: 123 }), mimeType: "application/json" }),
  ];
}

export async function test_tool_with_logging(): Promise<string> {
  await mcp.info("Tool execution started");
  await pause(50);
  await mcp.info("Tool processing data");
  await pause(50);
  await mcp.info("Tool execution completed");
  return "Tool with logging executed successfully";
}

export async function test_tool_with_progress(): Promise<string> {
  for (const step of [0, 50, 100]) {
    await mcp.progress(step, 100, `Completed step ${step} of 100`);
    if (step < 100) await pause(50);
  }
  return "Progress reported: 0, 50 and 100 of 100";
}

export function test_error_handling(): never {
  throw new Error("This tool intentionally returns an error for testing");
}

export async function test_reconnection(): Promise<string> {
  // The client reconnects with Last-Event-ID and is sent the result on its new stream.
  const released = mcp.releaseStream();
  await pause(100);
  return released
    ? "Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure."
    : "Reconnection test completed (this client's stream could not be released: it is not resumable).";
}

export async function test_sampling(args: { prompt: string }): Promise<string> {
  const answer = await mcp.sample({ prompt: args.prompt, maxTokens: 100 });
  return `LLM response: ${answer.text || "No response"}`;
}

export async function test_elicitation(args: { message: string }): Promise<string> {
  const answer = await mcp.elicit(args.message, {
    type: "object",
    properties: { response: { type: "string", description: "User's response" } },
    required: ["response"],
  });
  return `User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
}

export async function test_elicitation_sep1034_defaults(): Promise<string> {
  const answer = await mcp.elicit("Please review and update the form fields with defaults", {
    type: "object",
    properties: {
      name: { type: "string", description: "User name", default: "John Doe" },
      age: { type: "integer", description: "User age", default: 30 },
      score: { type: "number", description: "User score", default: 95.5 },
      status: { type: "string", description: "User status", enum: ["active", "inactive", "pending"], default: "active" },
      verified: { type: "boolean", description: "Verification status", default: true },
    },
    required: [],
  });
  return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
}

export async function test_elicitation_sep1330_enums(): Promise<string> {
  const titled = (prefix: string, word: string) => [1, 2, 3].map((n) => ({ const: `${prefix}${n}`, title: `${["First", "Second", "Third"][n - 1]} ${word}` }));
  const answer = await mcp.elicit("Please select options from the enum fields", {
    type: "object",
    properties: {
      untitledSingle: { type: "string", description: "Select one option", enum: ["option1", "option2", "option3"] },
      titledSingle: { type: "string", description: "Select one option with titles", oneOf: titled("value", "Option") },
      legacyEnum: { type: "string", description: "Select one option (legacy)", enum: ["opt1", "opt2", "opt3"], enumNames: ["Option One", "Option Two", "Option Three"] },
      untitledMulti: { type: "array", description: "Select multiple options", minItems: 1, maxItems: 3, items: { type: "string", enum: ["option1", "option2", "option3"] } },
      titledMulti: { type: "array", description: "Select multiple options with titles", minItems: 1, maxItems: 3, items: { anyOf: titled("value", "Choice") } },
    },
    required: [],
  });
  return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
}

export function json_schema_2020_12_tool(args: { name?: string; address?: { street?: string; city?: string } }): string {
  return `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`;
}
