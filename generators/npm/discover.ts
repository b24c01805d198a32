// Finding an SDK's operations with the type checker: from the client's instance type,
// recurse through properties; a property with a call signature returning a thenable is an operation.
// Class methods, call-signature and function-typed properties and namespaces all fit that one rule.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Project, ts } from "ts-morph";
import { allowedTypeRoots, ConfinedFileSystemHost } from "./confined-fs.js";
import type { ConstructionPlan, SecretParameter } from "../../src/model/tool-model.js";
import { constructionPlan } from "./construction.js";
import type { WrapProfile } from "./profiles.js";
import { isDeprecated, isHidden } from "./types.js";
import { findPackage } from "./package-location.js";

export { findPackage };

export interface DiscoveredOperation {
  path: string[];
  symbol: ts.Symbol;
  signature: ts.Signature;
  overloads: number;
  /**
   * Accessor calls on the way (Twilio's `client.api.v2010.accounts(sid).messages.create`): after
   * `path[index]`, the property is called with `signature`'s arguments to reach the next resource.
   */
  accessors: { index: number; signature: ts.Signature }[];
  /** A command class sent through the client's `send` (`client.send(new ListObjectsCommand(input))`). */
  command?: string;
}

export interface SkippedOperation {
  path: string;
  reason: string;
}

export interface LoadedPackage {
  name: string;
  version: string;
  dir: string;
  checker: ts.TypeChecker;
  /** A node to resolve types at. */
  node: ts.Node;
  root: ts.Type;
  /** Files the package's types tried to reach outside its folder and dependencies (refused). */
  refused: ReadonlySet<string>;
  /** The client export chosen when none was named (no profile, no --client). */
  clientChoice?: ClientChoice;
  /** How the client is built from the secret, read off its constructor's (or factory's) parameter types. */
  construction?: { plan: ConstructionPlan; secrets: SecretParameter[] };
  /** The client export is a function that returns the client (`createClient(url, key)`), called rather than constructed. */
  factory: boolean;
  /** The package's exports (for command classes beside a `send(command)` client). */
  exports: ts.Type;
}

const HELPERS = /(With(Http|Response)Info|AndPoll)$|^(each\w*|getPage|stream|parse|runTools|poll|toJSON|toString|valueOf|then|catch|finally)$/i;
const MAX_WALK_DEPTH = 6;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
// Types walked for one client: enough for the largest SDKs seen (Octokit's ~1,000 operations reach ~200 types),
// and a bound for generic chains whose every step is a new type.
const MAX_WALKED_TYPES = 5_000;
// Objects on a client that configure or carry its requests rather than call the API (AWS's `config.credentials`
// and `config.signer`, a `requestHandler.handle`, an OAuth token manager): their functions are not tools.
const PLUMBING = /^(config|configuration|clientConfig|settings|credentials|credentialProvider|signer|requestHandler|middlewareStack|middleware|interceptors|httpAgent|agent|logger|httpClient|transport|\w*(Auth|Token|Credentials)(Manager|Provider))$/i;

/** An error diagnostic's own words (ts-morph wraps message chains; the compiler object has the text). */
function diagnosticText(d: { compilerObject: ts.Diagnostic }): string {
  return ts.flattenDiagnosticMessageText(d.compilerObject.messageText, " ");
}

export interface ClientChoice {
  /** The export used as the client. */
  chosen: string;
  /** Other exports that would also qualify. */
  others: string[];
  /** The chosen export is a factory function, not a class. */
  factory: boolean;
}

/** Async methods reachable from `t` (through resources and accessor calls), a few levels down, capped. */
function countOperations(t: ts.Type, checker: ts.TypeChecker, at: ts.Node, depth: number, seen: Set<ts.Type>): number {
  if (depth > 4 || seen.has(t) || seen.size > 500) return 0;
  seen.add(t);
  let count = 0;
  for (const prop of checker.getPropertiesOfType(t)) {
    if (isHidden(prop) || count > 200) continue;
    const type = checker.getTypeOfSymbolAtLocation(prop, at);
    const calls = type.getCallSignatures();
    if (calls.some((sig) => isThenable(sig.getReturnType()))) count++;
    else if (calls.length > 0) count += countOperations(calls[0]!.getReturnType(), checker, at, depth + 1, seen);
    if (type.getFlags() & ts.TypeFlags.Object && !isThenable(type)) count += countOperations(type, checker, at, depth + 1, seen);
  }
  return count;
}

