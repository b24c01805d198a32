// The files of one wrapped npm package: tool YAML (shared with OpenAPI), one handler per tool calling
// the SDK with its own types, the client created from the secret, the report and a sample config.
import type { ApiModel, ConstructionPlan, ConstructorValue, SdkArgument, SdkClientSpec, SdkToolTarget, ToolModel } from "../model/tool-model.js";
import type { ApiEmitOptions, FileSet } from "./api-files.js";
import { apiFileSet, reportMarkdown, sampleUserConfig, tsHeader } from "./api-files.js";
import { ImportPlan } from "./import-plan.js";
import { renderTemplate } from "./templates.js";
import { jsdoc, lineCommentText, tsKey, tsLiteral, tsString } from "./ts-text.js";
import { renderTypeRef } from "./type-refs.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * `client.customers.create`, with brackets where a segment is not an identifier, and the accessor calls on the
 * way (`client.api.v2010.accounts(args.sid).messages.create`).
 */
function access(root: string, target: SdkToolTarget, tool: ToolModel): string {
  return (
    root +
    target.path
      .map((p, i) => {
        const step = IDENTIFIER.test(p) ? `.${p}` : `[${tsString(p)}]`;
        const accessor = target.accessors?.find((a) => a.index === i);
        return accessor ? `${step}(${argumentList(accessor.arguments, tool, "params")})` : step;
      })
      .join("")
  );
}

/**
 * The types a handler names its method by: `Method`, reached through `Accessor0`, `Accessor1`… when accessors
 * are called on the way (`type Accessor0 = Client["api"]["v2010"]["accounts"]`, then
 * `type Method = ReturnType<Accessor0>["messages"]["create"]`).
 */
function methodTypes(target: SdkToolTarget): { accessors: { name: string; type: string }[]; method: string } {
  const accessors: { name: string; type: string }[] = [];
  let base = "Client";
  let from = 0;
  for (const [k, a] of (target.accessors ?? []).entries()) {
    const type = `${base}${target.path.slice(from, a.index + 1).map((p) => `[${tsString(p)}]`).join("")}`;
    accessors.push({ name: `Accessor${k}`, type });
    base = `ReturnType<Accessor${k}>`;
    from = a.index + 1;
  }
  return { accessors, method: `${base}${target.path.slice(from).map((p) => `[${tsString(p)}]`).join("")}` };
}

/** The object bag's view: each property from its tool argument, `?? undefined` for optional ones (compacted away). */
function bagView(bag: Extract<SdkArgument, { kind: "bag" }>, tool: ToolModel) {
  const required = (arg: string) => tool.parameters.find((x) => x.name === arg)?.required === true;
  const entries = bag.properties.map((p) => ({ key: tsKey(p.name), arg: p.arg, required: required(p.arg) }));
  return { typed: bag.typed, entries, compact: entries.some((e) => !e.required) };
}

/** The call's argument list; trailing absent arguments are left off. */
function argumentList(list: SdkArgument[], tool: ToolModel, bagExpression: string): string {
  const exprs = list.map((a) => {
    if (a.kind === "undefined") return "undefined";
    if (a.kind === "bag") return bagExpression;
    if (a.spread) return `...(args.${a.arg} ?? [])`;
    return tool.parameters.find((p) => p.name === a.arg)?.required ? `args.${a.arg}` : `args.${a.arg} ?? undefined`;
  });
  while (exprs.at(-1) === "undefined") exprs.pop();
  return exprs.join(", ");
}

