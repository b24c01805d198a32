// A discovered SDK method → one tool: names, scope by verb, parameters (positional ones plus the
// flattened object bag), annotations, and how the handler calls the method back.
import picomatch from "picomatch";
import { ts } from "ts-morph";
import type { TypeDef } from "../../src/project/definitions.js";
import { MAX_TOOL_NAME, parameterName, shortenName, snakeCase, uniqueName } from "../../src/model/naming.js";
import { nonEmpty } from "../../src/model/selection.js";
import { maxPagesParameter } from "../../src/model/paging.js";
import { cleanDescription } from "../../src/model/text.js";
import { toolAnnotations } from "../../src/model/annotations.js";
import { nameWords, verbScope, type VerbScope } from "../../src/model/verbs.js";
import { withOptionality } from "../../src/model/optionality.js";
import type { ModelNote, SdkArgument, SdkToolTarget, ToolModel, ToolParameter, TypeRef } from "../../src/model/tool-model.js";
import type { DiscoveredOperation, LoadedPackage, SkippedOperation } from "./discover.js";
import type { WrapProfile } from "./profiles.js";
import { docOf, isBinaryOnly, isBinaryType, typeToMxcp, type TypeContext } from "./types.js";

const SCHEMA_BUDGET = 16 * 1024;

export interface WrapFilters {
  /** Levels of nesting kept below a parameter (default 4). */
  maxDepth?: number | undefined;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  allowDestructive?: boolean | undefined;
}

export interface OperationsInput {
  pkg: LoadedPackage;
  profile: WrapProfile;
  prefix: string;
  operations: DiscoveredOperation[];
  filters: WrapFilters;
  sync: boolean;
  notes: ModelNote[];
  skipped: SkippedOperation[];
}

/** The profile's own read verbs first (Redis's `hgetall`), then the one verb rule. */
function scopeOf(method: string, profile: WrapProfile): VerbScope {
  if (profile.readVerbs.includes(method)) return "read";
  return verbScope(method);
}

/** A type in a few words, for a generated description. */
function typeWord(t: TypeDef): string {
  if (t.type === "array") return t.items ? `a list of ${typeWord(t.items).replace(/^an? /, "")}s` : "a list";
  if (t.type === "object") return "an object";
  if (t.type === "integer") return "an integer";
  return `a ${t.type}`;
}

