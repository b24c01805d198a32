// The browser's part of a sign-in through the server's OAuth proxy, as HTTP requests: the consent page (its form,
// its cookie), the provider's own pages (signInAs), and the return through the server to the client.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { OAuthUser } from "./oauth-user.js";
import { signInAs } from "./sign-in.js";

export class Browser {
  readonly cookies = new Map<string, string>();

  keep(r: Response): void {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      const value = pair!.slice(at + 1);
      if (value === "" || /max-age=0/i.test(c)) this.cookies.delete(pair!.slice(0, at));
      else this.cookies.set(pair!.slice(0, at), value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async get(url: string): Promise<Response> {
    const r = await fetch(url, { redirect: "manual", headers: { cookie: this.header() } });
    this.keep(r);
    return r;
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    const r = await fetch(url, { method: "POST", redirect: "manual", headers: { cookie: this.header(), "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) });
    this.keep(r);
    return r;
  }
}

export interface ConsentForm {
  action: string;
  transaction: string;
  formSecret: string;
  html: string;
}

/** Open the server's authorization URL: its consent page and the form on it. */
export async function openConsent(browser: Browser, authorization: URL): Promise<ConsentForm> {
  const page = await browser.get(authorization.href);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`no consent page: ${page.status} ${html.slice(0, 300)}`);
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? "";
  return { action: action.replace(/&#38;/g, "&"), transaction: field("transaction"), formSecret: field("form_secret"), html };
}

/**
 * A whole sign-in: consent (allow), the provider's pages as `login`, and the way back through the server. Returns
 * the address the server sends the browser to at the end: the client's redirect, with its code.
 */
export async function proxySignIn(login: string, authorization: URL, callback: string, browser = new Browser()): Promise<URL> {
  const form = await openConsent(browser, authorization);
  const allowed = await browser.post(form.action, { transaction: form.transaction, form_secret: form.formSecret, decision: "allow" });
  if (allowed.status !== 302) throw new Error(`consent answered ${allowed.status}: ${(await allowed.text()).slice(0, 300)}`);
  const atProvider = new URL(allowed.headers.get("location")!);
  const back = await signInAs(login, atProvider, callback);
  const returned = await browser.get(back);
  if (returned.status !== 302) throw new Error(`the server's callback answered ${returned.status}: ${(await returned.text()).slice(0, 300)}`);
  return new URL(returned.headers.get("location")!);
}

/**
 * Sign `login` in with the MCP SDK's client at `mcpUrl`, as an editor would: its first request is refused (401), it
 * discovers the server's authorization server and registers (or names itself by a metadata document), the browser's
 * part follows, and the client exchanges the code it is sent back. Returns the client's OAuth state, with its tokens.
 */
export async function signInWithClient(mcpUrl: string, login: string, callback: string, user = new OAuthUser()): Promise<OAuthUser> {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: user });
  const refused = await new Client({ name: "team", version: "1" }).connect(transport).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!/Unauthorized/.test(String(refused))) throw new Error(`expected the first connection to be refused (401), got: ${String(refused)}`);
  const back = await proxySignIn(login, user.authorizationUrl!, callback);
  if (back.origin + back.pathname !== user.redirectUrl) throw new Error(`sent back to ${back.href}, not the client's ${user.redirectUrl}`);
  await transport.finishAuth(back.searchParams.get("code")!);
  return user;
}
