// The words that make an operation destructive, whatever its HTTP method (`POST /sessions/terminate`,
// `remove_shared_link`): one rule for the generators' annotations and for lint.

/** A snake_case name with a destructive word in it. */
export const DESTRUCTIVE_WORD = /(^|_)(delete|remove|destroy|purge|drop|erase|wipe|revoke|terminate|cancel)(_|$)/i;
