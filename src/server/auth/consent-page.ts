// The page a person sees before this server sends them to their provider on a client's behalf: which client asks
// (its name is the client's own claim; its id and where the answer goes are facts), what it gets, and a choice.
// The MCP spec's confused-deputy rule: a proxy with one registered app must ask for each client, or any client
// that registers could ride on a consent the user gave another.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ConsentView {
  /** The client's name as it registered it (unverified), or undefined. */
  clientName?: string | undefined;
  clientId: string;
  /** Whether the client id is a URL the client proved it controls (a metadata document), rather than a registration. */
  verifiedId: boolean;
  redirectUri: string;
  serverName: string;
  providerTitle: string;
  scopes: string[];
  action: string;
  transaction: string;
  formSecret: string;
}

/** Headers of every page this server shows a browser: never framed (clickjacking), never cached, no scripts. */
export const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-frame-options": "DENY",
   // No form-action: browsers apply it to the redirects after a form is sent too, and the answer goes on to the
  // provider or back to the client, wherever their addresses are (a native client's own scheme, say).
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

export function consentPage(v: ConsentView): string {
  const target = new URL(v.redirectUri);
  const who = v.clientName ? `<strong>${escapeHtml(v.clientName)}</strong> (as it calls itself)` : "An unnamed application";
  const idLine = v.verifiedId ? `Its identity: <code>${escapeHtml(v.clientId)}</code> (checked: the client published it there)` : `Its registration: <code>${escapeHtml(v.clientId)}</code> (registered itself; not checked)`;
  const scopes = v.scopes.length ? `<p>With the scopes: ${v.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(" ")}</p>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Allow access to ${escapeHtml(v.serverName)}?</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}code{word-break:break-all}button{font:inherit;padding:.4rem 1.2rem;margin-right:.6rem}</style></head>
<body>
<h1>Allow access to ${escapeHtml(v.serverName)}?</h1>
<p>${who} wants to use the tools of <strong>${escapeHtml(v.serverName)}</strong> as you.</p>
<p>${idLine}</p>
<p>Your answer goes to: <code>${escapeHtml(target.origin)}</code></p>
${scopes}<p>If you allow it, you sign in with ${escapeHtml(v.providerTitle)} next, and this application can then call these tools with your access until you sign out. Allow it only if you started this sign-in yourself.</p>
<form method="post" action="${escapeHtml(v.action)}">
<input type="hidden" name="transaction" value="${escapeHtml(v.transaction)}">
<input type="hidden" name="form_secret" value="${escapeHtml(v.formSecret)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>
`;
}

/** A short page for a sign-in that cannot go on (expired, or opened in another browser). */
export function problemPage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>
`;
}
