// MXCP's type vocabulary, written once: the zod schema that checks a type in an endpoint file is also where the
// TypeScript type (`TypeDef`) and the order keys are written out in (`TYPE_KEYS`) come from, so adding a key
// here adds it to loading, to the type every module uses, and to every generated YAML file.
import { z } from "zod";

const nonNegative = z.number().int().min(0);

export const TYPE_NAMES = ["string", "number", "integer", "boolean", "array", "object"] as const;
export const FORMATS = ["email", "uri", "date", "time", "date-time", "duration", "timestamp"] as const;

/** A type in an endpoint file; its keys in the order generated files write them. Extra keys are refused, as MXCP does. */
export const typeSchema = z.strictObject({
  type: z.enum(TYPE_NAMES),
  format: z.enum(FORMATS).optional(),
  description: z.string().optional(),
  enum: z.array(z.unknown()).optional(),
  examples: z.array(z.unknown()).optional(),
  minLength: nonNegative.optional(),
  maxLength: nonNegative.optional(),
  pattern: z.string().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  exclusiveMinimum: z.number().optional(),
  exclusiveMaximum: z.number().optional(),
  multipleOf: z.number().optional(),
  minItems: nonNegative.optional(),
  maxItems: nonNegative.optional(),
  uniqueItems: z.boolean().optional(),
  get items() {
    return typeSchema.optional();
  },
  get properties() {
    return z.record(z.string(), typeSchema).optional();
  },
  required: z.array(z.string()).optional(),
  additionalProperties: z.boolean().optional(),
  sensitive: z.boolean().optional(),
  default: z.unknown().optional(),
});

export type TypeDef = z.infer<typeof typeSchema>;
export type MxcpTypeName = TypeDef["type"];
export type MxcpFormat = NonNullable<TypeDef["format"]>;

/** Every key a type may have, in the order generated files write them. */
export const TYPE_KEYS = Object.keys(typeSchema.shape) as (keyof TypeDef)[];

/** The constraints MXCP's types share with JSON Schema, in the schema's order. */
export const CONSTRAINT_KEYS = ["minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems"] as const satisfies readonly (keyof TypeDef)[];
