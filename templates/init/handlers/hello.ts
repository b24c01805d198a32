/** The `hello` tool: the export is named exactly like the tool, and gets the validated arguments. */
export async function hello(args: { name: string }): Promise<string> {
  return `Hello, ${args.name}!`;
}