/**
 * With no profile and no --client: the client is the default export when it is a class whose instances carry
 * async methods (or resources with them); otherwise the exported class that does, preferring a name that
 * matches the package, then one ending in `Client`, then the one with most operations.
 */
function findClient(project: Project, name: string, projectDir: string): ClientChoice {
  const entry = project.createSourceFile(join(projectDir, "__mxcp_gen_wrap_exports__.mts"), `import * as __module from ${JSON.stringify(name)};\nexport declare const __ns: typeof __module;\n`, { overwrite: true });
  const errors = entry.getPreEmitDiagnostics().filter((d) => d.getCategory() === ts.DiagnosticCategory.Error);
  if (errors.some((d) => d.getCode() === 7016)) {
    const types = name.startsWith("@") ? `@types/${name.slice(1).replace("/", "__")}` : `@types/${name}`;
    throw new Error(`${name} ships no type definitions, and ${types} is not installed: a JavaScript package's types are often published as ${types} (check it on npmjs.com); install it beside the package and run wrap again`);
  }
  if (errors.length > 0) throw new Error(`Cannot read ${name}'s types: ${errors.map(diagnosticText).join("; ")}`);
  const decl = entry.getVariableDeclarationOrThrow("__ns").compilerNode;
  const checker = project.getTypeChecker().compilerObject;
  const ns = checker.getTypeAtLocation(decl);
  const looked: string[] = [];
  const qualified: { name: string; operations: number; factory: boolean }[] = [];
  for (const sym of checker.getPropertiesOfType(ns)) {
    const exportName = sym.getName();
    looked.push(exportName);
    // An export named as internal (`__Client`, `_base`) is never the client a user means; a name that is not an
    // identifier (`export { C as "…" }`) would have to be written into generated code, so it is never a client.
    if (exportName.startsWith("_") || !IDENTIFIER.test(exportName)) continue;
    const type = checker.getTypeOfSymbolAtLocation(sym, decl);
    const ctor = type.getConstructSignatures()[0];
    // A class whose instances have operations, or a function that returns such a client (`createClient(…)`).
    const factory = ctor ? undefined : type.getCallSignatures().find((sig) => (sig.getTypeParameters() ?? []).every((tp) => tp.getDefault()));
    const made = ctor?.getReturnType() ?? (factory ? (checker.getAwaitedType(factory.getReturnType()) ?? factory.getReturnType()) : undefined);
    if (!made) continue;
    const operations = countOperations(made, checker, decl, 0, new Set());
    if (operations > 0) qualified.push({ name: exportName, operations, factory: !ctor });
  }
  project.removeSourceFile(entry);
  const plain = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  const base = plain(name.replace(/^@[^/]+\//, "").replace(/[-_.]?(sdk|js|node|client|api)$/i, ""));
  // A name that says "client" (or the package's own name) first, then the one reaching the most operations:
  // an aggregated client (`S3`) over a low-level one, a factory `createClient` over a helper class.
  const named = (q: { name: string }) => {
    const p = plain(q.name);
    if (q.name === "default") return 4;
    if (p && (p.startsWith(base) || base.startsWith(p) || p === `create${base}client` || p === `create${base}`)) return 3;
    return /Client$|^create\w*Client$/.test(q.name) ? 2 : 1;
  };
  qualified.sort((a, b) => named(b) - named(a) || b.operations - a.operations || (a.name < b.name ? -1 : 1));
  const [best, ...rest] = qualified;
  if (!best) {
    throw new Error(
      `${name}: no export is a client class whose instances have async methods (looked at: ${looked.sort().join(", ") || "no exports"}); name the client with --client ExportName, or wrap module functions with --sync`,
    );
  }
  // The likeliest alternatives only: a GraphQL SDK exports hundreds of model classes with async methods.
  const others = rest.slice(0, 5).map((q) => q.name);
  if (rest.length > 5) others.push(`${rest.length - 5} more`);
  return { chosen: best.name, others, factory: best.factory };
}

/**
 * Load the package's types through a virtual entry file in the project (nothing of the package runs).
 * With `findClientExport`, the client export is found as `findClient` says (and `profile.client` set to it).
 */
export function loadPackage(name: string, projectDir: string, profile: WrapProfile, sync: boolean, findClientExport = false): LoadedPackage {
  if (!sync && profile.client !== "default" && !IDENTIFIER.test(profile.client)) throw new Error(`--client ${JSON.stringify(profile.client.slice(0, 60))} is not an export name (a JavaScript identifier)`);
  const dir = findPackage(name, projectDir);
  if (!dir) throw new Error(`Package ${name} is not installed in ${projectDir}: run npm install ${name} there (or pass --install)`);
  const version = String((JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: string }).version ?? "");
  const fileSystem = new ConfinedFileSystemHost(allowedTypeRoots(dir, findPackage), projectDir);
  const project = new Project({
    fileSystem,
    compilerOptions: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    },
    skipAddingFilesFromTsConfig: true,
  });
  const found = !sync && findClientExport ? findClient(project, name, projectDir) : undefined;
  // The default export, when it is a client, is what a profile-less wrap always used: nothing to report.
  const clientChoice = found && found.chosen !== "default" ? found : undefined;
  if (clientChoice) profile.client = clientChoice.chosen;
  const spec = JSON.stringify(name);
  // The client an export makes: a class's instance, or what a factory function returns (awaited).
  // The same helper types the generated client.ts takes from mxcp-gen/runtime (SdkConstructor, SdkClient):
  // through a CommonJS `default` wrapper, to the class or factory, and what it makes.
  const helpers =
    "type __Ctor<T> = T extends abstract new (...args: any) => any ? T : T extends (...args: any) => any ? T : T extends { default: infer D } ? __Ctor<D> : never;\n" +
    "type __Made<T> = __Ctor<T> extends abstract new (...args: any) => infer C ? C : __Ctor<T> extends (...args: any) => infer R ? Awaited<R> : never;\n";
  const source = sync
    ? `import * as __module from ${spec};\nexport declare const __root: typeof __module;\n`
    : profile.client === "default"
      ? `import __Client from ${spec};\n${helpers}export declare const __root: __Made<typeof __Client>;\n`
      : `import { ${profile.client} as __Client } from ${spec};\n${helpers}export declare const __root: __Made<typeof __Client>;\n`;
  const ctorLine = sync ? "" : `export declare const __ctor: __Ctor<typeof __Client>;\nimport * as __module from ${spec};\nexport declare const __exports: typeof __module;\n`;
  // The entry lives (in memory only) inside the project, so the package resolves from its node_modules.
  const entry = project.createSourceFile(join(projectDir, "__mxcp_gen_wrap_entry__.mts"), source + ctorLine, { overwrite: true });
  const diagnostics = entry.getPreEmitDiagnostics().filter((d) => d.getCategory() === ts.DiagnosticCategory.Error);
  if (diagnostics.length > 0) {
    throw new Error(`Cannot read ${name}'s types${profile.client !== "default" ? ` (client export ${profile.client})` : ""}: ${diagnostics.map(diagnosticText).join("; ")}`);
  }
  const decl = entry.getVariableDeclarationOrThrow("__root").compilerNode;
  const checker = project.getTypeChecker().compilerObject;
  let root = checker.getTypeAtLocation(decl);
  if (!sync && root.getProperties().length === 0) throw new Error(`${name}: its ${profile.client === "default" ? "default export" : `export ${profile.client}`} is neither a client class nor a function returning a client with methods; name one with --client`);
  for (const segment of profile.root) {
    const prop = root.getProperty(segment);
    if (!prop) throw new Error(`${name}: the client has no '${segment}' to start from`);
    root = checker.getTypeOfSymbolAtLocation(prop, decl);
  }
  const ctor = sync ? undefined : checker.getTypeAtLocation(entry.getVariableDeclarationOrThrow("__ctor").compilerNode);
  const factory = !!ctor && ctor.getConstructSignatures().length === 0 && ctor.getCallSignatures().length > 0;
  const construction = ctor ? constructionPlan(ctor, checker, decl, profile.client === "default" ? name : profile.client) : undefined;
  const exports = sync ? root : checker.getTypeAtLocation(entry.getVariableDeclarationOrThrow("__exports").compilerNode);
  return { name, version, dir, checker, node: decl, root, refused: fileSystem.refused, factory, exports, ...(clientChoice ? { clientChoice } : {}), ...(construction ? { construction } : {}) };
}

