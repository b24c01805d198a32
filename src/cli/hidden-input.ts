// A line typed at the terminal without showing it: for secrets, which must never reach the screen, the
// scrollback or a recording of the session.

/** Whether the user can be asked: both ends are a terminal. */
export function canAsk(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true && typeof process.stdin.setRawMode === "function";
}

// What was typed after the Enter that ended one answer (a paste, typing ahead): the start of the next one.
let typedAhead = "";

/**
 * Ask `question` on stderr and read one line from the terminal with echo off. Backspace edits; Enter ends;
 * Ctrl-C or Ctrl-D on an empty line cancels (rejects).
 */
export function askHidden(question: string): Promise<string> {
  const input = process.stdin;
  // Echo goes off before the question shows, so nothing typed after it can be echoed.
  input.setRawMode(true);
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = "";
    const done = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    // Returns whether the line ended; what follows it (pasted or typed ahead) waits for the next question.
    const take = (text: string): boolean => {
      const chars = [...text];
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i]!;
        if (ch === "\r" || ch === "\n") {
          typedAhead = chars.slice(i + 1).join("");
          done();
          return true;
        }
        if (ch === "\u0003" || (ch === "\u0004" && value === "")) {
          done(new Error("cancelled"));
          return true;
        }
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
      return false;
    };
    const onData = (chunk: Buffer) => void take(chunk.toString("utf8"));
    const ahead = typedAhead;
    typedAhead = "";
    if (take(ahead)) return;
    input.resume();
    input.on("data", onData);
  });
}

