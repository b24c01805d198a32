// What a user's MCP client keeps while it signs in, as the MCP SDK's client asks for it (its OAuthClientProvider):
// its registration, the PKCE verifier, the tokens, and the authorization URL it would open in a browser.
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

export class OAuthUser implements OAuthClientProvider {
  registered: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = "";
  authorizationUrl: URL | undefined;

  readonly redirectUrl: string;
  /** An https URL: the client names itself by a client ID metadata document there, instead of registering. */
  readonly clientMetadataUrl: string | undefined;
  private readonly grantTypes: string[];

  constructor(opts: { redirectUrl?: string; clientMetadataUrl?: string; grantTypes?: string[] } = {}) {
    this.redirectUrl = opts.redirectUrl ?? "http://127.0.0.1:9/callback";
    this.clientMetadataUrl = opts.clientMetadataUrl;
    this.grantTypes = opts.grantTypes ?? ["authorization_code", "refresh_token"];
  }

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: "Team member's editor", redirect_uris: [this.redirectUrl], grant_types: this.grantTypes, response_types: ["code"], token_endpoint_auth_method: "none" };
  }
  clientInformation() {
    return this.registered;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.registered = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}
