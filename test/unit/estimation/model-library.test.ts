import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compose, CompositionError, type CompositionSpec } from "../../../src-workers/models/compose";
import { evaluateHeatExchanger, foulingRate, newHeatExchangerState, PRODUCT_COOLER } from "../../../src-workers/models/demo-cell/heat-exchanger";
import { evaluatePump, FEED_PUMP, newPumpState, wearRate } from "../../../src-workers/models/demo-cell/pump";
import { BUFFER_TANK, levelRate, temperatureRate } from "../../../src-workers/models/demo-cell/tank";
import { MODEL_LIBRARY } from "../../../src-workers/models/library/index";
import { HybridIntegrator } from "../../../src-workers/solvers/discrete-events";

function component(type: string, params: Record<string, number> = {}) {
  return MODEL_LIBRARY[type]!.create({ ...Object.fromEntries(Object.entries(MODEL_LIBRARY[type]!.knownParams).map(([k, s]) => [k, s.default])), ...params });
}

describe("model library", () => {
  it("the pump is the demo plant's pump: outputs and wear rate equal evaluatePump and wearRate (property)", () => {
    const pump = component("centrifugalPump", { degradationSpeedup: 600 });
    const y = new Float64Array(pump.outputs.length);
    const dx = new Float64Array(1);
    const ref = newPumpState();
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2900, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (speed, wear, factor) => {
        const u = Float64Array.from([speed, 1]);
        pump.output(0, Float64Array.from([wear]), u, Float64Array.from([factor]), y);
        pump.derivative(0, Float64Array.from([wear]), u, Float64Array.from([factor]), dx);
        evaluatePump(FEED_PUMP, speed, wear, true, ref);
        assert.deepEqual(Array.from(y), [ref.flowM3h, ref.headM, ref.dischargePressureBar, ref.motorCurrentA, ref.vibrationMmS, ref.shaftPowerKw, ref.loadRatio]);
        assert.equal(dx[0], wearRate(FEED_PUMP, speed, ref.loadRatio, wear, 600 * factor));
      }),
      { numRuns: 200 },
    );
  });

  it("the tank and the cooler are the demo plant's balances and ε-NTU rating", () => {
    const tank = component("heatedTank");
    const dx = new Float64Array(2);
    tank.derivative(0, Float64Array.from([1.2, 54]), Float64Array.from([0.9, 1.5, 12, 40, 20]), new Float64Array(0), dx);
    assert.equal(dx[0], levelRate(BUFFER_TANK, 1.2, 0.9 / 3600, 1.5 / 3600));
    assert.equal(dx[1], temperatureRate(BUFFER_TANK, 1.2, 54, 0.9 / 3600, 12, 40, 20));

    const hx = component("counterflowHeatExchanger", { degradationSpeedup: 10 });
    const x = Float64Array.from([0.05, 21, 18, 6]);
    const u = Float64Array.from([55, 1.5, 15, 6]);
    const dHx = new Float64Array(4);
    hx.derivative(0, x, u, Float64Array.from([1]), dHx);
    const rating = evaluateHeatExchanger(PRODUCT_COOLER, 0.05, 55, 1.5, 15, 6, newHeatExchangerState());
    assert.equal(dHx[0], foulingRate(PRODUCT_COOLER, 55, 10));
    assert.equal(dHx[1], ((1.5 / 3600) * (rating.productOutC - 21)) / PRODUCT_COOLER.productLineVolumeM3);
    assert.equal(dHx[2], (rating.coolantOutC - 18) / PRODUCT_COOLER.coolantOutLagS);
  });

  it("every library entry declares consistent states, parameters and ports", () => {
    for (const [type, def] of Object.entries(MODEL_LIBRARY)) {
      assert.equal(def.type, type);
      const c = component(type);
      const names = [...c.states.map((s) => s.name), ...c.params.map((p) => p.name)];
      assert.equal(new Set(names).size, names.length, `${type}: unique variable names`);
      const ports = [...c.inputs.map((p) => `in.${p.name}`), ...c.outputs.map((p) => `out.${p.name}`)];
      assert.equal(new Set(ports).size, ports.length, `${type}: unique ports`);
      for (const d of c.degradation ?? []) {
        assert.ok(c.states.some((s) => s.name === d.state) && c.params.some((p) => p.name === d.rateParam), `${type}: degradation ${d.state}`);
      }
    }
  });
});