/** A transport helper's call takes a URL, path or request first (or nothing): `get(path, options)`, `request(config)`. */
function isTransportCall(t: ts.Type): boolean {
  const signatures = t.getCallSignatures();
  if (signatures.length === 0) return true;
  return signatures.some((s) => {
    const first = s.getParameters()[0];
    return !first || /url|path|route|endpoint|uri|request|options|config|input|init|event|name|plugin|method/i.test(first.getName());
  });
}

function isThenable(t: ts.Type): boolean {
  return t.getProperty("then") !== undefined || (t.isUnion() && t.types.some((m) => m.getProperty("then") !== undefined));
}

function declaredInLibrary(sym: ts.Symbol): boolean {
  return (sym.getDeclarations() ?? []).some((d) => {
    const file = d.getSourceFile().fileName;
    return /\/typescript\/lib\/lib\.|\/@types\/node\//.test(file);
  });
}


/**
 * Whether a return type streams (a Stream, an async iterable), judged by names only: printing an SDK's
 * response types (Octokit's are huge) would cost seconds and gigabytes.
 */
function isStreaming(ret: ts.Type, checker: ts.TypeChecker): boolean {
  const named = (t: ts.Type) => (t.aliasSymbol ?? t.getSymbol())?.getName() ?? "";
  const candidates = [ret, checker.getAwaitedType(ret) ?? ret];
  for (const t of [...candidates]) {
    const args = (t as ts.TypeReference).typeArguments ?? t.aliasTypeArguments ?? [];
    candidates.push(...args);
  }
  return candidates.some((t) => /Stream|AsyncIterable|AsyncGenerator/.test(named(t)));
}

