import { statSync } from "node:fs";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { VERSION } from "../package-info.js";
import type {
  AnnotationsDef,
  EndpointFile,
  ParamDef,
  PoliciesDef,
  PromptDef,
  ResourceDef,
  SourceDef,
  TestDef,
  ToolDef,
} from "./definitions.js";
import { typeSchema } from "./type-schema.js";

// Every model forbids extra keys at any depth, as MXCP's pydantic models do.

export { typeSchema };

/** Python's `isalnum` admits Unicode letters and digits, so we do too. */
export const PARAM_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

const paramSchema: z.ZodType<ParamDef> = z.lazy(() =>
  z
    .strictObject({
      ...typeSchema.shape,
      name: z.string(),
      complete: z.string().optional(),
    })
    .superRefine((p, ctx) => {
      if (!PARAM_NAME.test(p.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["name"],
          message: "Value error, Parameter name must start with a letter or underscore and contain only alphanumeric characters or underscores",
        });
      }
    }) as unknown as z.ZodType<ParamDef>,
);

const sourceSchema: z.ZodType<SourceDef> = z
  .strictObject({ code: z.string().optional(), file: z.string().optional(), language: z.string().optional() })
  .superRefine((s, ctx) => {
    const hasCode = !!s.code && s.code.length > 0;
    const hasFile = !!s.file && s.file.length > 0;
    if (hasCode === hasFile) {
      ctx.addIssue({ code: "custom", message: "Value error, Exactly one of 'code' or 'file' must be provided" });
    }
  });

const testSchema: z.ZodType<TestDef> = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  arguments: z.array(z.strictObject({ key: z.string(), value: z.unknown() })).default([]),
  user_context: z.record(z.string(), z.unknown()).optional(),
  result: z.unknown().optional(),
  result_contains: z.unknown().optional(),
  result_not_contains: z.array(z.string()).optional(),
  result_contains_item: z.unknown().optional(),
  result_contains_all: z.array(z.unknown()).optional(),
  result_length: z.number().int().optional(),
  result_contains_text: z.string().optional(),
}) as z.ZodType<TestDef>;

const policyRuleSchema = z.strictObject({
  condition: z.string(),
  action: z.enum(["deny", "warn", "filter_fields", "mask_fields", "filter_sensitive_fields", "confirm"]),
  reason: z.string().optional(),
  fields: z.array(z.string()).optional(),
});

const policiesSchema: z.ZodType<PoliciesDef> = z.strictObject({
  input: z.array(policyRuleSchema).optional(),
  output: z.array(policyRuleSchema).optional(),
});

const annotationsSchema: z.ZodType<AnnotationsDef> = z.strictObject({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

const common = {
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  parameters: z.array(paramSchema).optional(),
  return: typeSchema.optional(),
  tests: z.array(testSchema).optional(),
  policies: policiesSchema.optional(),
  enabled: z.boolean().default(true),
};

const language = z.enum(["sql", "typescript", "python"]).optional();

const toolSchema = z.strictObject({
  ...common,
  name: z.string(),
  source: sourceSchema,
  language,
  annotations: annotationsSchema.optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
});

const resourceSchema = z.strictObject({
  ...common,
  uri: z.string(),
  name: z.string().optional(),
  mime_type: z.string().optional(),
  source: sourceSchema,
  language,
});

const promptSchema: z.ZodType<PromptDef> = z.strictObject({
  ...common,
  name: z.string(),
  messages: z.array(
    z.strictObject({
      prompt: z.string().optional(),
      role: z.string().optional(),
      type: z.string().optional(),
      file: z.string().optional(),
      mime_type: z.string().optional(),
      uri: z.string().optional(),
    }),
  ),
}) as unknown as z.ZodType<PromptDef>;

/** `language` is optional in the file; a `.ts` source file implies TypeScript, otherwise SQL (MXCP's default). */
function withLanguage<T extends { source: SourceDef; language?: "sql" | "typescript" | "python" | undefined }>(
  def: T,
): T & { language: "sql" | "typescript" | "python" } {
  const inferred = def.source.file && /\.(m|c)?ts$/.test(def.source.file) ? "typescript" : "sql";
  return { ...def, language: def.language ?? inferred };
}

export const endpointFileSchema: z.ZodType<EndpointFile> = z
  .strictObject({
    mxcp: z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]).default(1),
    metadata: z.record(z.string(), z.unknown()).optional(),
    tool: toolSchema.transform((t) => withLanguage(t) as ToolDef).optional(),
    resource: resourceSchema.transform((r) => withLanguage(r) as ResourceDef).optional(),
    prompt: promptSchema.optional(),
  })
  .superRefine((f, ctx) => {
    const kinds = (["tool", "resource", "prompt"] as const).filter((k) => f[k] !== undefined);
    if (kinds.length === 0) {
      ctx.addIssue({ code: "custom", message: "Endpoint definition must include a tool, resource, or prompt definition" });
    } else if (kinds.length > 1) {
      ctx.addIssue({
        code: "custom",
        message: `Endpoint definition must include exactly one of tool, resource or prompt, found: ${kinds.join(", ")}`,
      });
    }
  }) as unknown as z.ZodType<EndpointFile>;

/**
 * What a validated file's cached form depends on besides the file: this package's version and the modules that
 * define the schema (their modification times, so a rebuilt checkout never reads an entry an older schema wrote).
 */
export function endpointSchemaStamp(): string {
  const ext = extname(fileURLToPath(import.meta.url));
  const times = ["./endpoint-schema", "./type-schema", "./definitions"].map((m) => {
    try {
      return statSync(fileURLToPath(new URL(`${m}${ext}`, import.meta.url))).mtimeMs;
    } catch {
      return 0;
    }
  });
  return `${VERSION}:${times.join(":")}`;
}
