// Surviving disconnects against real node-opcua servers: a crashed and restarted server (SIGKILL, same port:
// the session and subscriptions are recreated), a dropped network with the server alive (the session is
// reactivated and the values it queued are delivered), and a frozen server (SIGSTOP: the publish watchdog).
// Assertions are on states, freshness changes and samples, in the order they happened; never on speed.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempFolder } from "../../support/temp";
import { recordLink, sleep, waitFor, type Recorded } from "./fixtures/link-harness";
import { startTcpProxy } from "./fixtures/tcp-proxy";
import { RESOURCE_PATH, NODES, startTestServer } from "./fixtures/test-server";
import { startTestServerChild, type TestServerChild } from "./fixtures/test-server-child";
import type { PlantSample, TagBinding } from "../../../src-main/plant/types";

/** Per tag: strictly increasing source timestamps, hence no value twice and none out of order. */
function assertForwardInTime(samples: PlantSample[]): void {
  const last = new Map<number, number>();
  for (const s of samples) {
    if (s.sourceTs === null) continue;
    const before = last.get(s.tag) ?? -Infinity;
    assert.ok(s.sourceTs > before, `tag ${s.tag}: ${s.sourceTs} (${JSON.stringify(s.value)}) after ${before}`);
    last.set(s.tag, s.sourceTs);
  }
}

/** Index in the timeline of the first entry matching, after `from`. */
function indexAfter(r: Recorded, from: number, match: (e: Recorded["timeline"][number]) => boolean): number {
  const k = r.timeline.slice(from + 1).findIndex(match);
  return k < 0 ? -1 : from + 1 + k;
}

