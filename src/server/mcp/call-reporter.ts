// How a handler's `mcp.*` calls reach the client of its own call: notifications and requests go with the call's
// request id, so over HTTP they travel on that call's stream, to that session's client and no other.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { LoggingLevelSchema, type CreateMessageRequestParamsBase, type LoggingLevel, type ServerNotification, type ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { ElicitAnswer, ElicitSchema, McpReporter, SampleRequest, SampleResult } from "../../runtime/state.js";

export type CallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const LEVELS = LoggingLevelSchema.options;

/** Elicitation waits for a person; the SDK's one-minute default is too short for that. */
export const ELICIT_TIMEOUT_MS = 10 * 60_000;

/** What a handler is told when the client cannot do what it asked (its error object's `error`). */
export class ClientCapabilityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Client capability missing";
  }
}

export function callReporter(server: Server, extra: CallExtra, logger: string, minLevel: () => LoggingLevel): McpReporter {
  const related = { relatedRequestId: extra.requestId, signal: extra.signal };
  return {
    log: async (level, message) => {
      if (LEVELS.indexOf(level) < LEVELS.indexOf(minLevel())) return;
      await extra.sendNotification({ method: "notifications/message", params: { level, logger, data: message } });
    },
    progress: async (progress, total, message) => {
      const token = extra._meta?.progressToken;
      if (token === undefined) return;
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken: token, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) },
      });
    },
    sample: async (request: SampleRequest): Promise<SampleResult> => {
      if (!server.getClientCapabilities()?.sampling) throw new ClientCapabilityError("The MCP client did not declare sampling: it cannot be asked to complete a prompt");
      const { prompt, messages, timeoutMs, maxTokens, ...rest } = request;
      const conversation = messages ?? (prompt !== undefined ? [{ role: "user" as const, content: { type: "text" as const, text: String(prompt) } }] : []);
      if (conversation.length === 0) throw new TypeError("mcp.sample needs a prompt or messages");
      const params: CreateMessageRequestParamsBase = { ...rest, messages: conversation, maxTokens: maxTokens ?? 1000 };
      const result = await server.createMessage(params, { ...related, ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}) });
      const first = Array.isArray(result.content) ? result.content[0] : result.content;
      return {
        role: result.role,
        model: result.model,
        ...(result.stopReason ? { stopReason: result.stopReason } : {}),
        content: (first ?? { type: "text", text: "" }) as SampleResult["content"],
        text: first?.type === "text" ? first.text : "",
      };
    },
    elicit: async (message: string, schema: ElicitSchema, timeoutMs?: number): Promise<ElicitAnswer> => {
      if (!server.getClientCapabilities()?.elicitation) throw new ClientCapabilityError("The MCP client did not declare elicitation: the user cannot be asked");
      // The SDK checks the answer against the form before it is returned.
      const answer = await server.elicitInput({ message: String(message), requestedSchema: schema as never }, { ...related, timeout: timeoutMs ?? ELICIT_TIMEOUT_MS });
      return { action: answer.action, ...(answer.content ? { content: answer.content } : {}) };
    },
    releaseStream: () => {
      if (!extra.closeSSEStream) return false;
      extra.closeSSEStream();
      return true;
    },
  };
}
