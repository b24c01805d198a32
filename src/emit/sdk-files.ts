// The files of one wrapped npm package: tool YAML (shared with OpenAPI), one handler per tool calling
// the SDK with its own types, the client created from the secret, the report and a sample config.
import type { ApiModel, SdkArgument, SdkClientSpec, SdkToolTarget, ToolModel } from "../model/tool-model.js";
import type { ApiEmitOptions, FileSet } from "./api-files.js";
import { reportMarkdown, sampleUserConfig, toolYaml, tsHeader } from "./api-files.js";
import { renderTemplate } from "./templates.js";
import { jsdoc, lineCommentText, tsKey, tsLiteral, tsString } from "./ts-text.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `client.customers.create`, with brackets where a segment is not an identifier. */
function access(root: string, path: string[]): string {
  return root + path.map((p) => (IDENTIFIER.test(p) ? `.${p}` : `[${tsString(p)}]`)).join("");
}

function argumentExpression(a: SdkArgument, tool: ToolModel): { setup: string[]; expr: string } {
  if (a.kind === "undefined") return { setup: [], expr: "undefined" };
  if (a.kind === "positional") {
    const required = tool.parameters.find((p) => p.name === a.arg)?.required;
    return { setup: [], expr: required ? `args.${a.arg}` : `args.${a.arg} ?? undefined` };
  }
  const entries = a.properties.map((p) => {
    const required = tool.parameters.find((x) => x.name === p.arg)?.required;
    return `      ${tsKey(p.name)}: args.${p.arg}${required ? "" : " ?? undefined"},`;
  });
  const optional = a.properties.some((p) => !tool.parameters.find((x) => x.name === p.arg)?.required);
  const literal = entries.length > 0 ? `{\n${entries.join("\n")}\n    }` : "{}";
  const value = optional ? `compact(${literal})` : literal;
  const setup = a.typed ? [`    const params: ${a.tsType} = ${value};`] : [`    const params = ${value} as unknown as ${a.tsType};`];
  return { setup, expr: "params" };
}

export function sdkHandlerModule(api: ApiModel, tool: ToolModel, opts: ApiEmitOptions): string {
  const target = tool.target as SdkToolTarget;
  // Short names for the SDK types the handler is typed with: the method, and its object bag.
  const methodType = `Client${target.path.map((p) => `[${tsString(p)}]`).join("")}`;
  const bag = target.arguments.find((a): a is Extract<SdkArgument, { kind: "bag" }> => a.kind === "bag");
  const bagType = bag ? bag.tsType.split(methodType).join("Method") : undefined;
  const rename = (t: string) => {
    const short = t.split(methodType).join("Method");
    return bagType ? short.split(bagType).join("Params") : short;
  };
  const args = tool.parameters.map((p) => `  ${p.name}: ${rename(p.tsType)}${p.required ? "" : " | null"};`);
  const setup: string[] = [];
  const exprs: string[] = [];
  for (const a of target.arguments) {
    const { setup: s, expr } = argumentExpression(a, tool);
    setup.push(...s);
    exprs.push(expr);
  }
  while (exprs.at(-1) === "undefined") exprs.pop();
  const fn = access("client", target.path);
  // Grouping keeps `this`: (client.a.b as F)(…) still calls b on client.a.
  const call = target.overloaded ? `(${fn} as (...args: unknown[]) => unknown)(${exprs.join(", ")})` : `${fn}(${exprs.join(", ")})`;
  const body = rename([...setup, target.sync ? `    return await toPlain(${call}, { sync: true });` : `    return await toPlain(await ${call});`].join("\n"));
  const allText = [...args, body].join("\n");
  const runtimeImports = ["isErrorObject", "sdkErrorToDict", "toPlain", ...(body.includes("compact(") ? ["compact"] : [])].sort();
  const usesParams = bagType !== undefined && allText.includes("Params");
  const usesMethod = usesParams || allText.includes("Method");
  const aliases = [usesMethod ? `type Method = ${methodType};` : "", usesParams ? `type Params = ${bagType};` : ""].filter(Boolean).join("\n");
  return renderTemplate("npm/handler.ts.hbs", {
    header: tsHeader(opts),
    runtimeImports: runtimeImports.join(", "),
    aliases,
    name: tool.name,
    argsType: args.length > 0 ? `{\n${args.join("\n")}\n}` : "Record<string, never>",
    doc: jsdoc(`${tool.description}\n\nCalls ${api.sdk!.package}: ${target.path.join(".")}`),
    body,
    prefixLiteral: tsString(api.name),
  });
}

