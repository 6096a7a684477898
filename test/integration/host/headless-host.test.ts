// The headless host over real sockets, with the runtime connected to the simulated PLC over real OPC UA.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import type { ApiError, TagSample } from "../../../src-main/common/api/contract";
import { startDemoStack, type DemoStack } from "../../support/demo-stack";
import { connectWsApi, tryUpgrade } from "../../support/ws-client";

let stack: DemoStack;

before(async () => {
  stack = await startDemoStack();
  await stack.runtime.whenFirstValue();
});
after(async () => {
  await stack?.close();
});

function rawSocket(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${stack.host.port}/api?token=${stack.host.token}`);
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function nextReply(ws: WebSocket): Promise<{ type: string; ok?: boolean; id?: number | null; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const h = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString());
      if (m.type === "response") {
        ws.off("message", h);
        resolve(m);
      }
    };
    ws.on("message", h);
  });
}

describe("headless host: who may connect", () => {
  it("refuses a WebSocket without the token, or with a wrong one", async () => {
    assert.equal(await tryUpgrade(`ws://127.0.0.1:${stack.host.port}/api`), 401);
    assert.equal(await tryUpgrade(`ws://127.0.0.1:${stack.host.port}/api?token=guess`), 401);
    const wrongSameLength = stack.host.token.replace(/./, (c) => (c === "A" ? "B" : "A"));
    assert.equal(await tryUpgrade(`ws://127.0.0.1:${stack.host.port}/api?token=${wrongSameLength}`), 401);
  });

  it("refuses a page of another origin even with the token, and a foreign Host header", async () => {
    const url = `ws://127.0.0.1:${stack.host.port}/api?token=${stack.host.token}`;
    assert.equal(await tryUpgrade(url, { Origin: "http://evil.example" }), 403);
    assert.equal(await tryUpgrade(url, { Host: `rebound.example:${stack.host.port}` }), 421);
    assert.equal(await tryUpgrade(url, { Origin: `http://127.0.0.1:${stack.host.port}` }), "open");
  });

  it("listens on loopback only and serves pages with a strict CSP", async () => {
    const res = await fetch(`http://127.0.0.1:${stack.host.port}/`);
    assert.equal(res.status, 200);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    const traversal = await fetch(`http://127.0.0.1:${stack.host.port}/..%2f..%2fpackage.json`);
    assert.ok([403, 404].includes(traversal.status), `traversal answered ${traversal.status}`);
  });
});

describe("headless host: bad messages get error replies and the host keeps serving", () => {
  it("answers garbage, binary frames, unknown methods and bad params with errors", async () => {
    const ws = await rawSocket();
    try {
      let reply = nextReply(ws);
      ws.send("this is not json");
      assert.deepEqual(
        { ok: (await reply).ok, code: (await reply).error?.code },
        { ok: false, code: "bad_message" },
      );
      reply = nextReply(ws);
      ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
      assert.equal((await reply).error?.code, "bad_message");
      reply = nextReply(ws);
      ws.send(JSON.stringify({ type: "request", id: 1, method: "plant.format", params: {} }));
      assert.equal((await reply).error?.code, "unknown_method");
      reply = nextReply(ws);
      ws.send(JSON.stringify({ type: "request", id: 2, method: "trend.history", params: { tagIds: [], maxPoints: -1 } }));
      const bad = await reply;
      assert.equal(bad.error?.code, "invalid_params");
      assert.equal(bad.id, 2);
      reply = nextReply(ws);
      ws.send(JSON.stringify({ type: "request", id: 3, method: "app.info", params: {} }));
      assert.equal((await reply).ok, true);
    } finally {
      ws.close();
    }
    // a new client still gets served
    const api = await connectWsApi(stack.host.port, stack.host.token);
    try {
      const info = await api.client.request("app.info", {});
      assert.equal(info.name, "twinbench");
    } finally {
      await api.close();
    }
  });
});

describe("headless host: a login is required", () => {
  it("refuses plant data and pushes no events to a connection that has not logged in", async () => {
    const api = await connectWsApi(stack.host.port, stack.host.token);
    try {
      const events: string[] = [];
      api.socket.on("message", (data) => {
        const m = JSON.parse(data.toString()) as { type: string; name?: string };
        if (m.type === "event") events.push(m.name!);
      });
      // What the login page needs is public …
      assert.equal((await api.client.request("auth.whoami", {})).user, null);
      assert.equal((await api.client.request("app.info", {})).name, "twinbench");
      // … the plant is not.
      for (const method of ["scene.get", "tags.list", "tags.snapshot", "plant.status"] as const) {
        await assert.rejects(api.client.request(method, {}), (err: ApiError) => err.code === "unauthorised" && /needs a login/.test(err.message), method);
      }
      api.client.setSession("forged-token");
      await assert.rejects(api.client.request("tags.snapshot", {}), (err: ApiError) => err.code === "unauthorised");
      // Values flow to logged-in clients many times a second; this one hears none of them.
      await new Promise((r) => setTimeout(r, 1_500));
      assert.deepEqual(events, []);
      // Logging in on the same connection opens the stream.
      api.client.setSession(stack.adminToken);
      await api.client.request("tags.snapshot", {});
      await new Promise<void>((resolve) => {
        const off = api.client.on("tags.values", () => {
          off();
          resolve();
        });
      });
    } finally {
      await api.close();
    }
  });
});

