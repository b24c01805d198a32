// `mxcp-gen serve` over HTTP on a free port, for the call benchmarks: the process and the URL it announces.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

export async function serveHttp(cli: string, cwd: string, flags: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [cli, "serve", "--port", "0", ...flags], { cwd, env });
  const url = await new Promise<string>((resolve) => {
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      const m = / at (http:\/\/\S+\/mcp)/.exec(err);
      if (m) resolve(m[1]!);
    });
  });
  return { child, url };
}
