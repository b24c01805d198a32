// Spec and .d.ts text becomes tool descriptions a model reads: strip what hides meaning.

/** Zero-width, bidi controls, other invisible format characters and control characters (but not \n and \t). */
const HIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB]|\uDB40[\uDC00-\uDDEF]/g;

export function stripHidden(text: string): string {
  return text.replace(HIDDEN, "");
}

export function hasHidden(text: string): boolean {
  HIDDEN.lastIndex = 0;
  const found = HIDDEN.test(text);
  HIDDEN.lastIndex = 0;
  return found;
}

/**
 * Each hidden character written as its `\uXXXX` escape: the same character inside a TypeScript, JSON or
 * double-quoted YAML string, and visible text inside a comment or markdown (Trojan Source).
 */
export function escapeHidden(text: string): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(HIDDEN)) {
    out += text.slice(last, m.index);
    for (let i = 0; i < m[0].length; i++) out += `\\u${m[0].charCodeAt(i).toString(16).padStart(4, "0")}`;
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** HTML tags removed (block tags become line breaks), common entities decoded. */
export function stripHtml(text: string): string {
  return text
    .replace(/<\s*(br|\/p|\/div|\/li|\/h[1-6]|\/tr)\s*\/?>/gi, "\n")
    .replace(/<\s*li[^>]*>/gi, "- ")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code.startsWith("#x") || code.startsWith("#X")) return String.fromCodePoint(parseInt(code.slice(2), 16));
      if (code.startsWith("#")) return String.fromCodePoint(Number(code.slice(1)));
      return ENTITIES[code.toLowerCase()] ?? whole;
    });
}

/** Markdown links keep their text and lose their target: long documentation URLs cost every model call. */
export function stripLinkTargets(text: string): string {
  return text.replace(/\[([^\]\n]{1,200})\]\((?:https?:\/\/|\/)[^)\s]{1,500}\)/g, "$1");
}

/**
 * A description fit for a tool: HTML stripped, link targets dropped, hidden and bidi characters removed, whitespace tidied,
 * at most `max` characters (cut at a word boundary with an ellipsis).
 */
export function cleanDescription(text: string | undefined, max = 1024): string {
  if (!text) return "";
  let s = stripHidden(stripLinkTargets(stripHtml(text))).replace(/\r\n?/g, "\n").replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  if ([...s].length > max) {
    const cut = [...s].slice(0, max - 1).join("");
    const space = cut.lastIndexOf(" ");
    s = (space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd() + "…";
  }
  return s;
}

/** Summary and description joined, without repeating one inside the other. */
export function joinSummary(summary: string | undefined, description: string | undefined, max = 1024): string {
  const a = cleanDescription(summary, max);
  const b = cleanDescription(description, max);
  if (!a) return cleanDescription(b, max);
  if (!b || b.startsWith(a)) return cleanDescription(b || a, max);
  return cleanDescription(`${a.replace(/\.?$/, ".")}\n\n${b}`, max);
}
