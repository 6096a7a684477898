// The embedded demo as `twinbench start` runs it (plant server and soft PLC `--start-cell` as child processes,
// real OPC UA on 127.0.0.1) must run at the operating point of the simulated PLC it replaced: feed flowing and
// the heater covering the cold feed from the start, not a level loop crawling up from its minimum speed.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startPlcChild, type PlcChild } from "../../../src-main/cli/plc-child";
import { connectClient, plainValue, readValues, type ClientLink } from "../../../src-main/commissioning/opcua/client";
import { findFreePort } from "../../../src-main/plc/loopback-server";
import { DemoCellSimulation } from "../../../src-workers/models/demo-cell/demo-cell-simulation";
import { demoScene, DEMO_SCENE_PATH } from "../../support/demo-stack";
import { tempFolder } from "../../support/temp";

const N = (name: string) => `ns=1;s=DemoCell.${name}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const RUNNING = 2;
/** Plant seconds after Running: the loops trim the design point first, then the window is averaged (the demo's plant server runs at ×1). */
const SETTLE_S = 20;
const WINDOW_S = 40;

/** The simulated PLC's operating point: the combined simulation (plant + the same program), same seed, same window. */
function simulatedOperatingPoint(seed: number): { flowM3h: number; heaterKw: number; speedRpm: number } {
  const sim = new DemoCellSimulation({ model: "demo-cell", seed });
  sim.step(SETTLE_S);
  const flow: number[] = [];
  const heater: number[] = [];
  const speed: number[] = [];
  for (let k = 0; k < WINDOW_S * 2; k++) {
    sim.step(0.5);
    flow.push(sim.read("feedPump.flow") as number);
    heater.push(sim.read("bufferTank.heaterPower") as number);
    speed.push(sim.read("feedPump.speed") as number);
  }
  return { flowM3h: mean(flow), heaterKw: mean(heater), speedRpm: mean(speed) };
}

describe("embedded demo: plant server + soft PLC --start-cell", () => {
  const temp = tempFolder("demo-operating-point");
  let plc: PlcChild | undefined;
  let client: ClientLink | undefined;

  before(async () => {
    plc = await startPlcChild({ scene: DEMO_SCENE_PATH, port: await findFreePort("127.0.0.1"), speedup: 1, data: temp.path });
    client = await connectClient(plc.endpoint, { name: "demo-operating-point-test", pkiFolder: join(temp.path, "test-client") });
  });
  after(async () => {
    await client?.close();
    await plc?.stop();
    temp.remove();
  });

  it("runs at the simulated PLC's operating point: speed within 5 %, feed flow and heater power within 30 %", { timeout: 240_000 }, async () => {
    const reference = simulatedOperatingPoint(demoScene().simulation?.seed ?? 1);
    assert.ok(reference.flowM3h > 0.5 && reference.heaterKw > 30, `the reference itself runs: ${JSON.stringify(reference)}`);
    const session = client!.session;
    const read = async () => (await readValues(session, [N("Cell.State"), N("FeedPump.Flow"), N("BufferTank.HeaterPower"), N("FeedPump.Speed")])).map(plainValue);

    let state: unknown;
    for (let k = 0; k < 240 && state !== RUNNING; k++) {
      state = (await read())[0]!.value;
      if (state !== RUNNING) await sleep(250);
    }
    assert.equal(state, RUNNING, "the soft PLC started the cell");
    await sleep(SETTLE_S * 1000);

    const flow: number[] = [];
    const heater: number[] = [];
    const speed: number[] = [];
    const end = performance.now() + WINDOW_S * 1000;
    while (performance.now() < end) {
      const [, f, h, s] = await read();
      assert.ok(f!.good && h!.good && s!.good, `readings Good: ${JSON.stringify([f, h, s])}`);
      flow.push(f!.value as number);
      heater.push(h!.value as number);
      speed.push(s!.value as number);
      await sleep(500);
    }
    const figures = `flow ${mean(flow).toFixed(2)} m³/h, heater ${mean(heater).toFixed(1)} kW, speed ${mean(speed).toFixed(0)} rpm over ${flow.length} samples; simulated PLC flow ${reference.flowM3h.toFixed(2)} m³/h, heater ${reference.heaterKw.toFixed(1)} kW, speed ${reference.speedRpm.toFixed(0)} rpm`;
    console.log(`# ${figures}`);
    // Feed flows all along (the pump lifts against the static head), not only once a loop has wound up.
    assert.ok(flow.filter((f) => f > 0.1).length >= 0.9 * flow.length, `feed flow missing in samples: ${figures}`);
    // The feed flow is steep in the speed near the static head (≈ 20 rpm doubles it), so the speed is held closer.
    assert.ok(Math.abs(mean(speed) - reference.speedRpm) <= 0.05 * reference.speedRpm, figures);
    assert.ok(Math.abs(mean(flow) - reference.flowM3h) <= 0.3 * reference.flowM3h, figures);
    assert.ok(Math.abs(mean(heater) - reference.heaterKw) <= 0.3 * reference.heaterKw, figures);
  });
});