export function sdkHandlerModule(api: ApiModel, tool: ToolModel, opts: ApiEmitOptions): string {
  const target = tool.target as SdkToolTarget;
  const bag = target.arguments.find((a): a is Extract<SdkArgument, { kind: "bag" }> => a.kind === "bag");
  const usesMethod = bag !== undefined || tool.parameters.some((p) => p.tsType.kind === "argument" && p.tsType.accessor === undefined);
  const types = target.command ? { accessors: [], method: `(...args: ConstructorParameters<typeof ${target.command}>) => unknown` } : methodTypes(target);
  const usedAccessors = types.accessors.filter((_a, k) => usesMethod || tool.parameters.some((p) => p.tsType.kind === "argument" && p.tsType.accessor !== undefined && p.tsType.accessor >= k));
  const fn = access("client", target, tool);
  const call = (bagExpression: string) => {
    const list = argumentList(target.arguments, tool, bagExpression);
    if (target.command) return `client.send(new Command(${list}))`;
    // Grouping keeps `this`: (client.a.b as F)(…) still calls b on client.a.
    return target.overloaded ? `(${fn} as (...args: unknown[]) => unknown)(${list})` : `${fn}(${list})`;
  };
  const operation = tsString(target.path.join("."));
  const paging = target.paging;
  const pagingNames = paging ? pagingArgumentNames(bag) : {};
  const runtime = new ImportPlan();
  runtime.use("isErrorObject");
  runtime.use("sdkErrorToDict");
  const client = new ImportPlan();
  client.use("getClient");
  let result: string;
  if (target.sync) result = `${runtime.use("toPlain")}(${call("params")}, { sync: true })`;
  else if (paging?.style === "cursor") result = `${runtime.use("pagedResult")}<Params>(args.${paging.maxPagesArg}, (next) => ${call("{ ...params, ...next }")}${Object.keys(pagingNames).length > 0 ? `, ${tsLiteral(pagingNames)}` : ""})`;
  else if (paging) result = `${runtime.use("pagedResult")}(args.${paging.maxPagesArg}, () => ${call("params")})`;
  else result = `${runtime.use("toPlain")}(await ${call("params")})`;
  if (target.cache === "read") result = `${runtime.use("cachedRead")}(${client.use("cache")}, ${operation}, args, async () => ${result}${paging ? `, args.${paging.maxPagesArg}` : ""})`;
  else if (target.cache === "write") result = `${runtime.use("writeThrough")}(${client.use("cache")}, ${operation}, async () => ${result})`;
  const bagParts = bag ? bagView(bag, tool) : undefined;
  if (bagParts?.compact) runtime.use("compact");
  if (target.command) client.use("sdkModule");
  if ((usesMethod && !target.command) || usedAccessors.length > 0) client.useType("Client");
  return renderTemplate("npm/handler.ts.hbs", {
    header: tsHeader(opts),
    runtimeImports: String(runtime),
    clientImports: String(client),
    accessorTypes: usedAccessors,
    methodType: usesMethod ? types.method : "",
    paramsType: bag ? `NonNullable<Parameters<Method>[${bag.index}]>` : "",
    name: tool.name,
    args: tool.parameters.map((p) => ({ name: p.name, type: renderTypeRef(p.tsType, { paramsIndex: bag?.index }), required: p.required })),
    doc: jsdoc(`${tool.description}\n\nCalls ${api.sdk!.package}: ${target.command ? `send(new ${target.command}(…))` : target.path.join(".")}`),
    command: target.command ? { name: target.command, packageLiteral: tsString(api.sdk!.package) } : false,
    bag: bagParts ?? false,
    result,
    prefixLiteral: tsString(api.name),
  });
}

/** The tool arguments a cursor continues with, where the SDK names them differently (`startingAfter` → `starting_after`). */
function pagingArgumentNames(bag: Extract<SdkArgument, { kind: "bag" }> | undefined): Record<string, string> {
  const names: Record<string, string> = {};
  for (const p of bag?.properties ?? []) if (p.arg !== p.name && ["starting_after", "startingAfter", "page"].includes(p.name)) names[p.name] = p.arg;
  return names;
}

/**
 * How the client is made, as expressions for the template: a module used as it is (`--sync`), the SDK's
 * constructor from the secret's constructor_args (no profile), or from the key and options a profile names.
 */
