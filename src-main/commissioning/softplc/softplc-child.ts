/**
 * Starting the reference soft PLC as its own process (as a real PLC is its own device) and waiting until it
 * serves. The child is this same CLI entry (`process.argv[1]` with the same Node options, so it runs from
 * sources under tsx as well as built), running `softplc`; it reports its endpoint over the IPC channel and
 * stops when its parent goes away.
 */
import { fork, type ChildProcess } from "node:child_process";

/** Message the soft PLC child sends once it serves. */
export interface SoftPlcReadyMessage {
  type: "softplc-ready";
  endpoint: string;
}

/** Message the plant server child sends once it serves. */
export interface PlantReadyMessage {
  type: "plant-ready";
  endpoint: string;
}

export interface ServingChild {
  endpoint: string;
  /** The ready message as the child sent it (it may carry more endpoints). */
  ready: { type: string; endpoint: string } & Record<string, unknown>;
  process: ChildProcess;
  /** Asks the child to stop (SIGTERM) and waits for it; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface CliEntry {
  file: string;
  execArgv: string[];
}

/** The CLI entry this process was started from. */
export function currentCliEntry(): CliEntry {
  return { file: process.argv[1]!, execArgv: process.execArgv };
}

/**
 * Forks `entry` with `args` and resolves once it sends `{ type: readyType, endpoint }`. Its stderr is passed
 * through with a prefix when `log` is given.
 */
export function startServingChild(entry: CliEntry, args: string[], readyType: string, log?: (line: string) => void, timeoutMs = 60_000): Promise<ServingChild> {
  const child = fork(entry.file, args, { execArgv: entry.execArgv, stdio: ["ignore", "ignore", log ? "pipe" : "ignore", "ipc"] });
  if (log && child.stderr) {
    let buffer = "";
    child.stderr.on("data", (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) if (line.trim() && !/verify_pcks1|Creating default certificate|please wait|^SIG\w+: stopping/.test(line)) log(line);
    });
  }
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
      reject(new Error(`${args[0]} did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on("message", (message: { type?: string; endpoint?: string } & Record<string, unknown>) => {
      if (message?.type === readyType && typeof message.endpoint === "string") {
        clearTimeout(timer);
        resolve({ endpoint: message.endpoint, ready: { ...message, type: readyType, endpoint: message.endpoint }, process: child, stop });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited before serving (code ${code}, signal ${signal})`));
    });
  });
}