/** The overload a tool calls: not generic, returning a thenable (unless sync), not streaming, no trailing callback. */
function chooseSignature(signatures: readonly ts.Signature[], checker: ts.TypeChecker, sync: boolean): ts.Signature | undefined {
  const usable = signatures.filter((s) => {
    // A generic method is called at its type parameters' constraints (`search<T>(…): Promise<SearchResponse<T>>`,
    // date-fns' addDays<DateType extends Date>): the tool passes JSON, the handler's type check says whether it fits.
    const ret = s.getReturnType();
    if (!sync && !isThenable(ret)) return false;
    if (isStreaming(ret, checker)) return false;
    const last = s.getParameters().at(-1);
    if (last && /^(callback|cb|done)$/i.test(last.getName())) {
      const decl = last.valueDeclaration as ts.ParameterDeclaration | undefined;
      if (decl && !decl.questionToken) return false;
    }
    return true;
  });
  return usable[0];
}

/**
 * A signature that returns a resource (an object with async methods), not a value: Twilio's
 * `accounts(sid): AccountContext`. At most three plain arguments.
 */
function accessorSignature(signatures: readonly ts.Signature[], checker: ts.TypeChecker): ts.Signature | undefined {
  return signatures.find((s) => {
    // A generic accessor (`index<T>(uid): Index<T>`) is called at its type parameters' constraints.
    if (s.getParameters().length > 3) return false;
    const ret = s.getReturnType();
    if (isThenable(ret) || checker.isArrayType(ret) || !(ret.getFlags() & ts.TypeFlags.Object)) return false;
    return checker.getPropertiesOfType(ret).some((p) => {
      const t = checker.getTypeOfSymbol(p);
      return t.getCallSignatures().some((c) => isThenable(c.getReturnType())) || checker.getPropertiesOfType(t).some((q) => checker.getTypeOfSymbol(q).getCallSignatures().some((c) => isThenable(c.getReturnType())));
    });
  });
}

/**
 * A client whose operations are command classes it sends (`client.send(new ListObjectsV2Command(input))`, the AWS
 * SDK's low-level clients): each exported `…Command` class taking an input is an operation in place of `send`,
 * when `send` is all the client has.
 */