/** `["customers", "list"]` → "List customers"; `["chat", "complete"]` → "Complete chat". */
function actionSentence(path: string[]): string {
  const verb = nameWords(path.at(-1) ?? "").join(" ");
  const resource = nameWords(path.slice(0, -1).join(" ")).join(" ");
  const text = resource ? `${verb} ${resource}` : verb;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One argument of a call: a declared parameter, or one element of a rest parameter's tuple. */
interface Param {
  name: string;
  type: ts.Type;
  /** It may be left out of a call (`x?: T`, `x: T | undefined`, a default value, a rest parameter, an optional tuple element). */
  optional: boolean;
  /** The declared parameter, for its documentation (absent for a tuple element). */
  symbol?: ts.Symbol;
  /** A rest parameter of array type (`...keys: string[]`): a list, spread into the call. */
  rest?: true;
}

/**
 * A signature's arguments. A rest parameter typed as a tuple (`(...args: [key: string, value: string])`, as
 * `ConstructorParameters<typeof Command>` makes it) is its elements, each a positional argument of its own.
 */
function signatureParameters(signature: ts.Signature, pkg: LoadedPackage): Param[] {
  const { checker } = pkg;
  const out: Param[] = [];
  for (const p of signature.getParameters()) {
    const decl = p.valueDeclaration as ts.ParameterDeclaration | undefined;
    const type = checker.getTypeOfSymbolAtLocation(p, pkg.node);
    if (decl?.dotDotDotToken && checker.isTupleType(type)) {
      const target = (type as ts.TypeReference).target as ts.TupleType;
      const elements = checker.getTypeArguments(type as ts.TypeReference);
      for (const [i, element] of elements.entries()) {
        const flags = target.elementFlags[i] ?? ts.ElementFlags.Required;
        if (flags & ts.ElementFlags.Variable) break; // a rest inside the tuple: the call ends here
        const label = target.labeledElementDeclarations?.[i]?.name;
        out.push({ name: label && ts.isIdentifier(label) ? label.text : `${p.getName()}${i + 1}`, type: element, optional: (flags & ts.ElementFlags.Optional) !== 0 });
      }
      continue;
    }
    const optional = !!decl && (!!decl.questionToken || !!decl.initializer || !!decl.dotDotDotToken);
    const rest = !!decl?.dotDotDotToken && checker.isArrayType(type);
    out.push({ name: p.getName(), type, optional: optional || (type.isUnion() && type.types.some((m) => (m.getFlags() & ts.TypeFlags.Undefined) !== 0)), symbol: p, ...(rest ? { rest: true as const } : {}) });
  }
  return out;
}

/**
 * Drop the trailing request-options bag and callbacks: transport knobs, not tool inputs. A required parameter is
 * never a knob, whatever its name (`run(model, options: { input })`): it stays, or the method is left out.
 */
function isTransportParameter(p: Param, index: number, pkg: LoadedPackage): boolean {
  const t = pkg.checker.getNonNullableType(p.type);
  if (t.getCallSignatures().length > 0 && t.getProperties().length === 0) return true;
  const typeName = (t.aliasSymbol ?? t.getSymbol())?.getName() ?? "";
  if (/Request(Options|Init|Config)$|FetchOptions$|^RequestInit$/.test(typeName)) return true;
  if (index === 0 || !p.optional) return false;
  if (/^(requestOptions|callback|cb)$/.test(p.name)) return true;
  // A trailing `options` is a knob when all it holds is how the request is sent (a search's `options` with
  // `filter` and `limit` is the call's own input).
  const props = pkg.checker.getPropertiesOfType(t).map((x) => x.getName());
  return /^(options|opts)$/.test(p.name) && props.length > 0 && props.every((x) => TRANSPORT_OPTION.test(x));
}

const TRANSPORT_OPTION = /^(timeout|timeoutMs|headers|signal|abortSignal|maxRetries|retries|retry|idempotencyKey|httpAgent|agent|fetch\w*|baseURL|baseUrl|apiKey|auth|stream|priority|cache|credentials|integrity|keepalive|mode|redirect|referrer|referrerPolicy|window|dispatcher|duplex|method|path|query|__\w*)$/;

/**
 * Whether the method returns a page of a list that can be followed: a Stainless page (its awaited value has
 * `hasNextPage`/`getNextPage`), or a Stripe list (`autoPagingToArray`), which is asked again with a cursor
 * in its object bag.
 */
function pagingOf(op: DiscoveredOperation, pkg: LoadedPackage, hasBag: boolean): "pages" | "cursor" | undefined {
  const returned = op.signature.getReturnType();
  if (returned.getProperty("autoPagingToArray")) return hasBag ? "cursor" : undefined;
  const page = pkg.checker.getAwaitedType(returned);
  if (page?.getProperty("hasNextPage") && page.getProperty("getNextPage")) return "pages";
  return undefined;
}

function isBagType(t: ts.Type, pkg: LoadedPackage): boolean {
  const nn = pkg.checker.getNonNullableType(t);
  if (!(nn.getFlags() & ts.TypeFlags.Object) && !nn.isUnionOrIntersection()) return false;
  if (pkg.checker.isArrayType(nn) || isBinaryType(nn) || (nn.getSymbol()?.getName() ?? "") === "Date") return false;
  // A union with a non-object member, or an array member (`number[] | {name, vector}`), is one value, not a bag.
  if (nn.isUnion() && nn.types.some((m) => !(m.getFlags() & ts.TypeFlags.Object) || pkg.checker.isArrayType(m) || pkg.checker.isTupleType(m))) return false;
  return pkg.checker.getPropertiesOfType(nn).length > 0;
}

/** Over the budget, drop nested descriptions and examples, then nested structure (noted). */
function withinBudget(params: ToolParameter[], args: SdkArgument[], notes: ModelNote[], tool: string): void {
  const size = () => JSON.stringify(params.map((p) => p.type)).length;
  if (size() <= SCHEMA_BUDGET) return;
  const strip = (t: TypeDef, depth: number, deep: boolean): TypeDef => {
    const out: TypeDef = { ...t };
    if (depth >= 1) {
      delete out.description;
      delete out.examples;
    }
    if (deep && depth >= 1 && (out.properties || out.items)) {
      delete out.properties;
      delete out.items;
      delete out.required;
      return out;
    }
    if (out.items) out.items = strip(out.items, depth + 1, deep);
    if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, strip(v, depth + 1, deep)]));
    return out;
  };
  for (const p of params) p.type = strip(p.type, 0, false);
  if (size() <= SCHEMA_BUDGET) {
    notes.push({ tool, where: tool, message: `parameter schemas over ${SCHEMA_BUDGET} bytes: nested descriptions and examples dropped` });
    return;
  }
  for (const p of params) p.type = strip(p.type, 0, true);
  const steps = ["nested objects collapsed"];
  if (size() > SCHEMA_BUDGET) {
    // The budget is a promise: then long descriptions and enums are cut, then optional parameters go.
    for (const p of params) {
      const { examples: _e, ...rest } = p.type;
      p.type = rest.description && rest.description.length > 120 ? { ...rest, description: `${rest.description.slice(0, 117)}…` } : rest;
      if (p.type.enum && p.type.enum.length > 20) {
        const { enum: _values, ...open } = p.type;
        p.type = open;
      }
    }
    steps.push("descriptions cut to 120 characters and long enums opened");
  }
  const dropped: string[] = [];
  for (let i = params.length - 1; i >= 0 && size() > SCHEMA_BUDGET; i--) {
    const p = params[i]!;
    if (p.required || p.origin.startsWith("mxcp-gen:")) continue;
    dropped.unshift(p.name);
    params.splice(i, 1);
    // The handler no longer passes it: out of the object bag, or an absent positional argument.
    args.forEach((a, j) => {
      if (a.kind === "bag") a.properties = a.properties.filter((x) => x.arg !== p.name);
      else if (a.kind === "positional" && a.arg === p.name) args[j] = { kind: "undefined" };
    });
  }
  if (dropped.length > 0) steps.push(`optional parameters left out: ${dropped.join(", ")}`);
  notes.push({ tool, where: tool, message: `parameter schemas over ${SCHEMA_BUDGET} bytes: ${steps.join("; ")}` });
}

