import nunjucks from "nunjucks";

// MXCP prompt messages are Jinja2 templates; nunjucks speaks the same template language.
const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });

interface AstNode {
  typename: string;
  fields?: string[];
  value?: unknown;
  [field: string]: unknown;
}

/** Variables a template reads that it does not bind itself (`for` targets and `set` are bound). */
export function templateVariables(source: string): string[] {
  const root = (nunjucks as unknown as { parser: { parse(src: string): AstNode } }).parser.parse(source);
  const used = new Set<string>();
  const bound = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const n = node as AstNode;
    if (n.typename === "Symbol" && typeof n.value === "string") {
      used.add(n.value);
      return;
    }
    for (const field of n.fields ?? []) {
      if (n.typename === "Filter" && field === "name") continue;
      if (n.typename === "LookupVal" && field === "val" && (n.val as AstNode | undefined)?.typename === "Literal") continue;
      if (n.typename === "For" && field === "name") {
        collectSymbols(n.name, bound);
        continue;
      }
      if (n.typename === "Set" && field === "targets") {
        collectSymbols(n.targets, bound);
        continue;
      }
      visit(n[field]);
    }
  };
  visit(root);
  return [...used].filter((v) => !bound.has(v) && !["loop", "true", "false", "none", "True", "False", "None"].includes(v)).sort();
}

function collectSymbols(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((n) => collectSymbols(n, into));
  if (!node || typeof node !== "object") return;
  const n = node as AstNode;
  if (n.typename === "Symbol" && typeof n.value === "string") into.add(n.value);
  for (const field of n.fields ?? []) collectSymbols(n[field], into);
}

export function renderTemplate(source: string, vars: Record<string, unknown>): string {
  return env.renderString(source, vars);
}
