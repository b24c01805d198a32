// oidc-provider (the identity provider the OAuth tests run on 127.0.0.1) ships no type declarations.
declare module "oidc-provider" {
  export default class Provider {
    constructor(issuer: string, configuration: unknown);
    callback(): (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void;
  }
}
