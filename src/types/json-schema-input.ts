// A tool's `input_schema`: JSON Schema as its author wrote it (2020-12 by default, or the draft its `$schema` names),
// compiled once by Ajv and checked on every call. Nothing outside the schema is fetched: a `$ref` to another
// document is an error at load, never a request.
import { createRequire } from "node:module";
import type { ErrorObject as AjvError, ValidateFunction } from "ajv";
import { ValidationError } from "./validate-input.js";

type AjvClass = new (options: Record<string, unknown>) => { compile(schema: unknown): ValidateFunction };

const require = createRequire(import.meta.url);

const DIALECTS: [RegExp, string][] = [
  [/^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/, "ajv/dist/2020.js"],
  [/^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/, "ajv/dist/2019.js"],
  [/^https?:\/\/json-schema\.org\/draft-0[67]\/schema#?$/, "ajv/dist/ajv.js"],
];

const compiled = new WeakMap<object, ValidateFunction>();

/** Compile `schema` (throws a message naming what is wrong); the validator is kept for the schema object. */
export function compileInputSchema(schema: Record<string, unknown>): ValidateFunction {
  const known = compiled.get(schema);
  if (known) return known;
  const dialect = schema.$schema;
  if (dialect !== undefined && typeof dialect !== "string") throw new Error("$schema must be a string");
  const module = dialect === undefined ? "ajv/dist/2020.js" : DIALECTS.find(([re]) => re.test(dialect))?.[1];
  if (!module) throw new Error(`$schema ${dialect} is not a dialect mxcp-gen checks (2020-12, 2019-09, draft-07, draft-06)`);
  if (schema.type !== "object") throw new Error('An input schema describes the arguments object: its type must be "object"');
  const Ajv = require(module) as AjvClass;
  // strictSchema: a keyword Ajv does not know is an error at load, not a rule silently skipped at call time.
  const ajv = new Ajv({ strictSchema: true, strictNumbers: true, strictTypes: false, strictTuples: false, strictRequired: false, allErrors: true, allowUnionTypes: true, validateFormats: false });
  const validate = ajv.compile(schema);
  compiled.set(schema, validate);
  return validate;
}

/** Check a call's arguments against the tool's input schema; the error names the parameter and the rule. */
export function validateWithSchema(schema: Record<string, unknown>, args: Record<string, unknown>): Record<string, unknown> {
  const validate = compileInputSchema(schema);
  if (validate(args)) return args;
  throw new ValidationError((validate.errors ?? []).map(describe).join("; ") || "The arguments do not match the input schema");
}

function describe(e: AjvError): string {
  const where = e.instancePath ? `Parameter '${e.instancePath.slice(1).split("/").join(".")}'` : "The arguments";
  if (e.keyword === "additionalProperties") return `${where}: unknown parameter '${String((e.params as { additionalProperty?: unknown }).additionalProperty)}'`;
  if (e.keyword === "required") return `${where}: missing required parameter '${String((e.params as { missingProperty?: unknown }).missingProperty)}'`;
  return `${where} ${e.message ?? "is not valid"} (${e.keyword})`;
}
