// The browser's part of an OAuth sign-in at oidc-provider (its development sign-in and consent pages), done with
// HTTP requests so the tests need no browser.

/**
 * The browser's part, as HTTP requests: follow the issuer's redirects with its cookies, sign in as `login` on its
 * login page and consent on its consent page, until it redirects back to the client: the address it sends the
 * browser to (with the code), which is not opened here.
 */
export async function signInAs(login: string, start: URL, redirectUrl: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  let next = start.href;
  for (let step = 0; step < 12; step++) {
    if (next.startsWith(redirectUrl)) {
      if (!new URL(next).searchParams.get("code")) throw new Error(`redirected back without a code: ${next}`);
      return next;
    }
    const page = await fetch(next, { redirect: "manual", headers: { cookie: header() } });
    keep(page);
    if (page.status >= 300 && page.status < 400) {
      next = new URL(page.headers.get("location")!, next).href;
      continue;
    }
    const html = await page.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!prompt) throw new Error(`unexpected page at ${next}: ${page.status} ${html.slice(0, 300)}`);
    const form = new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt });
    const posted = await fetch(next, { method: "POST", redirect: "manual", headers: { cookie: header(), "content-type": "application/x-www-form-urlencoded" }, body: form });
    keep(posted);
    next = new URL(posted.headers.get("location")!, next).href;
  }
  throw new Error("the sign-in did not come back to the client");
}
