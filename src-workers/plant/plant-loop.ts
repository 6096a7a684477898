/**
 * The plant side of the commissioning plant server as a plain class: owns one plant model, steps it each
 * cycle by the elapsed time times the speed factor, and publishes every frame into shared memory.
 * plant-clock.worker.ts only gives it a thread and a timer; tests drive it directly.
 */
import { createPlantModel } from "./create-plant-model";
import { CycleSchedule, CycleStats } from "./cycle-clock";
import type { PlantModel, PlantModelOptions, PlantStateSpec } from "./plant-model-types";
import { allocateFrame, frameLayout, FrameWriter, type FrameLayout, type SharedFrameBuffers } from "./shared-frame";
import type { SignalSpec, SignalValue } from "./simulation-types";

/** Plant speed factors the loop accepts: half speed up to ten times real time. */
export const SPEED_RANGE: readonly [number, number] = [0.5, 10];
/** Shortest cycle, ms. */
export const MIN_CYCLE_MS = 10;

/** Requests the serving thread sends to the plant thread. */
export type PlantRequest =
  | { type: "write"; name: string; value: SignalValue }
  | { type: "setState"; name: string; value: number }
  | { type: "speed"; speed: number };

/** What the plant thread reports once its model exists. */
export interface PlantReady {
  signals: SignalSpec[];
  states: PlantStateSpec[];
  layout: FrameLayout;
  frame: SharedFrameBuffers;
  stats: SharedArrayBuffer;
}

export function checkSpeed(speed: number): number {
  if (!(Number.isFinite(speed) && speed >= SPEED_RANGE[0] && speed <= SPEED_RANGE[1])) {
    throw new RangeError(`plant speed must be between ×${SPEED_RANGE[0]} and ×${SPEED_RANGE[1]}, got ${speed}`);
  }
  return speed;
}

export class PlantLoop {
  readonly model: PlantModel;
  readonly layout: FrameLayout;
  readonly buffers: SharedFrameBuffers;
  readonly stats = new CycleStats();
  private readonly writer: FrameWriter;
  private schedule: CycleSchedule | undefined;
  /** The model's allocation-free array copy, bound once (a closure per cycle would feed the garbage collector). */
  private readonly copyArray: ((index: number, target: Float64Array, offset: number, capacity: number) => number) | undefined;
  private lastStart = Number.NaN;
  private cycles = 0;

  constructor(
    options: PlantModelOptions,
    readonly cycleMs: number,
    private speed: number,
  ) {
    if (!(cycleMs >= MIN_CYCLE_MS && Number.isFinite(cycleMs))) throw new RangeError(`plant cycle must be at least ${MIN_CYCLE_MS} ms, got ${cycleMs}`);
    checkSpeed(speed);
    this.model = createPlantModel(options);
    this.copyArray = this.model.copyArray?.bind(this.model);
    this.layout = frameLayout(this.model.signals);
    this.buffers = allocateFrame(this.layout);
    this.writer = new FrameWriter(this.layout, this.buffers);
    this.publish();
  }

  ready(): PlantReady {
    return {
      signals: this.model.signals.map((s) => ({ ...s, ...(s.range ? { range: [s.range[0], s.range[1]] as [number, number] } : {}) })),
      states: this.model.states.map((s) => ({ ...s, range: [s.range[0], s.range[1]] })),
      layout: this.layout,
      frame: this.buffers,
      stats: this.stats.buffer,
    };
  }

  /** Applies a request; throws (RangeError with the model's message) when the model refuses it. */
  handle(request: PlantRequest): void {
    switch (request.type) {
      case "write":
        this.model.write(request.name, request.value);
        break;
      case "setState":
        this.model.setState(request.name, request.value);
        this.publish();
        break;
      case "speed":
        this.speed = checkSpeed(request.speed);
        break;
    }
  }

  /** When the next cycle is due (ms on the `now` clock); starts the schedule on first call. */
  nextDeadline(now: number): number {
    this.schedule ??= new CycleSchedule(this.cycleMs, now);
    return this.schedule.nextDeadline;
  }

  /** One cycle starting at `now` (ms): steps by the wall time since the last cycle times the speed, publishes. */
  cycle(now: number): void {
    this.schedule ??= new CycleSchedule(this.cycleMs, now);
    const reanchored = this.schedule.begin(now);
    const elapsedMs = Number.isNaN(this.lastStart) ? this.cycleMs : now - this.lastStart;
    if (!Number.isNaN(this.lastStart) && !reanchored) this.stats.record(elapsedMs);
    this.lastStart = now;
    // After a long stall the plant continues from where it was rather than jumping ahead.
    const dtS = (Math.min(elapsedMs, 5 * this.cycleMs) / 1000) * this.speed;
    this.model.step(dtS);
    this.cycles++;
    this.publish();
  }

  private publish(): void {
    const model = this.model;
    if (this.copyArray && model.frameScalars) {
      this.writer.publishScalars(model.timeS, this.cycles, model.frameScalars(), this.copyArray);
      return;
    }
    const signals = model.signals;
    this.writer.publish(model.timeS, this.cycles, (i) => model.read(signals[i]!.name));
  }
}
