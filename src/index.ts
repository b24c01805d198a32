// The programmatic API: everything the CLI does is callable from code.
export { main } from "./cli/main.js";
export { loadProject, type LoadProjectOptions, type Project } from "./project/project.js";
export { loadEndpoints, type EndpointEntry } from "./project/endpoints.js";
export { ProjectError, formatProblem, type Problem } from "./project/schema-errors.js";
export type * from "./project/definitions.js";
export { validateInput, convertValue, ValidationError } from "./types/validate-input.js";
export { validateOutput, reshapeResult, toJsonSafe } from "./types/validate-output.js";
export { ProjectHost, type HostOptions, type CallOptions } from "./server/host.js";
export type { CallOutcome } from "./server/executor.js";
export { initProject, type InitOptions } from "./scaffold/init-project.js";
export { VERSION } from "./package-info.js";
