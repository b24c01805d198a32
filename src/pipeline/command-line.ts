// The command that regenerates a project, written into every generated file's header and the report.

/** One shell word: bare when it is plainly safe (no glob or quote characters), else single-quoted. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@=,+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** The words as one pasteable command line. */
export function commandLine(words: string[]): string {
  return words.map(shellWord).join(" ");
}