function constructionView(api: ApiModel, profile: SdkClientSpec, generic: boolean, runtime: ImportPlan) {
  const sdk = api.sdk!;
  if (!sdk.client) return { module: true };
  if (profile.plan) return { ctor: tsString(sdk.client), make: sdk.factory ? "await Ctor" : "new Ctor", plan: planView(api, profile.plan, runtime) };
  const key = `text(${tsString(profile.keyParameter)})${profile.keyEnv ? ` ?? ${runtime.use("envValue")}(${tsString(profile.keyEnv)})` : ""}`;
  const ctor = tsString(sdk.client);
  // A factory function is called (and awaited: some return a promise) where a class is constructed.
  const make = sdk.factory ? "await Ctor" : "new Ctor";
  const parameters = `${sdk.factory ? "Parameters" : "ConstructorParameters"}<SdkConstructor<typeof __Client>>`;
  if (generic) return { ctor, make, parameters, generic: { packageComment: lineCommentText(sdk.package), keyComment: lineCommentText(profile.keyParameter), key } };
  let base = "";
  if (profile.baseUrl) {
    const option = tsKey(profile.baseUrl.option);
    base =
      profile.baseUrl.style === "host-port-protocol"
        ? `...(text("base_url") ? ${runtime.use("urlParts")}(text("base_url")!) : {})`
        : profile.baseUrl.suffix
          ? `...(text("base_url") ? { ${option}: ${runtime.use("withPathSuffix")}(text("base_url")!, ${tsString(profile.baseUrl.suffix)}) } : {})`
          : `...(text("base_url") ? { ${option}: text("base_url") } : {})`;
  }
  // The fixed options, then the base URL: spread only what there is.
  const spreads = [...(Object.keys(profile.options).length > 0 ? [`...${tsLiteral(profile.options, 2)}`] : []), ...(base ? [base] : [])];
  const args =
    profile.construct === "none"
      ? ""
      : profile.construct === "options"
        ? `{ ${[`${tsKey(profile.keyOption)}: ${key}`, ...spreads].join(", ")} }`
        : `${key} ?? "", ${spreads.length > 0 ? `{ ${spreads.join(", ")} }` : "{}"}`;
  return { ctor, make, args };
}

const RESERVED = new Set(["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected", "public", "await", "arguments", "eval", "client", "failure", "secret", "text", "mod", "Ctor", "e", "compact", "config", "constructorOf", "constructorArguments", "envValue", "libraryNotInstalled", "onInit", "onShutdown", "sdkErrorToDict", "urlParts", "withPathSuffix", "cache", "getClient", "hostOf", "usesHttps", "callers", "createClient", "closeClient", "namesCaller", "CallerClients", "values"]);

/** A secret parameter's local name in client.ts (`api_key` → `apiKey`), clear of words the module uses. */
function bindingName(parameter: string): string {
  const camel = parameter.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9_$]/g, "_");
  const name = /^[A-Za-z_$]/.test(camel) ? camel : `value${camel}`;
  return RESERVED.has(name) ? `${name}Value` : name;
}

/**
 * A construction plan as client.ts code: one local per secret parameter, a check per required group (the
 * missing value named, so the tool says which to set), and the constructor's argument list.
 */
function planView(api: ApiModel, plan: ConstructionPlan, runtime: ImportPlan) {
  const parameters = api.secretParameters.map((p) => p.name);
  const bindings = parameters.map((p) => ({ name: bindingName(p), literal: tsString(p) }));
  const narrowed = new Set(plan.required.filter((g) => g.length === 1).map((g) => g[0]!));
  const expression = (v: ConstructorValue): string => {
    if (v.kind === "omitted") return "undefined";
    if (v.kind === "secret") {
      const name = bindingName(v.parameter);
      if (v.part === "host") return `${runtime.use("hostOf")}(${name})`;
      if (v.part === "https") return `${runtime.use("usesHttps")}(${name})`;
      return v.required && !narrowed.has(v.parameter) ? `${name} ?? ""` : name;
    }
    const entries = v.properties.map((p) => {
      const value = expression(p.value);
      return value === p.name ? tsKey(p.name) : `${tsKey(p.name)}: ${value}`;
    });
    return `${runtime.use("compact")}({ ${entries.join(", ")} })`;
  };
  const checks = plan.required.map((group) => ({
    condition: group.map((p) => `${bindingName(p)} === undefined`).join(" && "),
    message: tsString(`The '${api.name}' secret has no ${group.length === 1 ? group[0] : `${group.slice(0, -1).join(", ")} or ${group.at(-1)}`}, which the ${api.sdk!.package} client needs`),
  }));
  return { bindings, checks, args: plan.arguments.map(expression).join(", ") };
}