function commandOperations(pkg: LoadedPackage, operations: DiscoveredOperation[]): void {
  const { checker, node } = pkg;
  const send = operations.findIndex((op) => op.path.length === 1 && op.path[0] === "send");
  if (send < 0) return;
  const commands: DiscoveredOperation[] = [];
  for (const sym of checker.getPropertiesOfType(pkg.exports)) {
    const name = sym.getName();
    const stem = /^([A-Z][A-Za-z0-9]*)Command$/.exec(name)?.[1];
    if (!stem) continue;
    const signature = checker.getTypeOfSymbolAtLocation(sym, node).getConstructSignatures()[0];
    if (!signature || signature.getParameters().length === 0) continue;
    commands.push({ path: [stem.charAt(0).toLowerCase() + stem.slice(1)], symbol: sym, signature, overloads: 1, accessors: [], command: name });
  }
  if (commands.length === 0) return;
  // An aggregated client (`S3`, a method per command) has its operations already; `send` is its transport.
  if (operations.length > 1) operations.splice(send, 1);
  else operations.splice(send, 1, ...commands.sort((a, b) => (a.path[0]! < b.path[0]! ? -1 : 1)));
}

/** A builder chain's entry on the client (`from(table)`), and the steps it leads to (`select`, `eq`, `order`, …). */
export interface BuilderEntry {
  entry: string;
  /** The calls on what the entry returns that start a chain (`select`, `insert`), in declaration order. */
  starts: string[];
  /** The chain's steps (`eq`, `order`, `limit`), in declaration order. */
  steps: string[];
}

/**
 * The client's builder entries: a method returning an object whose methods return a thenable builder, which has
 * at least three methods returning the builder again (`from(table).select().eq().limit()`, awaited at the end).
 * Such a chain is no single call with arguments, so `wrap` says it does not cover it rather than leave it out silently.
 */
export function builderEntries(pkg: LoadedPackage): BuilderEntry[] {
  const { checker, node } = pkg;
  const methodsOf = (t: ts.Type) =>
    checker
      .getPropertiesOfType(t)
      .filter((p) => !isHidden(p) && !declaredInLibrary(p))
      .map((p) => ({ name: p.getName(), signature: checker.getTypeOfSymbolAtLocation(p, node).getCallSignatures()[0] }))
      .filter((m): m is { name: string; signature: ts.Signature } => m.signature !== undefined);
  const chains = (t: ts.Type): string[] => {
    const self = t.getSymbol();
    if (!self || !isThenable(t)) return [];
    return methodsOf(t)
      .filter((m) => m.signature.getReturnType().getSymbol() === self)
      .map((m) => m.name);
  };
  const entries: BuilderEntry[] = [];
  for (const m of methodsOf(pkg.root)) {
    const made = m.signature.getReturnType();
    if (isThenable(made) || !(made.getFlags() & ts.TypeFlags.Object)) continue;
    const starts: string[] = [];
    const steps = new Set<string>();
    for (const first of methodsOf(made)) {
      const chain = chains(first.signature.getReturnType());
      if (chain.length < 3) continue;
      starts.push(first.name);
      chain.forEach((s) => steps.add(s));
    }
    if (starts.length > 0) entries.push({ entry: m.name, starts, steps: [...steps] });
  }
  return entries;
}

