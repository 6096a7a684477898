/**
 * opcua: the plant link against node-opcua servers on loopback. Two server processes (their CPU apart from
 * the client's), each with 2,500 Double variables all changing every 50 ms; 5,000 monitored items,
 * exception-based sampling, 100 ms publishing, queue 10, on both clients.
 *
 * - values_per_s: value changes per second carried through the PlantLink (sequence order, dedupe, quality
 *   mapping) and converted to the contract's TagSample, counted at the callback the runtime gives the link.
 *   The historian's write queue is not there yet: the count stops at that callback.
 * - ratio_to_bare_client: the same, divided by what a bare node-opcua client counts (`changed` events of a
 *   ClientMonitoredItemGroup) from the same servers in the same run; rounds alternate bare and link.
 * - write_p50_ms / write_p99_ms: PlcWriter typed write + read-back round trip to a third server (a PLC not
 *   saturated by this benchmark's own load), while the link carries the full 5,000-item stream: the
 *   client's write path under its own load, as when a setpoint changes while the twin is subscribed.
 * - connect_ms: PlantLink.open() to subscribed (GetEndpoints, secure channel, session, one monitored item),
 *   security None, the application certificate already made.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { AttributeIds, ClientMonitoredItemGroup, OPCUACertificateManager, OPCUAClient, TimestampsToReturn, type ClientSession } from "node-opcua";
import { PlantLink } from "../../../src-main/plant/plant-link";
import { toTagSample } from "../../../src-main/plant/quality";
import type { TagBinding } from "../../../src-main/plant/types";
import { NODES } from "../../integration/plant/fixtures/test-server";
import { startTestServerChild, type TestServerChild } from "../../integration/plant/fixtures/test-server-child";
import { tempFolder } from "../../support/temp";
import { figure, type BenchGroup } from "../figures";

const VARIABLES = Number(process.env.BENCH_OPCUA_VARIABLES ?? 2_500);
const PERIOD_MS = Number(process.env.BENCH_OPCUA_PERIOD_MS ?? 50);
const ROUNDS = Number(process.env.BENCH_OPCUA_ROUNDS ?? 3);
const WARMUP_MS = 2_000;
const WINDOW_MS = 5_000;
const WRITES_PER_ROUND = 100;
const CONNECTS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts values over the window after a warm-up: values per second, and this process's CPU µs per value. */
async function measure(count: () => number): Promise<{ rate: number; cpuUsPerValue: number }> {
  await sleep(WARMUP_MS);
  const c0 = count();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(WINDOW_MS);
  const cpu = process.cpuUsage(cpu0);
  const values = count() - c0;
  return { rate: (values * 1000) / (performance.now() - t0), cpuUsPerValue: values > 0 ? (cpu.user + cpu.system) / values : NaN };
}

async function bareClientRate(servers: TestServerChild[], pki: string): Promise<{ rate: number; cpuUsPerValue: number }> {
  let changes = 0;
  const opened: { client: OPCUAClient; session: ClientSession }[] = [];
  try {
    for (const [k, server] of servers.entries()) {
      const client = OPCUAClient.create({
        endpointMustExist: false,
        connectionStrategy: { maxRetry: 0 },
        clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(pki, `bare-${k}`), disableFileWatchers: true }),
      });
      await client.connect(server.endpoint);
      const session = await client.createSession();
      opened.push({ client, session });
      const subscription = await session.createSubscription2({ requestedPublishingInterval: 100, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 600, maxNotificationsPerPublish: 10_000, publishingEnabled: true, priority: 10 });
      const items = Array.from({ length: VARIABLES }, (_, i) => ({ nodeId: NODES.load(i), attributeId: AttributeIds.Value }));
      const group = ClientMonitoredItemGroup.create(subscription, items, { samplingInterval: 0, queueSize: 10, discardOldest: true }, TimestampsToReturn.Both);
      group.on("changed", () => changes++);
      await new Promise((resolve) => group.once("initialized", resolve));
    }
    return await measure(() => changes);
  } finally {
    for (const { client, session } of opened) {
      await session.close().catch(() => {});
      await client.disconnect().catch(() => {});
    }
  }
}

