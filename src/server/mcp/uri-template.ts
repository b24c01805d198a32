// Resource URI templates (RFC 6570) as the MCP SDK parses and matches them; MXCP's variables are text, so each
// matched value is percent-decoded (a list from an exploded variable is joined back with commas).
import { UriTemplate } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
import { setOwn } from "../../runtime/own.js";

/** The template, parsed; undefined when it is no template or not a valid one. */
function parsed(template: string): UriTemplate | undefined {
  if (!UriTemplate.isTemplate(template)) return undefined;
  try {
    return new UriTemplate(template);
  } catch {
    return undefined;
  }
}

/** The `{name}` variables of a resource URI template, in order. */
export function uriVariables(template: string): string[] {
  return parsed(template)?.variableNames ?? [];
}

/**
 * Match a concrete URI against a template such as `items://{id}/notes/{note}`; a simple variable takes one path
 * segment. Returns the decoded variables, or undefined when it does not match.
 */
export function matchUriTemplate(template: string, uri: string): Record<string, string> | undefined {
  // A resource's fixed URI matches itself, with no variables.
  if (!UriTemplate.isTemplate(template)) return template === uri ? {} : undefined;
  let m: ReturnType<UriTemplate["match"]> | undefined;
  try {
    m = parsed(template)?.match(uri);
  } catch {
    return undefined; // a URI longer than the SDK matches
  }
  if (!m) return undefined;
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(m)) {
    const text = Array.isArray(value) ? value.join(",") : value;
    let decoded = text;
    try {
      decoded = decodeURIComponent(text);
    } catch {
      // Keep the raw text when it is not valid percent-encoding.
    }
    setOwn(vars, name, decoded);
  }
  return vars;
}
