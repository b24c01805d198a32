// The intermediate model every generator produces and every emitter reads: pure data, no I/O.
import type { AnnotationsDef, TestDef, TypeDef } from "../project/definitions.js";
import type { HttpOperation, SecuritySchemeDef, ServerDef } from "../runtime/http/types.js";

export interface ToolParameter {
  /** The MXCP parameter name (letters, digits, `_`). */
  name: string;
  type: TypeDef;
  /** Required parameters have no default; optional ones get `default: null` unless the source gives one. */
  required: boolean;
  /** How the TypeScript handler types this argument, as a type expression. */
  tsType: string;
  /** Where the value came from, shown to readers of the YAML (`query parameter created[gte]`). */
  origin: string;
}

/** A note about a lossy or surprising step, kept in the report so nothing changes silently. */
export interface ModelNote {
  tool?: string;
  where: string;
  message: string;
}

export interface HttpToolTarget {
  kind: "http";
  operation: HttpOperation;
  /** The TypeScript type of a successful result (an expression over the types module). */
  resultType: string;
  /** What the operation's TS types are keyed by in openapi-typescript output: `paths["/pets"]["get"]`. */
  operationType: string;
}

export interface ToolModel {
  name: string;
  description: string;
  annotations: AnnotationsDef;
  tags: string[];
  parameters: ToolParameter[];
  returns?: TypeDef;
  /** Tests built from the source's own examples, when it has them. */
  tests?: TestDef[];
  target: HttpToolTarget;
  /** Where the tool came from, written to the YAML `metadata`. */
  origin: Record<string, string>;
  /** A file-name-safe stem for this tool's handler module. */
  moduleName: string;
}

export interface ApiModel {
  /** The API's name: folder, secret and tool prefix. */
  name: string;
  title: string;
  version: string;
  servers: ServerDef[];
  securitySchemes: Record<string, SecuritySchemeDef>;
  /** Which secret parameters the API's auth reads, for the sample config. */
  secretParameters: { name: string; description: string }[];
  tools: ToolModel[];
  notes: ModelNote[];
}