export function sdkClientModule(api: ApiModel, opts: ApiEmitOptions, generic: boolean): string {
  const sdk = api.sdk!;
  const profile = sdk.construction;
  const sync = !sdk.client;
  const typeImport = sync ? "* as __Lib" : sdk.client === "default" ? "__Client" : `{ ${sdk.client} as __Client }`;
  // The fixed parts of the template, then what the construction code asks for as it is written.
  const runtime = new ImportPlan();
  for (const name of ["onInit", "onShutdown", "libraryNotInstalled"]) runtime.use(name);
  runtime.useType("ErrorObject");
  if (!sync) {
    runtime.use("config");
    runtime.use("constructorOf");
    runtime.useType("SdkClient");
    runtime.useType("SdkConstructor");
    runtime.use("sdkErrorToDict");
    runtime.use("CallerClients");
    runtime.use("namesCaller");
    runtime.useType("Made");
  }
  // The template calls this for a client without a profile or a construction plan.
  if (!sync && generic) runtime.use("constructorArguments");
  if (api.cache) runtime.useType("SdkCachePolicy");
  const construction = constructionView(api, profile, generic, runtime);
  return renderTemplate("npm/client.ts.hbs", {
    header: tsHeader(opts),
    runtimeImports: String(runtime),
    usesSecret: !sync,
    typeImport,
    packageLiteral: tsString(sdk.package),
    clientType: sync ? "typeof __Lib" : "SdkClient<typeof __Client>",
    prefixComment: lineCommentText(api.name),
    secretLiteral: tsString(api.name),
    construction,
    commands: api.tools.some((t) => t.target.kind === "sdk" && t.target.command !== undefined),
    // The SDK's own words name its options, not our secret: say where the key goes.
    creationFix: tsString(
      sync
        ? `Check that ${sdk.package} is installed`
        : profile.plan
          ? `Check the '${api.name}' secret in your user config (${api.secretParameters.map((p) => p.name).join(", ")}); mxcp-gen secrets check shows what is set`
          : `Check the '${api.name}' secret in your user config (its ${profile.keyParameter}${profile.keyEnv ? `, else $${profile.keyEnv}` : ""}${profile.baseUrl ? ", and base_url if you set one" : ""}); mxcp-gen secrets check shows what is set`,
    ),
    // A profile's method name is data: a member access only when it is a plain identifier.
    close: profile.close && !sync ? (/^[A-Za-z_$][\w$]*$/.test(profile.close) ? `.${profile.close}` : `[${tsString(profile.close)}]`) : "",
    cache: api.cache ? { seconds: api.cache.ttlSeconds, literal: tsLiteral({ api: api.name, ttlSeconds: api.cache.ttlSeconds }) } : false,
  });
}

/** Every file of one wrapped package. */
export function sdkFiles(api: ApiModel, project: string, profile: string, opts: ApiEmitOptions, generic: boolean, skipped: { path: string; reason: string }[]): FileSet {
  return apiFileSet(
    api,
    {
      client: sdkClientModule(api, opts, generic),
      report: reportMarkdown(api, opts, skipped),
      handler: (tool) => sdkHandlerModule(api, tool, opts),
      sample: api.secretParameters.length > 0 ? sampleUserConfig(api, project, profile, opts) : undefined,
    },
    opts,
  );
}