export function buildSdkTools(input: OperationsInput): ToolModel[] {
  const { profile, prefix, filters, sync, notes, skipped } = input;
  const includes = nonEmpty(filters.include)?.map((g) => picomatch(g));
  const excludes = [...(filters.exclude ?? []), ...profile.exclude].map((g) => picomatch(g));
  const taken = new Set<string>();
  const tools: ToolModel[] = [];
  for (const op of input.operations) {
    const dotted = op.path.join(".");
    const method = op.path.at(-1)!;
    if (excludes.some((m) => m(dotted))) continue;
    const included = includes?.some((m) => m(dotted));
    if (includes && !included) continue;
    const scope = sync ? "read" : scopeOf(method, profile);
    if (scope === "destructive" && !filters.allowDestructive) {
      skipped.push({ path: dotted, reason: "destructive verb (pass --allow-destructive)" });
      continue;
    }
    const full = `${prefix}_${op.path.map(snakeCase).join("_")}`;
    const name = uniqueName(shortenName(full, MAX_TOOL_NAME, prefix), taken, MAX_TOOL_NAME);
    if (name !== full) notes.push({ tool: name, where: dotted, message: `name shortened from ${full}` });
    const built = buildTool(input, op, name, scope);
    if (typeof built === "string") {
      skipped.push({ path: dotted, reason: built });
      taken.delete(name);
      // A skipped operation's notes would describe a tool that does not exist.
      for (let i = notes.length - 1; i >= 0; i--) if (notes[i]!.tool === name) notes.splice(i, 1);
      continue;
    }
    tools.push(built);
  }
  return tools;
}

/** What the steps of one tool's build share: its parameters and call arguments so far, and where notes go. */
interface ToolBuild {
  input: OperationsInput;
  op: DiscoveredOperation;
  name: string;
  dotted: string;
  parameters: ToolParameter[];
  args: SdkArgument[];
  /** Parameter names used so far. */
  taken: Set<string>;
  ctx: TypeContext;
}

const UNKNOWN: TypeRef = { kind: "builtin", name: "unknown" };

