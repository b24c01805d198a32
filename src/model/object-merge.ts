// Object types that stand for one value merged into one, one rule for both generators: properties are
// joined (one several members declare is merged by the caller's rule), `all` (an intersection, allOf)
// requires what any member requires, `any` (a union, oneOf/anyOf) only what every member requires, and the
// first member's words describe the whole.
import type { TypeDef } from "../project/definitions.js";
import { setOwn } from "../runtime/own.js";

export interface ObjectMergeRules {
  /** A property two members declare: the default keeps the first member's. */
  property?: (first: TypeDef, next: TypeDef) => TypeDef;
  /** Whether `required` is kept (results are not checked for it). Default true. */
  required?: boolean;
}

export function mergeObjectTypes(objects: TypeDef[], mode: "all" | "any", rules: ObjectMergeRules = {}): TypeDef {
  const properties: Record<string, TypeDef> = {};
  for (const o of objects) {
    for (const [k, v] of Object.entries(o.properties ?? {})) {
      if (!Object.hasOwn(properties, k)) setOwn(properties, k, v);
      else if (rules.property) setOwn(properties, k, rules.property(properties[k]!, v));
    }
  }
  const out: TypeDef = { type: "object" };
  const description = objects.map((o) => o.description).find(Boolean);
  if (description) out.description = description;
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (rules.required !== false) {
    const lists = objects.map((o) => o.required ?? []);
    const required = mode === "all" ? [...new Set(lists.flat())] : (lists[0] ?? []).filter((r) => lists.every((l) => l.includes(r)));
    if (required.length > 0) out.required = required;
  }
  return out;
}
