// A document that declares no security scheme makes a project that sends no credentials. Many public APIs
// describe themselves that way (GitHub's does) although every private call needs a token, so the user is
// told at generation, in the sample config and by `secrets check`, with the `--auth` choices, and for the
// hosts of well-known APIs, which choice that API takes.

/** What well-known APIs whose descriptions may declare no scheme take, by host (a suffix match). */
const KNOWN_HOSTS: readonly { host: string; auth: string; what: string }[] = [
  { host: "api.github.com", auth: "bearer", what: "a personal access token or an app token" },
  { host: "gitlab.com", auth: "header:PRIVATE-TOKEN", what: "a personal access token" },
  { host: "api.openai.com", auth: "bearer", what: "an API key" },
  { host: "api.anthropic.com", auth: "header:x-api-key", what: "an API key" },
  { host: "slack.com", auth: "bearer", what: "a bot or user token" },
  { host: "api.notion.com", auth: "bearer", what: "an integration token" },
  { host: "api.stripe.com", auth: "bearer", what: "a secret key" },
  { host: "api.twilio.com", auth: "basic", what: "the account SID and auth token" },
  { host: "api.digitalocean.com", auth: "bearer", what: "a personal access token" },
  { host: "api.cloudflare.com", auth: "bearer", what: "an API token" },
  { host: "api.sendgrid.com", auth: "bearer", what: "an API key" },
  { host: "api.mailgun.net", auth: "basic", what: "user 'api' and the API key" },
  { host: "api.hubapi.com", auth: "bearer", what: "a private app token" },
  { host: "atlassian.net", auth: "basic", what: "your email and an API token" },
  { host: "api.atlassian.com", auth: "bearer", what: "an OAuth access token" },
  { host: "api.bitbucket.org", auth: "bearer", what: "an access token" },
  { host: "discord.com", auth: "header:Authorization", what: "'Bot <token>'" },
];

export const AUTH_CHOICES = "--auth bearer, --auth basic, --auth header:NAME or --auth query:NAME";

/** The advice for a document with no security scheme served at `serverUrl` (one line). */
export function undeclaredAuthAdvice(serverUrl: string | undefined): string {
  let host = "";
  try {
    host = serverUrl ? new URL(serverUrl).hostname.toLowerCase() : "";
  } catch {
    host = "";
  }
  const known = KNOWN_HOSTS.find((k) => host === k.host || host.endsWith(`.${k.host}`));
  const general = `if the API needs them, regenerate with ${AUTH_CHOICES}`;
  return known ? `${host} takes --auth ${known.auth} (${known.what}); regenerate with it (other choices: ${AUTH_CHOICES})` : general;
}
