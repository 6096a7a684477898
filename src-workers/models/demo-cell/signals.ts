/**
 * The demo cell's signals: every tag of scenes/demo-cell.scene.yaml under the same name, type and direction
 * (inputs are the scene's readWrite tags, with the write limits as range), plus hidden ground truth.
 */
import type { SignalSpec, SignalType, SignalValue } from "../../plant/simulation-types";

type Spec<N extends string> = SignalSpec & { name: N };

function out<N extends string>(name: N, type: SignalType, unit?: string, range?: [number, number], description?: string): Spec<N> {
  return { name, type, direction: "output", unit, range, description };
}

function input<N extends string>(name: N, type: SignalType, range: [number, number], unit?: string, description?: string): Spec<N> {
  return { name, type, direction: "input", unit, range, description };
}

function truth<N extends string>(name: N, unit: string, range: [number, number], description: string): Spec<N> {
  return { name, type: "Double", direction: "output", unit, range, hidden: true, description };
}

const specs = [
  out("cell.state", "Int32", undefined, [0, 4], "0 stopped, 1 starting, 2 running, 3 stopping, 4 tripped"),
  out("cell.heartbeat", "UInt32", undefined, undefined, "Increments every PLC scan"),
  out("cell.interlockActive", "Boolean", undefined, undefined, "High-high level interlock has tripped the feed pump"),
  input("cell.startCommand", "Boolean", [0, 1], undefined, "Rising edge starts the cell; the PLC resets it"),
  input("cell.stopCommand", "Boolean", [0, 1], undefined, "Rising edge stops the cell after the current bottle; the PLC resets it"),

  out("feedPump.running", "Boolean"),
  out("feedPump.tripped", "Boolean"),
  out("feedPump.speed", "Double", "rpm", [0, 3000]),
  out("feedPump.flow", "Double", "m³/h", [0, 25]),
  out("feedPump.dischargePressure", "Double", "bar", [0, 5]),
  out("feedPump.motorCurrent", "Double", "A", [0, 40]),
  out("feedPump.vibration", "Double", "mm/s", [0, 20], "Bearing housing vibration velocity, RMS"),

  out("bufferTank.level", "Double", "m", [0, 2.5]),
  out("bufferTank.temperature", "Double", "°C", [0, 100]),
  out("bufferTank.heaterPower", "Double", "kW", [0, 60]),
  out("bufferTank.outletFlow", "Double", "m³/h", [0, 25]),
  out("bufferTank.levelHighHigh", "Boolean", undefined, undefined, "Level switch LSHH-201 (2.2 m)"),
  input("bufferTank.levelSetpoint", "Double", [0.4, 2.0], "m"),
  input("bufferTank.temperatureSetpoint", "Double", [30, 80], "°C"),

  out("heatExchanger.productOutTemp", "Double", "°C", [0, 100]),
  out("heatExchanger.coolantInTemp", "Double", "°C", [0, 50]),
  out("heatExchanger.coolantOutTemp", "Double", "°C", [0, 100]),
  out("heatExchanger.coolantFlow", "Double", "m³/h", [0, 20]),
  input("heatExchanger.coolantFlowSetpoint", "Double", [2, 15], "m³/h"),

  out("fillingStation.beltSpeed", "Double", "m/s", [0, 1]),
  out("fillingStation.fillValveOpen", "Boolean"),
  out("fillingStation.itemsProduced", "UInt32", "items"),
  out("fillingStation.itemPositions", "DoubleArray", "m", [0, 4.2], "Bottles on the belt, m from its start (at most 16)"),
  input("fillingStation.fillVolumeSetpoint", "Double", [0.5, 2.0], "L"),

  truth("truth.bearingWear", "1", [0, 1], "Feed pump bearing wear, 0 new … 1 worn out"),
  truth("truth.foulingResistance", "m²K/kW", [0, 1], "Product cooler fouling resistance"),
];

