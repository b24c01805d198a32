// How a client without a profile is built from the project's secret, read off its constructor's (or factory's)
// parameter types: positional strings (`new ServerClient(serverToken)`, `algoliasearch(appId, apiKey)`), and an
// options object's key, base-URL, credential and other required string options (`{ apiKey, baseURL }`,
// `{ url, token }`, `{ credentials: { accessKeyId, secretAccessKey }, region }`). Each value the constructor
// needs becomes a named secret parameter; nothing else is passed.
import { ts } from "ts-morph";
import { snakeCase } from "../../src/model/naming.js";
import type { ConstructionPlan, ConstructorValue, SecretParameter } from "../../src/model/tool-model.js";
import { docOf, isDeprecated, isHidden } from "./types.js";

// Option names that take the API key, best first; any other name ending so is one too.
const KEY_NAMES = ["apiKey", "api_key", "secretKey", "secret_key", "accessToken", "access_token", "serverToken", "apiToken", "api_token", "token", "bearerToken", "authToken", "auth", "key", "password"];
const KEY_LIKE = /(key|token|secret|password|^auth)$/i;
// Keys an SDK uses for something other than calling the API (verifying webhooks, signing tokens), or that are public.
const NOT_A_CREDENTIAL = /webhook|jwt|signing|publishable|public|encryption|cache|idempotency/i;
// The account a key belongs to, where the API asks for both (`tokenId` with `tokenSecret`, `accessKeyId`, `appId`).
const ACCOUNT_LIKE = /^(\w*(Id|ID|Sid)|user(name)?|account|organization|project)$/;
// A bare host option beside a protocol switch (`{ requestHost, useHttps }`): it takes `host:port`, not a URL.
const HTTPS_SWITCH = /^(use_?https|secure|ssl|https)$/i;
// Option names that take where the API is.
const URL_NAMES = ["baseURL", "baseUrl", "base_url", "serverURL", "serverUrl", "apiUrl", "apiURL", "url", "host", "endpoint", "basePath", "environment"];
const URL_LIKE = /(ur[li]|host|endpoint|base_?path)$/i;
// Options a cloud client cannot work without although its type says optional.
const NEEDED_OPTIONS = /^region$/i;

interface Context {
  checker: ts.TypeChecker;
  at: ts.Node;
  secrets: SecretParameter[];
  /** The key-like secret parameters found, in the order met: the first is `api_key`. */
  keys: string[];
}

function acceptsString(t: ts.Type, ctx: Context): boolean {
  return ctx.checker.isTypeAssignableTo(ctx.checker.getStringType(), t);
}

function acceptsUndefined(t: ts.Type, ctx: Context): boolean {
  return ctx.checker.isTypeAssignableTo(ctx.checker.getUndefinedType(), t);
}

/** The object members of a type (`string | Options` → Options), or undefined when there is none with properties. */
function objectPart(t: ts.Type, ctx: Context): ts.Type | undefined {
  const nn = ctx.checker.getNonNullableType(t);
  const members = nn.isUnion() ? nn.types : [nn];
  const objects = members.filter((m) => m.getFlags() & ts.TypeFlags.Object && m.getCallSignatures().length === 0 && !ctx.checker.isArrayType(m) && ctx.checker.getPropertiesOfType(m).length > 0);
  return objects.length === 1 ? objects[0] : nn.isIntersection() ? nn : undefined;
}

/** A secret parameter's name for an option: the key is `api_key`, the address `base_url`, others their own name. */
function secretName(option: string, role: "key" | "url" | "other", ctx: Context): string {
  const wanted = role === "key" && !ctx.secrets.some((s) => s.name === "api_key") ? "api_key" : role === "url" && !ctx.secrets.some((s) => s.name === "base_url") ? "base_url" : snakeCase(option);
  let name = wanted;
  for (let i = 2; ctx.secrets.some((s) => s.name === name); i++) name = `${wanted}_${i}`;
  return name;
}

