// What a generator says about a lossy step: where it was, and for which tool when there is one.
import type { ModelNote } from "./tool-model.js";

/** Record a note in the context's list, tagged with the context's tool when it has one. */
export function addNote(ctx: { notes: ModelNote[]; tool?: string | undefined }, where: string, message: string): void {
  ctx.notes.push({ ...(ctx.tool ? { tool: ctx.tool } : {}), where, message });
}
