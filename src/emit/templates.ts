import { readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { PACKAGE_ROOT } from "../package-info.js";

// One isolated Handlebars environment. Templates only place precomputed, already-escaped text:
// `noEscape` because HTML escaping would corrupt TypeScript, `strict` so a missing field throws.
const env = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

export function renderTemplate(name: string, view: Record<string, unknown>): string {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(join(PACKAGE_ROOT, "templates", name), "utf8");
    template = env.compile(source, { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return normalizeText(template(view));
}

/** LF line endings, no trailing spaces, at most one blank line in a row, one final newline. */
export function normalizeText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      .replace(/[ \t]+$/gm, "")
      .replace(/\n{3,}/g, "\n\n")
      .replace(/\n*$/, "") + "\n"
  );
}
