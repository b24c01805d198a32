/** What the model (and `run`) reads when an API's answer differs from its document. */
export function misfitNote(misfits: string[]): string {
  return `Note: the API's answer differs from its document, and is given as the API sent it: ${misfits.join("; ")}`;
}