export function discoverOperations(pkg: LoadedPackage, sync: boolean, profile: Pick<WrapProfile, "skipRootMethods" | "transportHelpers">): { operations: DiscoveredOperation[]; skipped: SkippedOperation[] } {
  const transport = new Set(profile.transportHelpers);
  const { checker, node } = pkg;
  const operations: DiscoveredOperation[] = [];
  const skipped: SkippedOperation[] = [];
  const visitedTypes = new Set<ts.Type>();
  // What an accessor call returns is walked once per declared type, whatever its type arguments: a chain
  // (`pipeline().get().set()…`, each step a new `Pipeline<[…]>`) would otherwise grow without end.
  const visitedResults = new Set<ts.Symbol>();
  const seenDeclarations = new Set<ts.Node>();
  let cutShort = false;
  const deferred: (() => void)[] = [];

  const walk = (t: ts.Type, path: string[], depth: number, accessors: DiscoveredOperation["accessors"]) => {
    if (depth > MAX_WALK_DEPTH || visitedTypes.has(t)) return;
    if (visitedTypes.size >= MAX_WALKED_TYPES) {
      cutShort = true;
      return;
    }
    visitedTypes.add(t);
    const props = [...checker.getPropertiesOfType(t)].sort((a, b) => (a.getName() < b.getName() ? -1 : a.getName() > b.getName() ? 1 : 0));
    for (const sym of props) {
      const name = sym.getName();
      const dotted = [...path, name].join(".");
      if (isHidden(sym) || declaredInLibrary(sym)) continue;
      // `get(path, options)` on the client is its HTTP transport; `get(key)` on a key-value client is an operation.
      if (depth === 0 && !sync && transport.has(name) && isTransportCall(checker.getTypeOfSymbolAtLocation(sym, node))) continue;
      if (HELPERS.test(name)) continue;
      const type = checker.getTypeOfSymbolAtLocation(sym, node);
      const signatures = type.getCallSignatures();
      if (signatures.length > 0 && depth === 0 && profile.skipRootMethods) continue;
      if (signatures.length > 0 && type.getConstructSignatures().length === 0) {
        // A method declared once and reached twice (`list = this.all`) is one operation; a signature written in a
        // generic type alias (Slack's `MethodWithRequiredArgument<A, R>`) is shared by every method, so it says nothing.
        const declared = signatures[0]!.getDeclaration();
        const decl = declared && !ts.isFunctionTypeNode(declared) && !ts.isCallSignatureDeclaration(declared) ? declared : undefined;
        if (decl && seenDeclarations.has(decl)) continue;
        // Deprecated only when every form is: a deprecated positional overload beside a current options form
        // leaves the current one (a property's own @deprecated covers the function it holds).
        const current = signatures.filter((sig) => !sig.getJsDocTags().some((t) => t.name === "deprecated"));
        if (current.length === 0 || (current.length === signatures.length && isDeprecated(sym, checker))) {
          skipped.push({ path: dotted, reason: "deprecated" });
          continue;
        }
        const signature = chooseSignature(current, checker, sync);
        const accessor = sync || signature ? undefined : accessorSignature(signatures, checker);
        if (accessor) {
          // An accessor (`accounts(sid)`) leads to a resource; the callable's own properties (`accounts.list`) are one too.
          const result = accessor.getReturnType();
          const declaredAs = result.getSymbol();
          if (!declaredAs || !visitedResults.has(declaredAs)) {
            if (declaredAs) visitedResults.add(declaredAs);
            // After everything reachable without a call: a resource reachable both ways (`client.tasks` and
            // `client.index(uid).tasks`) keeps the path that needs no argument.
            deferred.push(() => walk(result, [...path, name], depth + 1, [...accessors, { index: path.length, signature: accessor }]));
          }
          if (type.getProperties().length > 0) walk(type, [...path, name], depth + 1, accessors);
        } else if (!signature) {
          if (sync || signatures.some((s) => isThenable(s.getReturnType()))) skipped.push({ path: dotted, reason: "no usable overload (streaming or callback-only)" });
          // A synchronous helper on a client is not an operation.
        } else {
          if (decl) seenDeclarations.add(decl);
          operations.push({ path: [...path, name], symbol: sym, signature, overloads: signatures.length, accessors });
        }
        // Otherwise a callable is an operation or nothing: its own properties (Octokit's `endpoint`, `defaults`) are not resources.
        continue;
      }
      if (sync) continue;
      if (type.getConstructSignatures().length > 0 || checker.isArrayType(type) || isThenable(type)) continue;
      // Only on the client itself: deeper down, `admin.apps.config` is an API resource like any other.
      if (depth === 0 && PLUMBING.test(name) && type.getFlags() & ts.TypeFlags.Object) {
        skipped.push({ path: dotted, reason: "the client's configuration or plumbing (credentials, signer, request handler, token manager), not an operation" });
        continue;
      }
      if (type.getFlags() & ts.TypeFlags.Object && type.getProperties().length > 0) walk(type, [...path, name], depth + 1, accessors);
    }
  };
  walk(pkg.root, [], 0, []);
  for (let next = deferred.shift(); next; next = deferred.shift()) next();
  if (!sync) commandOperations(pkg, operations);
  if (cutShort) skipped.push({ path: "(the rest)", reason: `the client's types reach more than ${MAX_WALKED_TYPES} types; the walk stopped there (name a narrower --client or use --include)` });
  return { operations, skipped };
}
