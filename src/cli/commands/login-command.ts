// `mxcp-gen login <api>`: sign in to an API whose document offers only a user's OAuth (the authorization code flow:
// Spotify, Slack, Asana, Discord) and keep the refresh token in the API's secret, from which the runtime gets access
// tokens as it needs them. The browser comes back to a loopback address on this machine (RFC 8252) with the code,
// which is exchanged with PKCE; nothing of the sign-in is ever printed.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { loadProject } from "../../project/project.js";
import { setSecretParameter } from "../../project/secrets-setup.js";
import { userConfigPath } from "../../project/user-config.js";
import type { ApiDefinition, SecuritySchemeDef } from "../../runtime/http/types.js";
import { loadModule } from "../../server/module-loader.js";
import type { LoginValues } from "../command-flags.js";
import { CliError, printOk } from "../output.js";

const base64url = (bytes: Buffer) => bytes.toString("base64url");

export async function loginCommand(positionals: string[], flags: LoginValues): Promise<number> {
  const [api] = positionals;
  if (!api) throw new CliError("usage: mxcp-gen login <api>", 2);
  const env = { ...process.env };
  const project = loadProject({ cwd: flags.dir, profile: flags.profile, env });
  const flow = await signInFlow(project.root, api);
  const secret = project.userProfile?.secrets.find((s) => s.name === api);
  if (secret?.unresolved) throw new CliError(`The '${api}' secret cannot be read: ${secret.unresolved}`, 1);
  const param = (k: string) => (typeof secret?.parameters[k] === "string" && secret.parameters[k] !== "" ? (secret.parameters[k] as string) : undefined);
  const clientId = param("client_id");
  if (!clientId) {
    throw new CliError(`Signing in to ${api} needs the client id of your app registered at the API: mxcp-gen secrets add ${api} --set client_id=… [--set client_secret=…] (register http://127.0.0.1 as its redirect address)`, 1);
  }
  const authorizationUrl = param("authorization_url") ?? flow.authorizationUrl;
  const tokenUrl = param("token_url") ?? flow.tokenUrl;
  const scope = flags.scope ?? param("scopes") ?? flow.scopes?.join(" ");
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError("--port takes a port number (0 picks a free one)", 2);
  const timeoutS = flags.timeout === undefined ? 300 : Number(flags.timeout);
  if (!(timeoutS > 0)) throw new CliError("--timeout takes a number of seconds", 2);

  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const callback = await awaitCallback(port, state, timeoutS * 1000);
  const redirectUri = `http://127.0.0.1:${callback.port}/callback`;
  const url = new URL(authorizationUrl);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: clientId, redirect_uri: redirectUri, state, code_challenge: base64url(createHash("sha256").update(verifier).digest()), code_challenge_method: "S256", ...(scope ? { scope } : {}) })) {
    url.searchParams.set(k, v);
  }
  process.stderr.write(`Open this address to sign in to ${api}:\n  ${url.href}\nWaiting for the sign-in to come back to ${redirectUri} (${timeoutS} s; Ctrl-C stops)…\n`);
  if (!flags.noBrowser) openBrowser(url.href);
  let code: string;
  try {
    code = await callback.code;
  } finally {
    callback.close();
  }
  const refreshToken = await exchange(tokenUrl, { code, redirectUri, verifier, clientId, clientSecret: param("client_secret") }, api);
  const path = userConfigPath(env);
  setSecretParameter(path, project.site.project, project.profile, api, "refresh_token", refreshToken);
  printOk({ api, config: path, signed_in: true }, flags, () => `Signed in to ${api}: the refresh token is kept in ${path} (readable by you alone). Its tools now call the API as you.`);
  return 0;
}

