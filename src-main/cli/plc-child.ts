/** Starting the simulated PLC as a child process and waiting until it serves. */
import { fork, type ChildProcess } from "node:child_process";
import { locateEntry } from "../runtime/entries";
import type { PlcReadyMessage } from "./plc";

export interface PlcChild {
  endpoint: string;
  process: ChildProcess;
  /** Asks the child to stop and waits for it (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export function startPlcChild(args: { scene: string; port: number; speedup: number; data?: string }): Promise<PlcChild> {
  const cli = locateEntry("cli", "src-main/cli/main.ts");
  const argv = ["plc", "--scene", args.scene, "--port", String(args.port), "--speedup", String(args.speedup)];
  if (args.data) argv.push("--data", args.data);
  const child = fork(cli.file, argv, { execArgv: cli.execArgv, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async (graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(1_000);
      reject(new Error("the simulated PLC did not start within 30 s"));
    }, 30_000);
    child.on("message", (message: PlcReadyMessage) => {
      if (message?.type === "plc-ready") {
        clearTimeout(timer);
        resolve({ endpoint: message.endpoint, process: child, stop });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the simulated PLC exited before serving (code ${code}, signal ${signal}); see its messages above`));
    });
  });
}
