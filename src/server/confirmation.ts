// Asking the user before a call runs: for a tool marked destructive when the server is started with
// --confirm-destructive, and wherever an input policy says `confirm`. The question goes to the user through
// elicitation; a client that cannot ask, a refusal or silence means the call is not made.
import type { ToolDef } from "../project/definitions.js";
import { runtimeState, type ElicitSchema } from "../runtime/state.js";
import { ClientCapabilityError } from "./mcp/call-reporter.js";

/** The call was not made: the user did not confirm it, or could not be asked. */
export class ConfirmationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Not confirmed";
  }
}

const FORM: ElicitSchema = {
  type: "object",
  properties: { confirm: { type: "boolean", title: "Run it", description: "Yes, make this call", default: false } },
  required: ["confirm"],
};

/** Longest argument value shown in the question; the rest is cut (the user is shown data, quoted, never prose). */
const SHOWN_VALUE = 80;

export function confirmationQuestion(def: ToolDef, args: Record<string, unknown>, reason: string | undefined): string {
  const shown = Object.entries(args)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => {
      const text = JSON.stringify(v) ?? String(v);
      return `${k}=${text.length > SHOWN_VALUE ? `${text.slice(0, SHOWN_VALUE)}…` : text}`;
    });
  const title = def.annotations?.title ?? def.name;
  return `${title}${shown.length ? ` (${shown.join(", ")})` : ""}: ${reason ?? "this tool changes or deletes data"}. Run it?`;
}

/** Ask the user of the current call; resolves when they confirmed, throws ConfirmationRefused otherwise. */
export async function confirmCall(def: ToolDef, args: Record<string, unknown>, reason: string | undefined): Promise<void> {
  const mcp = runtimeState().calls.getStore()?.mcp;
  const asked = `${def.name} needs the user's confirmation`;
  if (!mcp) throw new ConfirmationRefused(`${asked}, which only an MCP client that can ask the user gives (elicitation); it was not run`);
  let answer;
  try {
    answer = await mcp.elicit(confirmationQuestion(def, args, reason), FORM);
  } catch (e) {
    if (e instanceof ClientCapabilityError) throw new ConfirmationRefused(`${asked}, and this MCP client cannot ask (it did not declare elicitation); it was not run`);
    throw new ConfirmationRefused(`${asked}, and asking failed (${(e as Error).message}); it was not run`);
  }
  if (answer.action !== "accept" || answer.content?.confirm !== true) {
    const said = answer.action === "accept" ? "did not tick Run it" : answer.action === "decline" ? "declined" : "dismissed the question";
    throw new ConfirmationRefused(`The user ${said}: ${def.name} was not run`);
  }
}