/** One method → one tool, or why it cannot be one. */
function buildTool(input: OperationsInput, op: DiscoveredOperation, name: string, scope: VerbScope): ToolModel | string {
  const { pkg, notes, sync } = input;
  const dotted = op.path.join(".");
  const all = signatureParameters(op.signature, pkg);
  let keep = all.length;
  while (keep > 0 && isTransportParameter(all[keep - 1]!, keep - 1, pkg)) keep--;
  // A required callback (`watch(onEvent)`) is something no tool argument can carry: the method is left out.
  const neededCallback = all.slice(keep).find((p) => !p.optional);
  if (neededCallback) return `it needs the function argument '${neededCallback.name}', which no tool argument can carry`;
  const params = all.slice(0, keep);
  const binaryRequired: string[] = [];
  const ctx: TypeContext = { checker: pkg.checker, node: pkg.node, notes, tool: name, maxDepth: input.filters.maxDepth, binaryRequired };
  const b: ToolBuild = { input, op, name, dotted, parameters: [], args: [], taken: new Set(), ctx };

  const accessors = accessorArguments(b);
  if (typeof accessors === "string") return accessors;
  const bagIndex = sync ? -1 : params.findLastIndex((p) => isBagType(p.type, pkg));
  for (const [i, p] of params.entries()) {
    const problem = i === bagIndex ? bagArgument(b, p, i) : positionalArgument(b, p, i);
    if (problem) return problem;
  }
  if (binaryRequired.length > 0) return `required binary input '${binaryRequired[0]}' (a tool cannot pass binary data)`;
  const paging = sync ? undefined : pagingParameter(b);
  describeUndocumented(b);
  withinBudget(b.parameters, b.args, notes, name);
  const doc = docOf(op.symbol, pkg.checker, 1024);
  const description = doc || `${actionSentence(op.path)} (${pkg.name}'s ${op.command ? `${op.command}, sent by the client` : dotted}).`;
  const title = cleanDescription(doc.split(/[.\n]/)[0], 100);
  return {
    name,
    description,
    annotations: toolAnnotations(scope === "other" ? "write" : scope, false, title),
    tags: [op.path.length > 1 ? op.path[0]! : pkg.name],
    parameters: b.parameters,
    returns: returnsOf(b),
    target: {
      kind: "sdk",
      path: op.path,
      arguments: b.args,
      sync,
      overloaded: op.overloads > 1,
      ...(paging ? { paging } : {}),
      ...(accessors.length > 0 ? { accessors } : {}),
      ...(op.command ? { command: op.command } : {}),
    },
    origin: { package: pkg.name, version: pkg.version, method: dotted },
    moduleName: name,
  };
}

/** The accessors on the way (`accounts(sid)`) take their arguments first, as required positional parameters. */
function accessorArguments(b: ToolBuild): NonNullable<SdkToolTarget["accessors"]> | string {
  const { op, ctx } = b;
  const { checker, node } = ctx;
  const accessors: NonNullable<SdkToolTarget["accessors"]> = [];
  for (const [k, accessor] of op.accessors.entries()) {
    const accessorArgs: SdkArgument[] = [];
    const at = op.path[accessor.index];
    for (const [i, p] of accessor.signature.getParameters().entries()) {
      const decl = p.valueDeclaration as ts.ParameterDeclaration | undefined;
      const isOptional = !!decl && (!!decl.questionToken || !!decl.initializer);
      const mapped = typeToMxcp(checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(p, node)), ctx, `${op.path.slice(0, accessor.index + 1).join(".")}(${p.getName()})`);
      if (!mapped || mapped.type === "object" || mapped.type === "array") {
        if (!isOptional) return `accessor ${at}(${p.getName()}) takes a value a tool cannot pass`;
        accessorArgs.push({ kind: "undefined" });
        continue;
      }
      const arg = uniqueName(parameterName(p.getName()), b.taken, 64);
      const description = docOf(p, checker).replace(/^-\s*/, "") || `${p.getName()} of ${at}.`;
      b.parameters.push({ name: arg, type: withOptionality({ ...mapped, description }, !isOptional), required: !isOptional, tsType: { kind: "argument", accessor: k, index: i }, origin: `${at}(${p.getName()})` });
      accessorArgs.push({ kind: "positional", arg });
    }
    accessors.push({ index: accessor.index, arguments: accessorArgs });
  }
  return accessors;
}

/** The object bag: each property its own parameter (a clash gets `params_`), rebuilt as one argument. */
function bagArgument(b: ToolBuild, p: Param, index: number): undefined {
  const { op, ctx, dotted } = b;
  const drop = new Set(b.input.profile.dropParameters);
  const bagType = ctx.checker.getNonNullableType(p.type);
  const properties: { arg: string; name: string }[] = [];
  const mapped = typeToMxcp(bagType, ctx, `${dotted}(${p.name})`);
  const required = new Set(mapped?.required ?? []);
  for (const [prop, propType] of Object.entries(mapped?.properties ?? {})) {
    if (drop.has(prop)) continue;
    if (prop === "stream" && /create/.test(op.path.at(-1)!)) continue; // the non-streaming overload; the handler sends false
    let arg = parameterName(prop);
    if (b.taken.has(arg)) arg = `params_${arg}`;
    arg = uniqueName(arg, b.taken, 64);
    // Required-ness comes from the bag's own properties, even when the bag itself is optional.
    const isRequired = required.has(prop);
    b.parameters.push({ name: arg, type: withOptionality(propType, isRequired), required: isRequired, tsType: UNKNOWN, origin: `${p.name}.${prop}` });
    properties.push({ arg, name: prop });
  }
  // With overloads, Parameters<> names the last one (often the streaming variant): build the bag untyped.
  const typed = !bagType.isUnion() && properties.length > 0 && op.overloads === 1;
  if (op.overloads > 1) b.input.notes.push({ tool: b.name, where: dotted, message: `${op.overloads} overloads: the non-streaming one is called; its bag is passed untyped` });
  b.args.push({ kind: "bag", index, properties, typed });
  for (const param of b.parameters) {
    const wire = properties.find((pp) => pp.arg === param.name)?.name;
    if (wire !== undefined) param.tsType = typed ? { kind: "argument", index, property: wire } : UNKNOWN;
  }
  return undefined;
}