/** The API's authorization code flow, read from its generated client (handlers/<api>/client.ts). */
async function signInFlow(root: string, api: string): Promise<NonNullable<Extract<SecuritySchemeDef, { type: "oauth2" }>["authorizationCode"]>> {
  const file = join(root, "handlers", api, "client.ts");
  if (!/^[\w-]+$/.test(api) || !existsSync(file)) throw new CliError(`No generated API '${api}' in this project (handlers/${api}/client.ts); mxcp-gen list shows the tools`, 1);
  const mod = await loadModule(file);
  const definition = (mod.api as { definition?: ApiDefinition } | undefined)?.definition;
  for (const s of Object.values(definition?.securitySchemes ?? {})) {
    if (s.type === "oauth2" && s.authorizationCode) return s.authorizationCode;
  }
  throw new CliError(`The ${api} API's document offers no OAuth authorization code flow to sign in with; its credentials go in its secret (mxcp-gen secrets add ${api})`, 1);
}

/**
 * A one-shot listener on 127.0.0.1 for the browser's return: it takes the code when the state is the one sent (a
 * request without it is refused and changes nothing), and answers with a page that reflects nothing it was sent.
 */
async function awaitCallback(port: number, state: string, timeoutMs: number): Promise<{ port: number; code: Promise<string>; close(): void }> {
  let settle!: { resolve: (code: string) => void; reject: (e: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/callback" || url.searchParams.get("state") !== state) {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("This is not the sign-in this command started.\n");
      return;
    }
    const error = url.searchParams.get("error");
    const given = url.searchParams.get("code");
    res.writeHead(error || !given ? 400 : 200, { "content-type": "text/plain; charset=utf-8" }).end(error || !given ? "The sign-in did not succeed; see the terminal.\n" : "Signed in. You can close this tab and go back to the terminal.\n");
    if (error) settle.reject(new CliError(`The sign-in was refused: ${error.replace(/[^\w .-]/g, "").slice(0, 80)}`, 1));
    else if (given) settle.resolve(given);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => reject(new CliError(e.code === "EADDRINUSE" ? `Port ${port} on 127.0.0.1 is in use: pick another with --port` : e.message, 1)));
    server.listen(port, "127.0.0.1", resolve);
  });
  const timer = setTimeout(() => settle.reject(new CliError(`No sign-in came back within ${Math.round(timeoutMs / 1000)} s (--timeout)`, 1)), timeoutMs);
  return {
    port: (server.address() as AddressInfo).port,
    code,
    close: () => {
      clearTimeout(timer);
      server.closeAllConnections();
      server.close();
    },
  };
}

/** The code for tokens (with the PKCE verifier); the refresh token is what is kept. */
async function exchange(tokenUrl: string, p: { code: string; redirectUri: string; verifier: string; clientId: string; clientSecret: string | undefined }, api: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: "authorization_code", code: p.code, redirect_uri: p.redirectUri, code_verifier: p.verifier });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (p.clientSecret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(p.clientId)}:${encodeURIComponent(p.clientSecret)}`).toString("base64")}`;
  else form.set("client_id", p.clientId);
  let res: Response;
  try {
    res = await fetch(tokenUrl, { method: "POST", headers, body: form, redirect: "error", signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    throw new CliError(`The token request to ${new URL(tokenUrl).origin} failed: ${(e as Error).message}`, 1);
  }
  const body = (await res.json().catch(() => ({}))) as { refresh_token?: unknown; error?: unknown };
  if (!res.ok) throw new CliError(`The API refused the sign-in (HTTP ${res.status}${typeof body.error === "string" ? `, ${body.error.replace(/[^\w .-]/g, "").slice(0, 60)}` : ""})`, 1);
  if (typeof body.refresh_token !== "string" || body.refresh_token === "") {
    throw new CliError(`${api} gave no refresh token, so the sign-in would not outlast the access token: ask for offline access (--scope, as the API's documentation says), or put an access token in the secret as token`, 1);
  }
  return body.refresh_token;
}

/** Best effort: the system's browser, where there is one; the address is printed either way. */
function openBrowser(url: string): void {
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  if (process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn(command, [url], { stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // No browser: the printed address is the way.
  }
}
