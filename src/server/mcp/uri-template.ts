import { setOwn } from "../../runtime/own.js";

/** The `{name}` variables of a resource URI template, in order. */
export function uriVariables(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/**
 * Match a concrete URI against a template such as `items://{id}/notes/{note}`; each variable
 * takes one path segment. Returns the decoded variables, or undefined when it does not match.
 */
export function matchUriTemplate(template: string, uri: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
    if (name !== undefined) {
      names.push(name);
      return "([^/?#]+)";
    }
    return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  });
  const m = new RegExp(`^${pattern}$`).exec(uri);
  if (!m) return undefined;
  const vars: Record<string, string> = {};
  names.forEach((n, i) => {
    let v = m[i + 1]!;
    try {
      v = decodeURIComponent(v);
    } catch {
      // Keep the raw text when it is not valid percent-encoding.
    }
    setOwn(vars, n, v);
  });
  return vars;
}
