// completion/complete: the values a prompt argument or a resource template's variable may take, from what its
// parameter declares (enum, then examples), those starting with what the user typed first.
import { ErrorCode, McpError, type CompleteRequest, type CompleteResult } from "@modelcontextprotocol/sdk/types.js";
import type { ParamDef, PromptDef, ResourceDef } from "../../project/definitions.js";
import type { ProjectHost } from "../host.js";

/** The protocol's limit on values in one answer. */
const MAX_VALUES = 100;

export function completeArgument(host: ProjectHost, params: CompleteRequest["params"]): CompleteResult["completion"] {
  const param = declaredParameter(host, params.ref, params.argument.name);
  const candidates = [...new Set([...(param?.enum ?? []), ...(param?.examples ?? [])].filter((v) => v !== null && typeof v !== "object").map(String))];
  const typed = params.argument.value.toLowerCase();
  const starting = candidates.filter((v) => v.toLowerCase().startsWith(typed));
  const containing = candidates.filter((v) => !v.toLowerCase().startsWith(typed) && v.toLowerCase().includes(typed));
  const values = [...starting, ...containing];
  return { values: values.slice(0, MAX_VALUES), total: values.length, hasMore: values.length > MAX_VALUES };
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