/** A positional argument as a parameter of its own; left out (absent) when optional and not expressible. */
function positionalArgument(b: ToolBuild, p: Param, index: number): string | undefined {
  const { op, ctx, dotted } = b;
  const type = ctx.checker.getNonNullableType(p.type);
  if (isBinaryOnly(type)) {
    if (!p.optional) return `required parameter '${p.name}' takes binary data, which a tool cannot pass`;
    b.input.notes.push({ tool: b.name, where: dotted, message: `binary-only argument '${p.name}' left out` });
    b.args.push({ kind: "undefined" });
    return undefined;
  }
  const mapped = typeToMxcp(type, ctx, `${dotted}(${p.name})`);
  if (!mapped) {
    if (!p.optional) return `required parameter '${p.name}' has a type MXCP cannot express`;
    b.args.push({ kind: "undefined" });
    return undefined;
  }
  if (b.input.profile.dropParameters.includes(p.name)) {
    if (!p.optional) return `required parameter '${p.name}' is a credential the profile drops`;
    b.args.push({ kind: "undefined" });
    return undefined;
  }
  const arg = uniqueName(parameterName(p.name), b.taken, 64);
  const own = docOf(p.symbol, ctx.checker).replace(/^-\s*/, "");
  const description = [own && !/[.!?]$/.test(own) ? `${own}.` : own, mapped.description].filter(Boolean).join(" ");
  const t = description ? { ...mapped, description } : mapped;
  const tsType: TypeRef = op.overloads > 1 ? UNKNOWN : { kind: "argument", index, ...(p.rest ? { rest: true as const } : {}) };
  b.parameters.push({ name: arg, type: withOptionality(t, !p.optional), required: !p.optional, tsType, origin: `argument ${index + 1} (${p.name})` });
  b.args.push({ kind: "positional", arg, ...(p.rest ? { spread: true as const } : {}) });
  return undefined;
}

/** A method returning a page of a list gets `max_pages`, to fetch several pages in one call. */
function pagingParameter(b: ToolBuild): SdkToolTarget["paging"] {
  const style = pagingOf(b.op, b.input.pkg, b.args.some((a) => a.kind === "bag"));
  if (!style) return undefined;
  const maxPagesArg = uniqueName("max_pages", b.taken, 64);
  b.parameters.push(maxPagesParameter(maxPagesArg, style === "pages" ? "The SDK fetches each next page." : "Pages by the last item's id (starting_after)."));
  b.input.notes.push({ tool: b.name, where: b.dotted, message: `returns a page of a list: ${maxPagesArg} fetches several pages in one call` });
  return { style, maxPagesArg };
}

/** Where the SDK documents nothing, a sentence from the names and types, never the bare name. */
function describeUndocumented(b: ToolBuild): void {
  for (const p of b.parameters) {
    if (p.type.description) continue;
    const origin = p.origin.replace(/^argument \d+ \((.*)\)$/, "$1");
    const field = origin.split(".");
    const what = field.length > 1 ? `The ${nameWords(field.at(-1)!).join(" ")} field of ${nameWords(field.slice(0, -1).join(" ")).join(" ")}` : `The ${nameWords(origin).join(" ")}`;
    p.type = { ...p.type, description: `${what} (${typeWord(p.type)}) for ${b.dotted}.` };
  }
}

/** A synchronous function's value as its scalar type (a list as {data}); an SDK call's result as plain JSON. */
function returnsOf(b: ToolBuild): TypeDef {
  if (!b.input.sync) return { type: "object", description: "The SDK's result as plain JSON (lists as {data, has_more}; a single value as {result})." };
  const ret = typeToMxcp(b.op.signature.getReturnType(), b.ctx, `${b.dotted}()`);
  if (ret?.type === "array") return { type: "object", description: "The list, as {data: [...]}." };
  return ret && ret.type !== "object" ? { type: ret.type, ...(ret.format ? { format: ret.format } : {}) } : { type: "object" };
}
