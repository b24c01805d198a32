// completion/complete: the values a prompt argument or a resource template's variable may take: from the tool its
// parameter names in `complete`, else from what it declares (enum, then examples); those starting with what the
// user typed first.
import { ErrorCode, McpError, type CompleteRequest, type CompleteResult } from "@modelcontextprotocol/sdk/types.js";
import type { ParamDef, PromptDef, ResourceDef, ToolDef } from "../../project/definitions.js";
import { setOwn } from "../../runtime/own.js";
import type { CallOptions, ProjectHost } from "../host.js";

/** The protocol's limit on values in one answer. */
const MAX_VALUES = 100;

export async function completeArgument(host: ProjectHost, params: CompleteRequest["params"], opts: CallOptions): Promise<CompleteResult["completion"]> {
  const param = declaredParameter(host, params.ref, params.argument.name);
  const listed = param?.complete ? await fromTool(host, param.complete, params, opts) : [...(param?.enum ?? []), ...(param?.examples ?? [])];
  const candidates = [...new Set(listed.filter((v) => v !== null && typeof v !== "object").map(String))];
  const typed = params.argument.value.toLowerCase();
  const starting = candidates.filter((v) => v.toLowerCase().startsWith(typed));
  const containing = candidates.filter((v) => !v.toLowerCase().startsWith(typed) && v.toLowerCase().includes(typed));
  const values = [...starting, ...containing];
  return { values: values.slice(0, MAX_VALUES), total: values.length, hasMore: values.length > MAX_VALUES };
}

/**
 * The values a project's tool gives: it is called as any call is (validated, audited, under the session's user) with
 * `value` and the other arguments it declares; its answer must be a list.
 */
async function fromTool(host: ProjectHost, tool: string, params: CompleteRequest["params"], opts: CallOptions): Promise<unknown[]> {
  const entry = host.validEndpoints.find((e) => e.kind === "tool" && e.name === tool);
  if (!entry) throw new McpError(ErrorCode.InternalError, `The completions of ${params.argument.name} come from the tool ${tool}, which this project does not serve`);
  const declared = new Set(((entry.definition as ToolDef).parameters ?? []).map((p) => p.name));
  const args: Record<string, unknown> = { value: params.argument.value };
  for (const [k, v] of Object.entries(params.context?.arguments ?? {})) if (declared.has(k) && k !== "value") setOwn(args, k, v);
  const outcome = await host.callTool(tool, args, opts);
  if (outcome.status === "error") throw new McpError(ErrorCode.InternalError, `Completing ${params.argument.name} with ${tool} failed: ${outcome.message}`);
  if (!Array.isArray(outcome.result)) throw new McpError(ErrorCode.InternalError, `Completing ${params.argument.name}: ${tool} must answer a list`);
  return outcome.result;
}

/** The parameter the reference names; an unknown prompt or resource template is the caller's mistake, said so. */
function declaredParameter(host: ProjectHost, ref: CompleteRequest["params"]["ref"], argument: string): ParamDef | undefined {
  const valid = host.validEndpoints;
  if (ref.type === "ref/prompt") {
    const entry = valid.find((e) => e.kind === "prompt" && e.name === ref.name);
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${ref.name}`);
    return (entry.definition as PromptDef).parameters?.find((p) => p.name === argument);
  }
  const entry = valid.find((e) => e.kind === "resource" && (e.definition as ResourceDef).uri === ref.uri);
  if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown resource template: ${ref.uri}`);
  return (entry.definition as ResourceDef).parameters?.find((p) => p.name === argument);
}
