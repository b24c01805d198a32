// How a tool parameter says whether it may be left out, one rule for both generators: MXCP takes a parameter
// as optional exactly when it has a `default` key, so a required one has none, and an optional
// one keeps its source's default or gets `default: null`.
import type { TypeDef } from "../project/definitions.js";

export function withOptionality(type: TypeDef, required: boolean): TypeDef {
  if (!required) return Object.hasOwn(type, "default") ? type : { ...type, default: null };
  if (!Object.hasOwn(type, "default")) return type;
  const { default: _default, ...rest } = type;
  return rest;
}
