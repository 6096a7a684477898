/** Running the twinbench CLI as a real child process, and reading what it prints. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { URL_LINE } from "../../src-main/cli/output";

export const BUILT_CLI = "bin/twinbench.js";

/** Runs the CLI to completion (from source through tsx unless `built`). */
export function runCli(args: string[], options: { built?: boolean; env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const argv = options.built ? [BUILT_CLI, ...args] : ["--import", "tsx", "src-main/cli/main.ts", ...args];
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", env: { ...process.env, ...options.env }, timeout: 60_000, input: options.input ?? "" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface RunningWorkbench {
  child: ChildProcess;
  url: URL;
  token: string;
  port: number;
  output(): string;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  interrupt(timeoutMs?: number): Promise<number | null>;
}

/** Starts `twinbench start --headless` and resolves once it printed its URL. */
export function startWorkbench(args: string[] = [], options: { built?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<RunningWorkbench> {
  const argv = options.built
    ? [BUILT_CLI, "start", "--headless", ...args]
    : ["--import", "tsx", "src-main/cli/main.ts", "start", "--headless", ...args];
  const child = spawn(process.execPath, argv, { env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no URL within 60 s; output:\n${out}`));
    }, 60_000);
    const onData = () => {
      const m = URL_LINE.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      const url = new URL(m[0]);
      resolve({
        child,
        url,
        token: url.searchParams.get("token")!,
        port: Number(url.port),
        output: () => out,
        interrupt: async (timeoutMs = 20_000) => {
          if (child.exitCode !== null) return child.exitCode;
          child.kill("SIGINT");
          const kill = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
          const code = await exited;
          clearTimeout(kill);
          return code;
        },
      });
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`twinbench start exited (${code}) before serving; output:\n${out}`));
    });
  });
}
