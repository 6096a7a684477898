/**
 * Estimation settings of the demo cell (scenes/demo-cell.scene.yaml), kept here as a typed object until the
 * scene schema has an `estimation` block (the proposed zod is EstimationSettingsSchema in scene-config.ts).
 *
 * The estimator's model: the feed pump (its speed a tracked random walk while it runs, since the PLC's speed
 * command is not a tag; a coast-down when it stops), the buffer tank's mass and energy balance (feed temperature unmeasured, inferred), the product
 * cooler with its sensor lags (coolant supply temperature tracked from its tag), the filling valve drawing
 * its rated flow while open. The filling line itself is not estimated: its valve command drives the model.
 * Heater power, the valve command, pump running, the coolant flow setpoint and the cell state (the PLC
 * stops the coolant when the cell is stopped) are measured inputs; the outlet flow tag is left out because
 * its noise, fed in as an input, would blur the cooler's effectiveness (it is a poor measurement too:
 * exactly 0 half of the time). Sensor noise is the transmitters' accuracy.
 */
import type { Scene } from "../../src-main/common/scene/schema";
import { estimatorConfigFromScene, type EstimationSettings } from "./scene-config";
import type { EstimatorConfig } from "./config";

export const DEMO_CELL_ESTIMATION: EstimationSettings = {
  assets: ["feedPump", "bufferTank", "heatExchanger"],
  components: [
    { id: "fillValve", type: "valve", params: { ratedFlowM3h: 1.5 } },
    // The PLC holds the coolant flow at its setpoint unless the cell is stopped.
    { id: "coolantTarget", type: "gate" },
    { id: "feedPumpDrive", type: "variableSpeedDrive", params: { initialSpeedRpm: 1300, speedNoiseRpm2PerS: 1 } },
    { id: "feedSupply", type: "supplyTemperature", params: { meanC: 12, tauS: 900, sdC: 0.7 } },
    { id: "coolantSupply", type: "supplyTemperature", params: { meanC: 15, tauS: 600, sdC: 0.3 } },
  ],
  latent: {
    // Learn how fast the bearing wears and the cooler fouls relative to the nominal laws: what RUL samples.
    feedPump: { wearRateFactor: { initial: 1, sigma: 0.5 } },
    heatExchanger: { foulingRateFactor: { initial: 1, sigma: 0.5 } },
  },
  connections: [
    { from: "feedPumpDrive.speedRpm", to: "feedPump.speedRpm" },
    { from: "feedPump.flowM3h", to: "bufferTank.inflowM3h" },
    { from: "bufferTank.levelM", to: "fillValve.upstreamLevelM" },
    { from: "fillValve.flowM3h", to: "bufferTank.outflowM3h" },
    { from: "fillValve.flowM3h", to: "heatExchanger.productFlowM3h" },
    { from: "feedSupply.temperatureC", to: "bufferTank.feedTemperatureC" },
    { from: "bufferTank.temperatureC", to: "heatExchanger.productInC" },
    { from: "coolantSupply.temperatureC", to: "heatExchanger.coolantInC" },
    { from: "coolantTarget.output", to: "heatExchanger.coolantFlowSetpointM3h" },
  ],
  constants: [{ to: "bufferTank.ambientC", value: 20 }],
  inputs: [
    { tag: "feedPump.running", to: ["feedPump.energized", "feedPumpDrive.running"] },
    { tag: "bufferTank.heaterPower", to: ["bufferTank.heaterKw"] },
    { tag: "fillingStation.fillValveOpen", to: ["fillValve.opening"] },
    { tag: "heatExchanger.coolantFlowSetpoint", to: ["coolantTarget.value"] },
    { tag: "cell.state", to: ["coolantTarget.enable"] },
  ],
  measurements: [
    { tag: "feedPump.speed", from: "feedPumpDrive.speedRpm", sigma: 2 },
    // Magnetic flowmeters report 0 below their low-flow cutoff (0.1 m³/h): a 0 is censored, not a reading, and
    // just above the cutoff only the readings that noise lifted over it get through (biased). Hence a cutoff of
    // 0.1 m³/h plus ~4σ: readings at or below are skipped.
    { tag: "feedPump.flow", from: "feedPump.flowM3h", sigma: 0.04, cutoff: 0.25 },
    { tag: "feedPump.dischargePressure", from: "feedPump.dischargePressureBar", sigma: 0.005 },
    { tag: "feedPump.motorCurrent", from: "feedPump.motorCurrentA", sigma: 0.03 },
    { tag: "feedPump.vibration", from: "feedPump.vibrationMmS", sigma: 0.04 },
    { tag: "bufferTank.level", from: "bufferTank.levelM", sigma: 0.001 },
    { tag: "bufferTank.temperature", from: "bufferTank.temperatureC", sigma: 0.05 },
    { tag: "heatExchanger.productOutTemp", from: "heatExchanger.productOutC", sigma: 0.05 },
    { tag: "heatExchanger.coolantInTemp", from: "coolantSupply.temperatureC", sigma: 0.05 },
    { tag: "heatExchanger.coolantOutTemp", from: "heatExchanger.coolantOutC", sigma: 0.05 },
    { tag: "heatExchanger.coolantFlow", from: "heatExchanger.coolantFlowM3h", sigma: 0.03, cutoff: 0.25 },
  ],
  filter: { method: "ukf", alpha: 1, beta: 2, kappa: 0, maxStepS: 0.05 },
  // Watch for anomalies while the cell runs (a stopped cell's transmitters read exact zeros, which is normal).
  anomaly: { activeWhen: { tag: "cell.state", values: [2] }, settleS: 30 },
  prognosis: {
    targets: [
      { id: "bearing", label: "Feed pump bearing: remaining useful life", component: "feedPump", state: "bearingWear", threshold: 0.8 },
      { id: "cleaning", label: "Product cooler: time until cleaning", component: "heatExchanger", state: "foulingResistance", threshold: 0.3 },
    ],
  },
};

export interface DemoCellEstimationOptions {
  /** The simulator's degradationSpeedup (a demo knob, known to the twin); 1 for a real plant. */
  degradationSpeedup?: number;
}

/** The demo cell's estimator configuration from its parsed scene. */
export function demoCellEstimatorConfig(scene: Scene, options: DemoCellEstimationOptions = {}): EstimatorConfig {
  const speedup = options.degradationSpeedup ?? 1;
  return estimatorConfigFromScene(scene, {
    ...DEMO_CELL_ESTIMATION,
    params: { feedPump: { degradationSpeedup: speedup }, heatExchanger: { degradationSpeedup: speedup } },
  });
}
