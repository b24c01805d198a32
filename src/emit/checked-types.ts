// openapi-typescript's types for a document, checked: what does not compile is typed any and said in the
// warnings. The one step of a generation that can run off the main thread (see types-job.ts).
import type { OpenAPI3 } from "openapi-typescript";
import { openapiTypes } from "./openapi-types.js";
import { degradeBrokenTypes } from "./types-check.js";

export interface TypesResult {
  text: string;
  /** Warnings for the report, in order. */
  warnings: string[];
  /** One line per step, for progress. */
  steps: string[];
}

/** The document is consumed: openapi-typescript may change it. */
export async function checkedTypes(document: OpenAPI3): Promise<TypesResult> {
  const warnings: string[] = [];
  const steps: string[] = [];
  const types = await openapiTypes(document, { consume: true });
  steps.push(types.warning ? `types: ${types.warning}` : "types from openapi-typescript");
  if (types.warning) warnings.push(`warning: ${types.warning}`);
  try {
    const checked = degradeBrokenTypes(types.text);
    if (checked.degraded.length > 0) warnings.push(`warning: openapi-typescript's types for ${checked.degraded.join(", ")} did not compile; they are typed any in types.ts`);
    steps.push(`types checked${checked.degraded.length ? `: ${checked.degraded.length} degraded` : ""}`);
    return { text: checked.text, warnings, steps };
  } catch (e) {
    warnings.push(`warning: could not check types.ts (${(e as Error).message}); it is kept as openapi-typescript wrote it`);
    return { text: types.text, warnings, steps };
  }
}
