/**
 * startup: how fast `twinbench start` (built, headless, embedded demo) serves its first live value,
 * and how much memory all its processes hold once it runs.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import WebSocket from "ws";
import { URL_LINE } from "../../../src-main/cli/output";
import { tempFolder } from "../../support/temp";
import { figure, type BenchGroup } from "../figures";
import { treeRssMb } from "../process-tree";

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);

async function oneRun(dataFolder: string): Promise<{ firstValueS: number; rssMb: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["bin/twinbench.js", "start", "--headless", "--data", dataFolder], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  try {
    const url = await new Promise<URL>((resolve, reject) => {
      let stdout = "";
      const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${out}`)), 60_000);
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        const m = URL_LINE.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(new URL(m[0]));
        }
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}:\n${out}`)));
    });
    // First live value served = the first good sample pushed to a logged-in API client.
    const firstValueS = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api?token=${url.searchParams.get("token")}`);
      const timer = setTimeout(() => reject(new Error("no live value within 60 s")), 60_000);
      // Events reach logged-in connections only: log in as the page would (the first run creates the admin).
      const send = (id: number, method: string, params: unknown, session?: string) => ws.send(JSON.stringify({ type: "request", id, method, params, ...(session ? { session } : {}) }));
      const credentials = { username: "admin", password: "bench admin password" };
      ws.on("open", () => send(1, "auth.whoami", {}));
      ws.on("message", (data) => {
        const m = JSON.parse(data.toString());
        if (m.type === "response" && m.id === 1) send(2, m.result.setupRequired ? "auth.setupAdmin" : "auth.login", credentials);
        if (m.type === "response" && m.id === 2) {
          if (!m.ok) return reject(new Error(`login failed: ${m.error.message}`));
          send(3, "tags.snapshot", {}, m.result.token);
        }
        if (m.type === "event" && m.name === "tags.values" && m.payload.samples.some((s: { q: string }) => s.q === "good")) {
          clearTimeout(timer);
          resolve((performance.now() - t0) / 1000);
          ws.close();
        }
      });
      ws.on("error", reject);
    });
    await new Promise((r) => setTimeout(r, 3000)); // steady state: PLC, runtime and host all busy
    return { firstValueS, rssMb: treeRssMb(child.pid!) };
  } finally {
    child.kill("SIGINT");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  }
}

export const group: BenchGroup = {
  name: "startup",
  description: "twinbench start (headless, embedded demo): seconds to the first live value served; RSS of all its processes",
  async run(log) {
    const firstValue: number[] = [];
    const rss: number[] = [];
    const temp = tempFolder("bench-startup");
    try {
      for (let k = 0; k < RUNS; k++) {
        const r = await oneRun(join(temp.path, "data"));
        log(`  run ${k + 1}/${RUNS}: first value ${r.firstValueS.toFixed(2)} s, rss ${r.rssMb.toFixed(0)} MB`);
        firstValue.push(r.firstValueS);
        rss.push(r.rssMb);
      }
    } finally {
      temp.remove();
    }
    return [figure("startup.first_value_s", "s", firstValue), figure("startup.rss_mb", "MB", rss)];
  },
};
