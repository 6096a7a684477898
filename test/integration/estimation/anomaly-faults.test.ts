import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AnomalyAlarm } from "../../../src-workers/estimation/anomaly";
import type { EstimateFrame, EstimatorInfo } from "../../../src-workers/estimation/api";
import { demoCellEstimatorConfig } from "../../../src-workers/estimation/demo-cell";
import { EstimatorService } from "../../../src-workers/estimation/estimator-service";
import { DemoPlant, demoScene } from "./demo-plant";

// Sensor faults on the simulated plant, run faster than real time. The PCA detector learns normal operation
// from 60 s to 180 s; faults start at 300 s.
const FAULT_AT_S = 300;

interface Raised {
  timeS: number;
  alarm: AnomalyAlarm;
}

/** Runs the plant and the estimator to `untilS`; `corrupt` may change the sampled values (a sensor fault). */
function run(
  untilS: number,
  options: { seed: number; speedup: number; corrupt?: (plant: DemoPlant, tags: readonly string[]) => void; operate?: (plant: DemoPlant, svc: EstimatorService, last: EstimateFrame, info: EstimatorInfo) => void },
): Raised[] {
  const svc = new EstimatorService();
  const info = svc.init(demoCellEstimatorConfig(demoScene(), { degradationSpeedup: options.speedup }));
  const plant = new DemoPlant(info.tags, options.seed, options.speedup);
  const raised: Raised[] = [];
  const active = new Set<string>();
  let frame = svc.step(plant.timeS, plant.values, plant.mask);
  while (plant.timeS < untilS - 1e-9) {
    options.operate?.(plant, svc, frame, info);
    plant.step();
    options.corrupt?.(plant, info.tags);
    frame = svc.step(plant.timeS, plant.values, plant.mask);
    for (const alarm of frame.alarms) {
      if (!active.has(alarm.id)) raised.push({ timeS: plant.timeS, alarm });
    }
    active.clear();
    for (const alarm of frame.alarms) active.add(alarm.id);
  }
  return raised;
}

function describeRaised(raised: Raised[]): string {
  return raised.map((r) => `${r.timeS.toFixed(2)} s ${r.alarm.id} [${r.alarm.tags.map((t) => `${t.tag} ${t.share.toFixed(2)}`).join(", ")}]`).join("\n") || "none";
}

/** The first alarm after the fault comes within `withinS` and names `tag` as the largest contributor. */
function assertNamed(raised: Raised[], tag: string, withinS: number) {
  const before = raised.filter((r) => r.timeS < FAULT_AT_S);
  assert.deepEqual(before, [], `no alarm before the fault:\n${describeRaised(before)}`);
  const first = raised[0];
  assert.ok(first, `an alarm after the fault on ${tag}`);
  assert.ok(first.timeS - FAULT_AT_S <= withinS, `first alarm ${(first.timeS - FAULT_AT_S).toFixed(2)} s after the fault:\n${describeRaised(raised)}`);
  assert.equal(first.alarm.tags[0]?.tag, tag, `first alarm names ${tag}:\n${describeRaised(raised)}`);
}

function holdFrom(tag: string): (plant: DemoPlant, tags: readonly string[]) => void {
  let held = Number.NaN;
  return (plant, tags) => {
    if (plant.timeS < FAULT_AT_S) return;
    const i = tags.indexOf(tag);
    if (Number.isNaN(held)) held = plant.values[i]!;
    plant.values[i] = held;
  };
}

function offset(tag: string, by: number): (plant: DemoPlant, tags: readonly string[]) => void {
  return (plant, tags) => {
    if (plant.timeS >= FAULT_AT_S) plant.values[tags.indexOf(tag)] = plant.values[tags.indexOf(tag)]! + by;
  };
}

describe("anomaly detection on sensor faults (demo plant, faster than real time)", () => {
  it("stuck-at: the pump's flow transmitter freezes; the detector alarms within seconds and names it", { timeout: 120_000 }, () => {
    assertNamed(run(FAULT_AT_S + 30, { seed: 7, speedup: 1, corrupt: holdFrom("feedPump.flow") }), "feedPump.flow", 5);
  });

  it("stuck-at: the level transmitter freezes (the PLC sees the frozen value too) and is named", { timeout: 120_000 }, () => {
    const raised = run(FAULT_AT_S + 30, {
      seed: 11,
      speedup: 1,
      corrupt: (plant) => {
        if (plant.timeS >= FAULT_AT_S && plant.timeS < FAULT_AT_S + 0.01) plant.sim.forceLevelReading(plant.sim.read("bufferTank.level") as number);
      },
    });
    assertNamed(raised, "bufferTank.level", 10);
  });

  it("step fault: the tank temperature reads 0.5 °C high; the detector alarms and names it", { timeout: 120_000 }, () => {
    assertNamed(run(FAULT_AT_S + 30, { seed: 7, speedup: 1, corrupt: offset("bufferTank.temperature", 0.5) }), "bufferTank.temperature", 2);
  });

  it("step fault: the coolant outlet temperature reads 0.4 °C low; the detector alarms and names it", { timeout: 120_000 }, () => {
    assertNamed(run(FAULT_AT_S + 30, { seed: 5, speedup: 1, corrupt: offset("heatExchanger.coolantOutTemp", -0.4) }), "heatExchanger.coolantOutTemp", 2);
  });

  it("an operator's level setpoint step, with the alarm hold the runtime sets on a write: no alarm", { timeout: 120_000 }, () => {
    const raised = run(FAULT_AT_S + 120, {
      seed: 7,
      speedup: 1,
      operate: (plant, svc) => {
        if (Math.abs(plant.timeS - FAULT_AT_S) < 0.01) {
          // The pump ramps at 580 rpm/s to full speed: for the model (which does not see the PLC's command) a transient.
          plant.sim.write("bufferTank.levelSetpoint", 1.5);
          svc.holdAlarms(plant.timeS + 15);
        }
      },
    });
    assert.deepEqual(raised, [], `alarms after the setpoint step:\n${describeRaised(raised)}`);
  });

  it("the cell is stopped and restarted: detectors pause while it is stopped, no alarm, the wear estimate is kept", { timeout: 120_000 }, () => {
    let wearAtStop = Number.NaN;
    let wearAfter = Number.NaN;
    const raised = run(FAULT_AT_S + 500, {
      seed: 3,
      speedup: 1,
      operate: (plant, _svc, last, info) => {
        const t = plant.timeS;
        const wear = last.mean[info.variables.findIndex((v) => v.name === "feedPump.bearingWear")]!;
        if (Math.abs(t - FAULT_AT_S) < 0.01) {
          wearAtStop = wear;
          plant.sim.write("cell.stopCommand", true);
        }
        if (Math.abs(t - (FAULT_AT_S + 200)) < 0.01) plant.sim.write("cell.startCommand", true);
        if (Math.abs(t - (FAULT_AT_S + 499)) < 0.01) wearAfter = wear;
      },
    });
    assert.deepEqual(raised, [], `alarms around the stop and the restart:\n${describeRaised(raised)}`);
    assert.ok(Math.abs(wearAfter - wearAtStop) < 0.002, `wear estimate ${wearAtStop} before the stop, ${wearAfter} after the restart`);
  });

  it("no alarm over an hour of normal operation", { timeout: 300_000 }, () => {
    const raised = run(3600, { seed: 7, speedup: 1 });
    assert.deepEqual(raised, [], `alarms in normal operation:\n${describeRaised(raised)}`);
  });
});
