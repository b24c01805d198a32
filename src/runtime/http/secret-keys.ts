// The secret parameter that holds a security scheme's own credential: the scheme's name in snake_case
// (`ApiKeyAuth` → `api_key_auth`). The generator names it in the sample config and report; the client reads it.
// One function, so the two can never disagree.
export function schemeSecretKey(schemeName: string): string {
  return schemeName.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toLowerCase();
}