describe("headless host: the live twin over the API", () => {
  it("serves the scene, the tags and live values that change", async () => {
    const api = await connectWsApi(stack.host.port, stack.host.token, stack.adminToken);
    try {
      const scene = await api.client.request("scene.get", {});
      assert.equal(scene.name, "Demo process cell");
      const tags = await api.client.request("tags.list", {});
      const heartbeat = tags.find((t) => t.id === "cell.heartbeat")!;
      const seen: TagSample[] = [];
      // Wait for five distinct heartbeat values (not a count in a fixed window: the machine may be busy).
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`heartbeat changed only ${new Set(seen.map((s) => s.v)).size} times in 20 s`)), 20_000);
        const off = api.client.on("tags.values", ({ samples }) => {
          // Good samples only: on a starved machine the liveness watchdog may briefly mark tags stale (bad).
          seen.push(...samples.filter((s) => s.i === heartbeat.index && s.q === "good"));
          if (new Set(seen.map((s) => s.v)).size >= 5) {
            clearTimeout(timer);
            off();
            resolve();
          }
        });
      });
      const status = await api.client.request("plant.status", {});
      assert.equal(status.connections[0]!.state, "connected");
      assert.ok(status.updateRateHz > 0, `update rate ${status.updateRateHz}/s`);
      let [level] = await api.client.request("trend.history", { tagIds: ["bufferTank.level"] });
      for (let k = 0; k < 100 && level!.t.length <= 5; k++) {
        await new Promise((r) => setTimeout(r, 200));
        [level] = await api.client.request("trend.history", { tagIds: ["bufferTank.level"] });
      }
      assert.ok(level!.t.length > 5, `${level!.t.length} level points kept`);
      assert.ok(level!.v.every((v) => v === null || (v >= 0 && v <= 2.5)));
    } finally {
      await api.close();
    }
  });
});

describe("headless host: the twin's estimates and its historian", () => {
  it("runs the estimator in its worker at the loop rate and serves estimates, bands and remaining life", async () => {
    const api = await connectWsApi(stack.host.port, stack.host.token, stack.adminToken);
    try {
      const info = await api.client.request("estimation.info", {});
      assert.equal(info.running, true, info.error);
      const wear = info.variables.findIndex((v) => v.name === "feedPump.bearingWear");
      assert.ok(wear >= 0, `variables: ${info.variables.map((v) => v.name).join(", ")}`);
      // Estimates keep coming: wait for five pushes, each for a later plant time.
      const estimates: number[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${estimates.length} estimates pushed in 30 s`)), 30_000);
        const off = api.client.on("estimation.estimate", (e) => {
          estimates.push(e.t);
          if (estimates.length >= 5) {
            clearTimeout(timer);
            off();
            resolve();
          }
        });
      });
      assert.ok(estimates.every((t, k) => k === 0 || t > estimates[k - 1]!), "plant time advances");
      const latest = (await api.client.request("estimation.latest", {}))!;
      assert.ok(latest.mean[wear] !== null && latest.sd[wear]! > 0, "wear has a mean and an uncertainty");
      assert.ok(latest.timing.rateHz > 0 && latest.timing.stepUs > 0, "the loop reports its timing");
      assert.equal(latest.health.length, info.health.length);
      const [band] = await api.client.request("estimation.history", { variables: ["feedPump.bearingWear"] });
      assert.ok(band!.t.length >= 20 && band!.t.length === band!.sd.length);
      const rul = await api.client.request("estimation.predict", { horizonS: 3600 });
      assert.ok(rul.predictions.length >= 2, "bearing and heat-exchanger predictions");
      for (const p of rul.predictions) assert.ok(p.failureProbability !== null && p.failureProbability >= 0 && p.failureProbability <= 1);
    } finally {
      await api.close();
    }
  });

  it("keeps every value in the historian with its quality", async () => {
    await stack.runtime.historian.flush();
    const now = Date.now();
    const series = stack.runtime.historian.query("cell.heartbeat", now - 60_000, now, 500);
    assert.ok(series.t.length >= 10, `${series.t.length} heartbeat points stored`);
    assert.ok(series.v.some((v) => v !== null));
  });

  it("keeps every estimate in the historian: mean and sd per variable, and the NIS", async () => {
    await stack.runtime.historian.flush();
    const now = Date.now();
    const mean = stack.runtime.historian.query("est.feedPump.bearingWear", now - 120_000, now, 500);
    const sd = stack.runtime.historian.query("est.feedPump.bearingWear.sd", now - 120_000, now, 500);
    assert.ok(mean.t.length >= 10, `${mean.t.length} wear estimates stored`);
    assert.ok(sd.v.some((v) => v !== null && v > 0));
    assert.ok(stack.runtime.historian.query("est.nis", now - 120_000, now, 500).t.length >= 10);
  });
});
