import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { basename } from "node:path";

// Which process listens on a TCP port, for the message when `serve` cannot take it. Linux only (procfs); it
// sees the sockets of processes this user may inspect, which is the common case of a server started earlier.

/** `process 1234 (node mxcp-gen.js)`, or undefined when it cannot be told. */
export function portHolder(port: number): string | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    const inodes = new Set<string>();
    for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
      let text = "";
      try {
        text = readFileSync(table, "utf8");
      } catch {
        continue;
      }
      for (const line of text.split("\n").slice(1)) {
        const cols = line.trim().split(/\s+/);
        // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; the inode is the tenth column.
        if (cols.length > 9 && cols[3] === "0A" && parseInt(cols[1]!.split(":").pop()!, 16) === port) inodes.add(cols[9]!);
      }
    }
    if (inodes.size === 0) return undefined;
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      let fds: string[];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        let link = "";
        try {
          link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m && inodes.has(m[1]!)) return `process ${pid}${commandOf(pid)}`;
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The program and its first argument, by file name only: a command line may carry values not ours to print. */
function commandOf(pid: string): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const shown = argv.slice(0, 2).map((a) => basename(a)).join(" ");
    return shown ? ` (${shown})` : "";
  } catch {
    return "";
  }
}
