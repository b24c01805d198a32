// The shapes of MXCP endpoint files, as plain TypeScript types. The zod schemas in
// endpoint-schema.ts check files against these; everything after loading works on these types.

// The type vocabulary is derived from its zod schema (type-schema.ts), the one place it is written.
import type { TypeDef } from "./type-schema.js";
export type { MxcpFormat, MxcpTypeName, TypeDef } from "./type-schema.js";

export interface ParamDef extends TypeDef {
  name: string;
  /**
   * mxcp-gen: the tool whose answer (a list) completes this prompt argument or resource template variable; it is
   * called with `value` (what the user typed) and the other arguments it declares.
   */
  complete?: string;
}

export interface SourceDef {
  code?: string;
  file?: string;
  language?: string;
}

export interface TestArgument {
  key: string;
  value: unknown;
}

export interface TestDef {
  name: string;
  description?: string;
  arguments: TestArgument[];
  user_context?: Record<string, unknown>;
  result?: unknown;
  result_contains?: unknown;
  result_not_contains?: string[];
  result_contains_item?: unknown;
  result_contains_all?: unknown[];
  result_length?: number;
  result_contains_text?: string;
}

/** MXCP's actions, and mxcp-gen's `confirm` (an input rule: the user is asked before the call runs). */
export type PolicyAction = "deny" | "warn" | "filter_fields" | "mask_fields" | "filter_sensitive_fields" | "confirm";

export interface PolicyRule {
  condition: string;
  action: PolicyAction;
  reason?: string;
  fields?: string[];
}

export interface PoliciesDef {
  input?: PolicyRule[];
  output?: PolicyRule[];
}

export interface AnnotationsDef {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export type Language = "sql" | "typescript" | "python";

interface EndpointCommon {
  description?: string;
  tags?: string[];
  parameters?: ParamDef[];
  return?: TypeDef;
  tests?: TestDef[];
  policies?: PoliciesDef;
  enabled: boolean;
}

export interface ToolDef extends EndpointCommon {
  name: string;
  source: SourceDef;
  language: Language;
  annotations?: AnnotationsDef;
  /**
   * mxcp-gen: the tool's input as a JSON Schema (2020-12 unless its `$schema` says otherwise), listed as written and
   * checked as written; instead of `parameters`.
   */
  input_schema?: Record<string, unknown>;
}

export interface ResourceDef extends EndpointCommon {
  uri: string;
  name?: string;
  mime_type?: string;
  source: SourceDef;
  language: Language;
}

/**
 * One prompt message. MXCP's `{prompt, role, type}`; mxcp-gen gives `type` meaning: `text` (the default, as is any
 * other value), `image` and `audio` (`file`: a file of the project, relative to the YAML file), `resource` (`uri`,
 * a template; `prompt` is its text, or without it the project's resource at that URI is read).
 */
export interface PromptMessageDef {
  prompt?: string;
  role?: string;
  type?: string;
  file?: string;
  mime_type?: string;
  uri?: string;
}

export interface PromptDef extends EndpointCommon {
  name: string;
  messages: PromptMessageDef[];
}

export interface EndpointFile {
  mxcp: number;
  metadata?: Record<string, unknown>;
  tool?: ToolDef;
  resource?: ResourceDef;
  prompt?: PromptDef;
}

export type EndpointKind = "tool" | "resource" | "prompt";
