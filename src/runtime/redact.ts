// A secret leaves in more shapes than its raw value: percent-encoded in a query an upstream echoes, as the
// base64 of `user:password` in a Basic header, JSON-escaped in a log record. Every form a secret can be sent
// or stored in is removed from whatever the process hands out: results, errors, log lines, audit records.
import { runtimeState } from "./state.js";

const MIN_LENGTH = 4;
// Secret parameters that configure or identify rather than authenticate: hiding every "admin" or every base
// URL in every result would garble data and hide where a request went. (A user name still goes in its
// base64 `user:password` form, which is a credential.)
const NOT_SECRET = new Set(["base_url", "timeout_seconds", "username", "user", "client_id"]);
export const REDACTED = "[REDACTED]";

function forms(value: string): string[] {
  const out = new Set<string>([value]);
  const pct = encodeURIComponent(value);
  out.add(pct);
  out.add(pct.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  out.add(pct.replace(/%20/g, "+"));
  out.add(encodeURI(value));
  for (const f of embeddedBase64(Buffer.from(value))) out.add(f);
  return [...out];
}

/**
 * The base64 (and base64url) text a secret becomes inside the encoding of a longer value (`Bearer <token>`,
 * `user:<password>`), at each of the three byte alignments it can start at: the characters of the groups that
 * hold only the secret's bytes, whatever comes before or after it.
 */
function embeddedBase64(bytes: Buffer): string[] {
  const out: string[] = [bytes.toString("base64"), bytes.toString("base64url")];
  for (let k = 0; k < 3; k++) {
    const padded = Buffer.concat([Buffer.alloc(k), bytes]);
    const first = Math.ceil(k / 3);
    const last = Math.floor((k + bytes.length) / 3); // groups [first, last) hold only the secret's bytes
    if (last - first < 2) continue; // too short to tell apart from other data
    for (const encoding of ["base64", "base64url"] as const) out.push(padded.toString(encoding).slice(4 * first, 4 * last));
  }
  return out;
}

let cached: { key: unknown; extra: number; list: string[]; pattern: RegExp | undefined } | undefined;
// Secrets obtained at run time (OAuth access tokens, signed-in users' tokens at an API): redacted like configured
// ones. The most recent ones are kept: a team's server sees a new token per user and per renewal.
const obtained = new Set<string>();
const MAX_OBTAINED = 2_000;
let obtainedVersion = 0;

/** Treat a value obtained at run time (an access token) as a secret from now on. */
export function addSecretValue(value: string): void {
  if (value.length < MIN_LENGTH || obtained.has(value)) return;
  if (obtained.size >= MAX_OBTAINED) obtained.delete(obtained.values().next().value!);
  obtained.add(value);
  obtainedVersion++;
}

/** Every form of every secret value, longest first (so a longer form is never cut by a shorter one). */
export function secretForms(): string[] {
  const secrets = runtimeState().secrets;
  if (cached?.key === secrets && cached.extra === obtainedVersion) return cached.list;
  const all = new Set<string>();
  for (const v of obtained) for (const f of forms(v)) all.add(f);
  for (const s of secrets) {
    const p = s.parameters;
    for (const [k, v] of Object.entries(p)) if (!NOT_SECRET.has(k) && typeof v === "string" && v.length >= MIN_LENGTH) for (const f of forms(v)) all.add(f);
    // Extra headers a secret sends (`headers: {X-Api-Key: …}`) are as secret as the rest of it.
    const extra = p.headers && typeof p.headers === "object" && !Array.isArray(p.headers) ? Object.values(p.headers as Record<string, unknown>) : [];
    for (const v of extra) if (typeof v === "string" && v.length >= MIN_LENGTH) for (const f of forms(v)) all.add(f);
    const user = typeof p.username === "string" ? p.username : typeof p.user === "string" ? p.user : undefined;
    const pass = typeof p.password === "string" ? p.password : undefined;
    if (user !== undefined && pass !== undefined) {
      const pair = `${user}:${pass}`;
      all.add(Buffer.from(pair).toString("base64"));
      all.add(Buffer.from(pair).toString("base64url"));
    }
  }
  for (const f of [...all]) all.add(JSON.stringify(f).slice(1, -1)); // as it appears inside JSON text
  const list = [...all].filter((f) => f.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
  cached = { key: secrets, extra: obtainedVersion, list, pattern: formsPattern(list) };
  return list;
}

/** One case-insensitive pattern for every form (an upper-cased secret is still the secret), longest first. */
function formsPattern(forms: readonly string[]): RegExp | undefined {
  if (forms.length === 0) return undefined;
  return new RegExp(forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
}

/** `text` with every form of every secret replaced, in any case. `extra` adds values only this caller knows (tokens). */
export function redactText(text: string, extra: readonly string[] = []): string {
  secretForms();
  let out = cached?.pattern ? text.replace(cached.pattern, REDACTED) : text;
  const more = extra.filter((x) => x.length >= MIN_LENGTH);
  if (more.length > 0) out = out.replace(formsPattern(more.flatMap((x) => forms(x)).sort((a, b) => b.length - a.length))!, REDACTED);
  return out;
}

/** A JSON value with every secret form removed from its strings and keys (the value itself when none is there). */
export function redactValue<T>(value: T): T {
  if (value === undefined) return value;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    return value;
  }
  if (text === undefined) return value;
  const clean = redactText(text);
  return clean === text ? value : (JSON.parse(clean) as T);
}
