// What a tool does to the world, said as MCP's annotation hints, one rule for both generators: a read changes
// nothing and may be repeated; a destructive call is flagged whatever else it is; every tool reaches outside
// the project (the API, the SDK's service).
import type { AnnotationsDef } from "../project/definitions.js";

export type Effect = "read" | "write" | "destructive";

export function toolAnnotations(effect: Effect, idempotent: boolean, title?: string): AnnotationsDef {
  return {
    ...(title ? { title } : {}),
    readOnlyHint: effect === "read",
    destructiveHint: effect === "destructive",
    idempotentHint: effect === "read" || idempotent,
    openWorldHint: true,
  };
}