describe("plant disconnects", () => {
  const temp = tempFolder("plant-disconnects");
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    temp.remove();
  });

  it("a server killed mid-stream and restarted: stale at once, reconnected, then forward in time only", async () => {
    const pki = join(temp.path, "pki-killed");
    let server: TestServerChild = await startTestServerChild({ port: 0, pkiFolder: pki, counterPeriodMs: 20 });
    cleanups.push(() => server.stop());
    const tags: TagBinding[] = [
      { index: 0, connection: "plc", nodeId: NODES.counter, samplingMs: 20, publishingMs: 50 },
      { index: 1, connection: "plc", nodeId: NODES.double, samplingMs: 100 },
    ];
    const r = recordLink({ pkiFolder: join(temp.path, "pki-client-killed"), connections: [{ id: "plc", endpoint: server.endpoint, securityMode: "None", securityPolicy: "None" }], tags });
    cleanups.push(() => r.close());
    await r.link.open();
    await waitFor(() => r.samples.filter((s) => s.tag === 0).length >= 10);

    const beforeKill = r.timeline.length;
    await server.kill();
    await r.waitForState("plc", "reconnecting");
    await waitFor(() => r.freshness.some((f) => f.stale));
    // The loss shows as a state and, in the same step, both tags marked stale: no value slips in between.
    const lost = indexAfter(r, beforeKill - 1, (e) => e.kind === "state" && e.state === "reconnecting");
    const staleAt = indexAfter(r, lost, (e) => e.kind === "freshness");
    assert.ok(lost >= 0 && staleAt === lost + 1, JSON.stringify(r.timeline.slice(beforeKill)));
    const stale = r.timeline[staleAt] as { kind: "freshness"; change: { tags: number[]; stale: boolean; status: string; reason: string } };
    assert.deepEqual([stale.change.tags, stale.change.stale, stale.change.status, stale.change.reason], [[0, 1], true, "BadCommunicationError", "connection lost"]);
    assert.equal(r.link.connection("plc")!.status.staleTags, 2);
    const samplesDuringOutage = r.samples.length;
    await sleep(1_500); // the server stays down a while; the client keeps trying
    assert.equal(r.samples.length, samplesDuringOutage, "nothing is delivered while the server is down");

    server = await startTestServerChild({ port: Number(new URL(server.endpoint.replace("opc.tcp", "http")).port), pkiFolder: pki, counterPeriodMs: 20 });
    const restartedAt = r.samples.length;
    await r.waitForState("plc", "connected", 60_000);
    await waitFor(() => r.freshness.some((f) => !f.stale) && r.samples.length > restartedAt + 10, 30_000, () => JSON.stringify(r.freshness));
    await waitFor(() => r.freshness.filter((f) => !f.stale).flatMap((f) => f.tags).length === 2);
    assert.deepEqual(r.freshness.filter((f) => !f.stale).flatMap((f) => f.tags).sort(), [0, 1], "each subscription's tags are fresh once it publishes");
    assert.equal(r.link.connection("plc")!.status.staleTags, 0);
    assert.equal(r.link.connection("plc")!.status.statistics.reconnects, 1);
    // The restarted server counts from 1 again, later in time: per tag, still strictly forward.
    assertForwardInTime(r.samples);
    assert.ok(r.samples.slice(restartedAt).some((s) => s.tag === 0 && (s.value as number) < 50), "values of the restarted server arrive");
  });

  it("a dropped network with the server alive: the session comes back and the queued values arrive, in order, none twice", async () => {
    const server = await startTestServer({ port: 0, pkiFolder: join(temp.path, "pki-net"), counterPeriodMs: 20 });
    cleanups.push(() => server.stop());
    const proxy = await startTcpProxy(server.port);
    cleanups.push(() => proxy.close());
    const tags: TagBinding[] = [
      // Exception-based (sampling 0): every tick of the counter is a notification; the queue holds 10 s of them.
      { index: 0, connection: "plc", nodeId: NODES.counter, samplingMs: 0, publishingMs: 50, queueSize: 500 },
      { index: 1, connection: "plc", nodeId: NODES.double, samplingMs: 100 },
    ];
    const r = recordLink({ pkiFolder: join(temp.path, "pki-client-net"), connections: [{ id: "plc", endpoint: proxy.endpoint(RESOURCE_PATH), securityMode: "None", securityPolicy: "None" }], tags });
    cleanups.push(() => r.close());
    await r.link.open();
    await waitFor(() => r.samples.filter((s) => s.tag === 0).length >= 10);

    proxy.cut();
    const cutAt = server.counter();
    await r.waitForState("plc", "reconnecting");
    await sleep(1_500);
    const restoredAt = server.counter();
    proxy.restore();
    await r.waitForState("plc", "connected", 60_000);
    await waitFor(() => r.freshness.some((f) => !f.stale));
    const target = server.counter();
    await waitFor(() => r.samples.some((s) => s.tag === 0 && (s.value as number) >= target), 30_000);

    assertForwardInTime(r.samples);
    const counter = r.samples.filter((s) => s.tag === 0).map((s) => s.value as number);
    // Every tick from before the cut to after the restore, each once, in order: the outage lost nothing.
    const from = counter.indexOf(counter.find((v) => v >= cutAt - 5)!);
    const span = counter.slice(from);
    const stats = JSON.stringify(r.link.connection("plc")!.status.statistics);
    for (let k = 1; k < span.length; k++) assert.equal(span[k], span[k - 1]! + 1, `gap or repeat at ${span[k - 1]} → ${span[k]} (cut at ${cutAt}, restored at ${restoredAt}); ${stats}`);
    assert.ok(span.some((v) => v > cutAt && v < restoredAt), "values queued during the outage were delivered");
    // The quiet tag's subscription is fresh again at its next keep-alive.
    await waitFor(() => r.link.connection("plc")!.status.staleTags === 0);
    const status = r.link.connection("plc")!.status;
    assert.equal(status.statistics.reconnects, 1);
    assert.equal(status.statistics.lostMessages, 0);
  });

  it("a frozen server (SIGSTOP, socket open): the publish watchdog marks the tags stale, SIGCONT makes them fresh", async () => {
    const server = await startTestServerChild({ port: 0, pkiFolder: join(temp.path, "pki-frozen"), counterPeriodMs: 20 });
    cleanups.push(async () => {
      server.process.kill("SIGCONT");
      await server.stop();
    });
    const tags: TagBinding[] = [{ index: 0, connection: "plc", nodeId: NODES.counter, samplingMs: 20, publishingMs: 50 }];
    const r = recordLink({ pkiFolder: join(temp.path, "pki-client-frozen"), connections: [{ id: "plc", endpoint: server.endpoint, securityMode: "None", securityPolicy: "None" }], tags });
    cleanups.push(() => r.close());
    await r.link.open();
    await waitFor(() => r.samples.length >= 10);

    const beforeStop = r.timeline.length;
    server.process.kill("SIGSTOP");
    const stalled = await r.waitForState("plc", "stalled");
    assert.match(stalled.message ?? "", /no publish response within \d+ publishing intervals \(\d+ ms\)/);
    const stalledAt = indexAfter(r, beforeStop - 1, (e) => e.kind === "state" && e.state === "stalled");
    const staleAt = indexAfter(r, stalledAt, (e) => e.kind === "freshness");
    assert.equal(staleAt, stalledAt + 1, "stale in the same step as the stall is noticed");
    assert.equal((r.timeline[staleAt] as { kind: "freshness"; change: { stale: boolean } }).change.stale, true);
    // Nothing between the last value and the stall but silence: no reconnection was needed to notice it.
    assert.ok(!r.timeline.slice(beforeStop, stalledAt).some((e) => e.kind === "state"), JSON.stringify(r.timeline.slice(beforeStop)));

    server.process.kill("SIGCONT");
    await r.waitForState("plc", "connected", 60_000);
    await waitFor(() => r.freshness.some((f) => !f.stale));
    const count = r.samples.length;
    await waitFor(() => r.samples.length > count + 5);
    assertForwardInTime(r.samples);
  });
});