/** A small valid composition to break in the validation tests. */
function pumpAndTank(): CompositionSpec {
  return {
    components: [
      { id: "drive", type: "variableSpeedDrive" },
      { id: "pump", type: "centrifugalPump" },
      { id: "tank", type: "heatedTank" },
    ],
    connections: [
      { from: "drive.speedRpm", to: "pump.speedRpm" },
      { from: "pump.flowM3h", to: "tank.inflowM3h" },
    ],
    inputs: [
      { tag: "pump.running", to: ["pump.energized", "drive.running"], type: "boolean" },
      { tag: "tank.outletFlow", to: ["tank.outflowM3h"], unit: "m³/h" },
    ],
    constants: [
      { to: "tank.feedTemperatureC", value: 12 },
      { to: "tank.heaterKw", value: 40 },
      { to: "tank.ambientC", value: 20 },
    ],
    measurements: [{ tag: "pump.flow", from: "pump.flowM3h", unit: "m³/h" }],
  };
}

function problemsOf(spec: CompositionSpec): string[] {
  try {
    compose(spec);
  } catch (err) {
    assert.ok(err instanceof CompositionError, String(err));
    return [...err.problems];
  }
  assert.fail("expected a CompositionError");
}

describe("compose", () => {
  it("stacks states and parameters and evaluates f and h on Float64Arrays", () => {
    const model = compose(pumpAndTank());
    assert.deepEqual(model.states.map((s) => s.name), ["drive.speedRpm", "pump.bearingWear", "tank.levelM", "tank.temperatureC"]);
    assert.deepEqual(model.params.map((p) => p.name), ["pump.wearRateFactor"]);
    assert.deepEqual(model.inputTags, ["pump.running", "tank.outletFlow"]);
    const x = Float64Array.from([1300, 0.1, 1.2, 55]);
    const u = Float64Array.from([1, 0.5]);
    const theta = model.initialParams();
    const dx = new Float64Array(4);
    model.derivative(0, x, u, theta, dx);
    const ref = evaluatePump(FEED_PUMP, 1300, 0.1, true, newPumpState());
    assert.equal(dx[2], levelRate(BUFFER_TANK, 1.2, ref.flowM3h / 3600, 0.5 / 3600));
    const y = new Float64Array(1);
    model.measure(0, x, u, theta, y);
    assert.equal(y[0], ref.flowM3h);
  });

  it("names the connection at fault: unknown component, unknown port, unit and type mismatch", () => {
    const spec = pumpAndTank();
    const problems = problemsOf({
      ...spec,
      connections: [
        { from: "drive.speedRpm", to: "pump.speedRpm" },
        { from: "pump.flowM3h", to: "tank.inflowM3h" },
        { from: "pump.flowM3h", to: "tank.inflowM3h" },
        { from: "pmp.flowM3h", to: "tank.inflowM3h" },
        { from: "pump.flow", to: "tank.inflowM3h" },
        { from: "pump.headM", to: "tank.outflowM3h" },
        { from: "pump.flowM3h", to: "pump.energized" },
      ],
      inputs: [],
    });
    const has = (re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `no problem matching ${re} in:\n${problems.join("\n")}`);
    has(/connection pmp\.flowM3h → tank\.inflowM3h: unknown component .*pmp.*components are: drive, pump, tank/);
    has(/connection pump\.flow → tank\.inflowM3h: unknown output "flow" of pump \(centrifugalPump\); its outputs are: flowM3h/);
    has(/connection pump\.headM → tank\.outflowM3h: unit mismatch, "m" → tank\.outflowM3h \(real, m³\/h\)/);
    has(/connection pump\.flowM3h → pump\.energized: type mismatch, real → pump\.energized \(boolean\)/);
    has(/connection pump\.flowM3h → tank\.inflowM3h: input tank\.inflowM3h is already fed by another source/);
  });

  it("names unconnected inputs, a mismatched tag unit, unknown parameters and latents, and algebraic loops", () => {
    const spec = pumpAndTank();
    const unconnected = problemsOf({ ...spec, constants: spec.constants!.slice(1) });
    assert.deepEqual(unconnected, ["input tank.feedTemperatureC (real, °C) is not connected: connect it to a component output, an input tag or a constant"]);

    const badTag = problemsOf({ ...spec, inputs: [{ tag: "pump.running", to: ["pump.energized", "drive.running"], type: "boolean" }, { tag: "tank.outletFlow", to: ["tank.outflowM3h"], unit: "L/s" }] });
    assert.match(badTag.join("\n"), /input tag tank\.outletFlow → tank\.outflowM3h: unit mismatch, "L\/s" → tank\.outflowM3h/);

    const badParams = problemsOf({
      ...spec,
      components: [
        { id: "drive", type: "variableSpeedDrive" },
        { id: "pump", type: "centrifugalPump", params: { ratedSpeed: 3000 }, latent: { wear: { initial: 0.1 } } },
        { id: "tank", type: "heatedTank" },
        { id: "x", type: "warpDrive" },
      ],
    });
    assert.match(badParams.join("\n"), /component pump: unknown parameter "ratedSpeed" of centrifugalPump; parameters are: ratedSpeedRpm/);
    assert.match(badParams.join("\n"), /component pump: latent "wear" is neither a state nor a parameter of centrifugalPump; states: bearingWear/);
    assert.match(badParams.join("\n"), /component x: unknown model type "warpDrive"; the library has: centrifugalPump/);

    const loop = problemsOf({
      components: [
        { id: "a", type: "heater" },
        { id: "b", type: "heater" },
      ],
      connections: [
        { from: "a.powerKw", to: "b.demandKw" },
        { from: "b.powerKw", to: "a.demandKw" },
      ],
      constants: [
        { to: "a.enabled", value: 1 },
        { to: "b.enabled", value: 1 },
      ],
    });
    assert.match(loop.join("\n"), /algebraic loop .*a\.powerKw → b\.demandKw.*b\.powerKw → a\.demandKw/);
  });

  it("a closed-loop plant of library components runs with the event scheduler: level and temperature held, every bottle filled exactly", () => {
    const model = compose({
      components: [
        { id: "levelLoop", type: "pidController", params: { kp: 6000, tiS: 120, outMin: 600, outMax: 2900, initialOutput: 1275 } },
        { id: "pump", type: "centrifugalPump" },
        { id: "tank", type: "heatedTank" },
        { id: "temperatureLoop", type: "pidController", params: { kp: 40, tiS: 600, outMin: 0, outMax: 60, initialOutput: 42 } },
        { id: "heater", type: "heater" },
        { id: "filler", type: "valve" },
        { id: "line", type: "fillingConveyor" },
        { id: "cooler", type: "counterflowHeatExchanger" },
      ],
      connections: [
        { from: "tank.levelM", to: "levelLoop.measurement" },
        { from: "levelLoop.output", to: "pump.speedRpm" },
        { from: "pump.flowM3h", to: "tank.inflowM3h" },
        { from: "tank.temperatureC", to: "temperatureLoop.measurement" },
        { from: "temperatureLoop.output", to: "heater.demandKw" },
        { from: "heater.powerKw", to: "tank.heaterKw" },
        { from: "line.inPosition", to: "filler.opening" },
        { from: "tank.levelM", to: "filler.upstreamLevelM" },
        { from: "filler.flowM3h", to: "tank.outflowM3h" },
        { from: "filler.flowM3h", to: "line.fillFlowM3h" },
        { from: "filler.flowM3h", to: "cooler.productFlowM3h" },
        { from: "tank.temperatureC", to: "cooler.productInC" },
      ],
      constants: [
        { to: "levelLoop.setpoint", value: 1.2 },
        { to: "temperatureLoop.setpoint", value: 55 },
        { to: "pump.energized", value: 1 },
        { to: "heater.enabled", value: 1 },
        { to: "tank.feedTemperatureC", value: 12 },
        { to: "tank.ambientC", value: 20 },
        { to: "line.fillVolumeSetpointL", value: 1 },
        { to: "cooler.coolantInC", value: 15 },
        { to: "cooler.coolantFlowSetpointM3h", value: 6 },
      ],
    });
    const x = model.initialState();
    const theta = model.initialParams();
    const sim = new HybridIntegrator(model.hybridSystem(new Float64Array(0), theta), { step: 0.01 });
    const at = (name: string) => model.states.findIndex((s) => s.name === name);
    const fills: number[] = [];
    let lowest = Infinity;
    let highest = -Infinity;
    for (let t = 0; t < 600; t += 1) {
      sim.advance(t, x, t + 1);
      for (const e of sim.takeFired()) if (e.label === "1") fills.push(e.time);
      if (t > 100) {
        lowest = Math.min(lowest, x[at("tank.levelM")]!);
        highest = Math.max(highest, x[at("tank.levelM")]!);
      }
    }
    // A cycle is 2.4 s of filling (1 L at 1.5 m³/h) and 2 s of indexing (0.5 m at 0.25 m/s).
    assert.equal(fills.length, Math.floor((600 - 2.4) / 4.4) + 1);
    fills.forEach((t, k) => assert.ok(Math.abs(t - (2.4 + 4.4 * k)) < 1e-6, `bottle ${k} full at ${t}`));
    assert.ok(lowest > 1.15 && highest < 1.25, `level between ${lowest} and ${highest}`);
    assert.ok(Math.abs(x[at("tank.temperatureC")]! - 55) < 1, `temperature ${x[at("tank.temperatureC")]}`);
  });
});