/** All signals in frame order. */
export const DEMO_CELL_SIGNALS: readonly SignalSpec[] = specs.map((s) => {
  // Drop absent optional fields so the specs stay plain, comparable and structured-clonable.
  const clean: SignalSpec = { name: s.name, type: s.type, direction: s.direction };
  if (s.unit !== undefined) clean.unit = s.unit;
  if (s.range !== undefined) clean.range = s.range;
  if (s.hidden) clean.hidden = true;
  if (s.description !== undefined) clean.description = s.description;
  return Object.freeze(clean);
});

export type DemoCellSignalName = (typeof specs)[number]["name"];

/** Frame index of every signal, by name. */
export function signalIndex(): Record<DemoCellSignalName, number> {
  const index = {} as Record<DemoCellSignalName, number>;
  specs.forEach((s, i) => {
    index[s.name] = i;
  });
  return index;
}

/** Initial values of the inputs (scene defaults). */
export const DEMO_CELL_INPUT_DEFAULTS = {
  "cell.startCommand": false,
  "cell.stopCommand": false,
  "bufferTank.levelSetpoint": 1.2,
  "bufferTank.temperatureSetpoint": 55,
  "heatExchanger.coolantFlowSetpoint": 6,
  "fillingStation.fillVolumeSetpoint": 1.0,
} as const satisfies Partial<Record<DemoCellSignalName, SignalValue>>;

/**
 * Checks a write against a signal list and returns the signal's spec. Throws a RangeError naming the signal,
 * the value and what is allowed: unknown name, an output, a wrong type or a value out of range.
 */
export function checkWrite(signals: readonly SignalSpec[], name: string, value: SignalValue): SignalSpec {
  const spec = signals.find((s) => s.name === name);
  const inputs = () =>
    signals
      .filter((s) => s.direction === "input")
      .map((s) => s.name)
      .join(", ");
  if (!spec) throw new RangeError(`write ${JSON.stringify(name)}: unknown signal; writable inputs are: ${inputs()}`);
  if (spec.direction !== "input") {
    throw new RangeError(`write ${name}: is an output (read-only); writable inputs are: ${inputs()}`);
  }
  const shown = describeValue(value);
  switch (spec.type) {
    case "Boolean":
      if (typeof value !== "boolean") throw new RangeError(`write ${name} = ${shown}: expected a Boolean (true or false), got ${kindOf(value)}`);
      return spec;
    case "DoubleArray":
      if (!Array.isArray(value) || !value.every((v) => typeof v === "number" && Number.isFinite(v))) {
        throw new RangeError(`write ${name} = ${shown}: expected a DoubleArray (array of finite numbers), got ${kindOf(value)}`);
      }
      checkRange(spec, name, shown, value);
      return spec;
    case "Double":
    case "Int32":
    case "UInt32": {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new RangeError(`write ${name} = ${shown}: expected a finite number (${spec.type}), got ${kindOf(value)}`);
      }
      if (spec.type === "Int32" && !(Number.isInteger(value) && value >= -2147483648 && value <= 2147483647)) {
        throw new RangeError(`write ${name} = ${shown}: expected an Int32 (integer in [-2147483648, 2147483647])`);
      }
      if (spec.type === "UInt32" && !(Number.isInteger(value) && value >= 0 && value <= 4294967295)) {
        throw new RangeError(`write ${name} = ${shown}: expected a UInt32 (integer in [0, 4294967295])`);
      }
      checkRange(spec, name, shown, [value]);
      return spec;
    }
  }
}

function checkRange(spec: SignalSpec, name: string, shown: string, values: readonly number[]): void {
  if (!spec.range) return;
  const [lo, hi] = spec.range;
  if (values.some((v) => v < lo || v > hi)) {
    const unit = spec.unit ? ` ${spec.unit}` : "";
    throw new RangeError(`write ${name} = ${shown}: out of range, allowed [${lo}, ${hi}]${unit}`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.slice(0, 8).map(String).join(", ")}${value.length > 8 ? ", …" : ""}]`;
  return String(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