function addSecret(ctx: Context, option: string, role: "key" | "url" | "other", passedAs: string, doc: string, required: boolean, ownName = false): ConstructorValue {
  const name = ownName ? secretName(option, "other", ctx) : secretName(option, role, ctx);
  // The SDK's own word for the value where it has a short one.
  const own = doc.length > 0 && doc.length <= 80 ? doc.replace(/\.$/, "") : "";
  const what = own || (role === "key" ? "API key" : role === "url" ? "Base URL (a proxy or a local stand-in)" : `The ${option} the client is created with`);
  ctx.secrets.push({ name, description: `${what} (passed as ${passedAs})`, passedAs, ...(required ? { required: true } : {}) });
  if (role === "key") ctx.keys.push(name);
  return { kind: "secret", parameter: name, required };
}

function roleOf(name: string, t: ts.Type, ctx: Context): "key" | "url" | "other" | undefined {
  if (!acceptsString(t, ctx)) return undefined;
  if ((KEY_NAMES.includes(name) || KEY_LIKE.test(name)) && !NOT_A_CREDENTIAL.test(name)) return "key";
  if (URL_NAMES.includes(name) || URL_LIKE.test(name)) return "url";
  return "other";
}

/**
 * An options object: its key (the current one when another is deprecated), its base URL, a nested credentials
 * object of strings (AWS's `{ accessKeyId, secretAccessKey, sessionToken }`), a region, and every other string
 * option it requires. Undefined when a required option is something no secret can hold.
 */
function objectValue(t: ts.Type, ctx: Context, where: string, nested: boolean): ConstructorValue | undefined {
  const properties: { name: string; value: ConstructorValue }[] = [];
  const props = ctx.checker.getPropertiesOfType(t).filter((p) => !isHidden(p));
  const typeOf = (p: ts.Symbol) => ctx.checker.getTypeOfSymbolAtLocation(p, ctx.at);
  const optional = (p: ts.Symbol) => (p.getFlags() & ts.SymbolFlags.Optional) !== 0 || acceptsUndefined(typeOf(p), ctx);
  if (nested) {
    // A credentials object is a set of parts, each its own secret parameter under its own name (access_key_id,
    // secret_access_key, session_token); the first key-like part is the one that must be set.
    let key = false;
    for (const p of props) {
      const role = roleOf(p.getName(), typeOf(p), ctx);
      if (!role) return undefined;
      const isKey: boolean = role === "key" && !key && !/session/i.test(p.getName());
      key ||= isKey;
      properties.push({ name: p.getName(), value: addSecret(ctx, p.getName(), isKey ? "key" : "other", `${where}.${p.getName()}`, docOf(p, ctx.checker), !optional(p), true) });
    }
    return key ? { kind: "object", properties } : undefined;
  }
  const rank = (names: string[], like: RegExp) => (p: ts.Symbol) => {
    const i = names.indexOf(p.getName());
    return (isDeprecated(p, ctx.checker) ? 100 : 0) + (i >= 0 ? i : like.test(p.getName()) ? names.length : 1_000);
  };
  const byRank = (role: "key" | "url", names: string[], like: RegExp) =>
    props
      .filter((p) => roleOf(p.getName(), typeOf(p), ctx) === role)
      .map((p) => ({ p, r: rank(names, like)(p) }))
      .filter((x) => x.r < 1_000)
      .sort((a, b) => a.r - b.r)
      .map((x) => x.p);
  const keys = byRank("key", KEY_NAMES, KEY_LIKE);
  const urls = nested ? [] : byRank("url", URL_NAMES, URL_LIKE);
  // Several current ways to pass a credential (`apiKey` or `accessToken`) are choices; a deprecated one is not offered.
  const current = keys.filter((p) => !isDeprecated(p, ctx.checker));
  const chosenKeys = current.length > 0 ? current.slice(0, 3) : keys.slice(0, 1);
  const chosen = new Set<ts.Symbol>([...chosenKeys, ...urls.slice(0, 1)]);
  const httpsSwitch = props.find((p) => HTTPS_SWITCH.test(p.getName()) && ctx.checker.isTypeAssignableTo(ctx.checker.getTrueType(), typeOf(p)));
  const hostOnly = urls[0] !== undefined && /host$/i.test(urls[0].getName()) && httpsSwitch !== undefined;
  for (const p of props) {
    const name = p.getName();
    const type = typeOf(p);
    const at = `${where}.${name}`;
    if (chosen.has(p)) {
      const role = chosenKeys.includes(p) ? "key" : "url";
      const value = addSecret(ctx, name, role, `${at}${role === "url" && hostOnly ? ", its host and port" : ""}`, docOf(p, ctx.checker), !optional(p));
      properties.push({ name, value: role === "url" && hostOnly && value.kind === "secret" ? { ...value, part: "host" } : value });
      continue;
    }
    if (p === httpsSwitch && hostOnly) continue; // set from the same URL, below
    const role = roleOf(name, type, ctx);
    const account = role === "other" && keys.length > 0 && ACCOUNT_LIKE.test(name);
    if (role === "other" && (!optional(p) || NEEDED_OPTIONS.test(name) || account)) {
      properties.push({ name, value: addSecret(ctx, name, "other", at, docOf(p, ctx.checker), !optional(p)) });
      continue;
    }
    const inner = !nested && /^(credentials|auth)$/i.test(name) ? objectPart(type, ctx) : undefined;
    if (inner) {
      const value = objectValue(inner, ctx, at, true);
      if (value) {
        properties.push({ name, value });
        continue;
      }
    }
    if (!optional(p)) return undefined; // a required option no secret holds (a function, a number, a nested object)
  }
  const host = properties.find((q) => q.value.kind === "secret" && q.value.part === "host");
  if (httpsSwitch && host?.value.kind === "secret") properties.push({ name: httpsSwitch.getName(), value: { kind: "secret", parameter: host.value.parameter, required: false, part: "https" } });
  return { kind: "object", properties };
}