function constructCode(api: ApiModel, profile: SdkClientSpec, generic: boolean): string {
  const pkg = api.sdk!.package;
  if (!api.sdk!.client) return "    client = mod as Client;";
  const lines = [`    const Ctor = constructorOf(mod, ${tsString(api.sdk!.client)}) as typeof __Client;`];
  const key = `text(${tsString(profile.keyParameter)})${profile.keyEnv ? ` ?? envValue(${tsString(profile.keyEnv)})` : ""}`;
  if (generic) {
    lines.push(`    // ${lineCommentText(pkg)} has no profile: the secret's constructor_args (a JSON array), else its ${lineCommentText(profile.keyParameter)}.`);
    lines.push(`    client = new Ctor(...(constructorArguments(secret, ${key}) as unknown as ConstructorParameters<typeof __Client>));`);
    return lines.join("\n");
  }
  const options = tsLiteral(profile.options, 2);
  let base = "";
  if (profile.baseUrl) {
    const option = tsKey(profile.baseUrl.option);
    base =
      profile.baseUrl.style === "host-port-protocol"
        ? `, ...(text("base_url") ? urlParts(text("base_url")!) : {})`
        : `, ...(text("base_url") ? { ${option}: \`\${text("base_url")}${profile.baseUrl.suffix.replace(/[`$\\]/g, "")}\` } : {})`;
  }
  const optionsExpr = `{ ...${options}${base} }`;
  if (profile.construct === "none") lines.push("    client = new Ctor();");
  else if (profile.construct === "options") lines.push(`    client = new Ctor({ ${tsKey(profile.keyOption)}: ${key}, ...${optionsExpr} });`);
  else lines.push(`    client = new Ctor(${key} ?? "", ${optionsExpr});`);
  return lines.join("\n");
}

export function sdkClientModule(api: ApiModel, opts: ApiEmitOptions, generic: boolean): string {
  const sdk = api.sdk!;
  const profile = sdk.construction;
  const sync = !sdk.client;
  const typeImport = sync ? "* as __Lib" : sdk.client === "default" ? "__Client" : `{ ${sdk.client} as __Client }`;
  const usesUrlParts = !sync && !generic && profile.baseUrl?.style === "host-port-protocol";
  // Import only what the client code uses, so it compiles under noUnusedLocals.
  const used = ["onInit", "onShutdown", "type ErrorObject", "libraryNotInstalled", "sdkErrorToDict"];
  if (!sync) used.push("config", "constructorOf");
  if (!sync && !generic && profile.keyEnv) used.push("envValue");
  if (!sync && generic) used.push("constructorArguments", ...(profile.keyEnv ? ["envValue"] : []));
  if (usesUrlParts) used.push("urlParts");
  const runtimeImports = used.sort((a, b) => a.replace("type ", "").localeCompare(b.replace("type ", ""))).join(", ");
  return renderTemplate("npm/client.ts.hbs", {
    header: tsHeader(opts),
    runtimeImports,
    usesSecret: !sync,
    typeImport,
    packageLiteral: tsString(sdk.package),
    clientType: sync ? "typeof __Lib" : "InstanceType<typeof __Client>",
    prefixComment: lineCommentText(api.name),
    secretLiteral: tsString(api.name),
    construct: constructCode(api, profile, generic),
    close: profile.close && !sync ? `  if (client) await client.${profile.close}();` : "",
  });
}

/** Every file of one wrapped package, keyed by path relative to the project root. */
export function sdkFiles(api: ApiModel, project: string, profile: string, opts: ApiEmitOptions, generic: boolean, skipped: { path: string; reason: string }[]): FileSet {
  const files: FileSet = new Map();
  const dir = `handlers/${api.name}`;
  files.set(`${dir}/client.ts`, sdkClientModule(api, opts, generic));
  files.set(`mxcp-gen.report.${api.name}.md`, reportMarkdown(api, opts, skipped));
  for (const tool of api.tools) {
    files.set(`tools/${api.name}/${tool.name}.yml`, toolYaml(api, tool, opts));
    files.set(`${dir}/${tool.moduleName}.ts`, sdkHandlerModule(api, tool, opts));
  }
  if (api.secretParameters.length > 0) files.set(`config.${api.name}.sample.yml`, sampleUserConfig(api, project, profile, opts));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
