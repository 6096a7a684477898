/** Running the commissioning commands as real child processes, through the test CLI entry. */
import { spawn } from "node:child_process";
import type { CliEntry } from "../../../../src-main/commissioning/softplc/softplc-child";

export const CLI_ENTRY: CliEntry = { file: "test/integration/commissioning/support/cli-entry.ts", execArgv: ["--import", "tsx"] };

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `twinbench <args>` to completion (killed after `timeoutMs`). */
export function runCommissioningCli(args: string[], timeoutMs = 240_000): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI_ENTRY.execArgv, CLI_ENTRY.file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