/**
 * The plan for the constructor's (or factory's) first signature, with the secret parameters it reads; undefined
 * when a required argument is something no secret can hold (then the secret's `constructor_args` are used).
 */
export function constructionPlan(ctor: ts.Type, checker: ts.TypeChecker, at: ts.Node, exportName: string): { plan: ConstructionPlan; secrets: SecretParameter[] } | undefined {
  const signatures = [...ctor.getConstructSignatures(), ...ctor.getCallSignatures()];
  // The overload with the most to read from (an options object over a bare `Requester`), declared first on a tie.
  for (const signature of signatures) {
    const ctx: Context = { checker, at, secrets: [], keys: [] };
    const args: ConstructorValue[] = [];
    let ok = true;
    for (const p of signature.getParameters()) {
      const decl = p.valueDeclaration as ts.ParameterDeclaration | undefined;
      const type = checker.getTypeOfSymbolAtLocation(p, at);
      const optional = !!decl && (!!decl.questionToken || !!decl.initializer || !!decl.dotDotDotToken);
      const where = `${exportName}(${p.getName()})`;
      const role = roleOf(p.getName(), type, ctx);
      const object = objectPart(type, ctx);
      if (role && !(object && role === "other")) {
        args.push(addSecret(ctx, p.getName(), role, where, docOf(p, checker), !optional && !acceptsUndefined(type, ctx)));
        continue;
      }
      const value = object ? objectValue(object, ctx, where, false) : undefined;
      if (value && value.kind === "object" && value.properties.length > 0) {
        args.push(value);
        continue;
      }
      if (optional || (value && acceptsUndefined(type, ctx))) {
        args.push({ kind: "omitted" });
        continue;
      }
      if (value) {
        args.push(value); // an options object whose options are all optional: `{}`
        continue;
      }
      ok = false;
      break;
    }
    while (args.at(-1)?.kind === "omitted") args.pop();
    if (!ok || ctx.keys.length === 0) continue;
    // One key is needed; several are choices, one of which is needed.
    const keyGroup = ctx.keys;
    for (const s of ctx.secrets) {
      if (!keyGroup.includes(s.name)) continue;
      if (keyGroup.length === 1) s.required = true;
      else {
        delete s.required;
        s.oneOf = keyGroup.filter((k) => k !== s.name);
      }
    }
    const required = ctx.secrets.filter((s) => s.required && !keyGroup.includes(s.name)).map((s) => [s.name]);
    return { plan: { arguments: args, required: [keyGroup, ...required] }, secrets: ctx.secrets };
  }
  return undefined;
}