async function linkRound(servers: TestServerChild[], plc: TestServerChild, pki: string): Promise<{ rate: number; cpuUsPerValue: number; writesMs: number[]; loopDelayP99Ms: number }> {
  let carried = 0;
  const tags: TagBinding[] = servers.flatMap((_, s) => Array.from({ length: VARIABLES }, (_, i) => ({ index: s * VARIABLES + i, connection: `plc${s}`, nodeId: NODES.load(i), samplingMs: 0 })));
  const link = new PlantLink({
    pkiFolder: pki,
    connections: [
      ...servers.map((server, s) => ({ id: `plc${s}`, endpoint: server.endpoint, securityMode: "None" as const, securityPolicy: "None" })),
      { id: "written", endpoint: plc.endpoint, securityMode: "None", securityPolicy: "None" },
    ],
    tags,
    // What the runtime does with a batch: the contract's TagSample, quality mapped on the way.
    onSamples: (samples) => (carried += samples.map(toTagSample).length),
  });
  try {
    await link.open();
    const measured = await measure(() => carried);
    const writer = link.takeWriter();
    const writesMs: number[] = [];
    // How long this process's event loop was held up meanwhile: tells the client's share of a slow write
    // from the server's and the operating system's (a shared 2-core machine).
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    for (let k = 0; k < WRITES_PER_ROUND; k++) {
      const t0 = performance.now();
      const outcome = await writer.writeTyped("written", NODES.double, 20 + (k % 50) / 10);
      if (!outcome.ok) throw new Error(`write failed: ${outcome.reason}`);
      writesMs.push(performance.now() - t0);
    }
    loop.disable();
    const stats = link.statuses().map((s) => s.statistics);
    if (stats.some((s) => s.droppedDuplicates + s.droppedOutOfOrder + s.lostMessages > 0)) throw new Error(`values dropped in a steady stream: ${JSON.stringify(stats)}`);
    return { ...measured, writesMs, loopDelayP99Ms: loop.percentile(99) / 1e6 };
  } finally {
    await link.close();
  }
}

async function connectMs(server: TestServerChild, pki: string): Promise<number> {
  const link = new PlantLink({
    pkiFolder: pki,
    connections: [{ id: "plc", endpoint: server.endpoint, securityMode: "None", securityPolicy: "None" }],
    tags: [{ index: 0, connection: "plc", nodeId: NODES.double, samplingMs: 100 }],
    onSamples: () => {},
  });
  const t0 = performance.now();
  try {
    await link.open();
    return performance.now() - t0;
  } finally {
    await link.close();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export const group: BenchGroup = {
  name: "opcua",
  description: `plant link vs bare node-opcua client: 2 server processes × ${VARIABLES} variables every ${PERIOD_MS} ms (${(2 * VARIABLES * 1000) / PERIOD_MS} changes/s offered), typed writes, connection time`,
  async run(log) {
    const temp = tempFolder("bench-opcua");
    const servers: TestServerChild[] = [];
    let plc: TestServerChild | undefined;
    try {
      for (let s = 0; s < 2; s++) servers.push(await startTestServerChild({ port: 0, pkiFolder: join(temp.path, `server-${s}`), counterPeriodMs: 0, load: { variables: VARIABLES, periodMs: PERIOD_MS } }));
      plc = await startTestServerChild({ port: 0, pkiFolder: join(temp.path, "server-written"), counterPeriodMs: 0 });
      const pki = join(temp.path, "client");
      await connectMs(servers[0]!, pki); // first run makes the application certificate: not a connection time
      const connects: number[] = [];
      for (let k = 0; k < CONNECTS; k++) connects.push(await connectMs(servers[0]!, pki));
      log(`  connect: ${connects.map((c) => c.toFixed(0)).join(", ")} ms`);

      const rates: number[] = [];
      const ratios: number[] = [];
      const p50: number[] = [];
      const p99: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const bare = await bareClientRate(servers, temp.path);
        const ours = await linkRound(servers, plc, pki);
        rates.push(ours.rate);
        ratios.push(ours.rate / bare.rate);
        p50.push(percentile(ours.writesMs, 0.5));
        p99.push(percentile(ours.writesMs, 0.99));
        log(
          `  round ${round}/${ROUNDS}: bare ${bare.rate.toFixed(0)}/s (${bare.cpuUsPerValue.toFixed(1)} µs CPU/value), link ${ours.rate.toFixed(0)}/s (${ours.cpuUsPerValue.toFixed(1)} µs CPU/value), ` +
            `ratio ${(ours.rate / bare.rate).toFixed(3)}, write p50 ${p50.at(-1)!.toFixed(1)} ms p99 ${p99.at(-1)!.toFixed(1)} ms (client event-loop delay p99 ${ours.loopDelayP99Ms.toFixed(1)} ms), load average ${loadavg()[0]!.toFixed(1)}`,
        );
      }
      return [
        figure("opcua.values_per_s", "values/s", rates),
        figure("opcua.ratio_to_bare_client", "", ratios),
        figure("opcua.write_p50_ms", "ms", p50),
        figure("opcua.write_p99_ms", "ms", p99),
        figure("opcua.connect_ms", "ms", connects),
      ];
    } finally {
      await Promise.all([...servers, ...(plc ? [plc] : [])].map((s) => s.stop()));
      temp.remove();
    }
  },
};
