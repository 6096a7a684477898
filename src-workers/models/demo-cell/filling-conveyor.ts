/**
 * Filling line F-401: an indexing conveyor with one filling head. Bottles stand on the belt at a fixed
 * pitch (the infeed places one every pitch of travel). On an index request the belt runs until the next
 * bottle stands under the filler, then stops in position; the filling valve is opened by the PLC.
 *
 * Bottle k stands at position travel − k·pitch (k counts up the line), so positions never accumulate
 * rounding: stops are computed from k, not summed from small moves.
 */

export interface ConveyorParams {
  beltLengthM: number;
  fillerPositionM: number;
  pitchM: number;
  beltSpeedMps: number;
  /** Flow through the open filling valve (a flow-controlled head), m³/h. */
  fillFlowM3h: number;
  /** Most bottle positions reported. */
  maxItems: number;
}

/** F-401 (scene: beltLengthM 4.2, fillerPositionM 1.2, pitchM 0.5). */
export const FILLING_LINE: ConveyorParams = {
  beltLengthM: 4.2,
  fillerPositionM: 1.2,
  pitchM: 0.5,
  beltSpeedMps: 0.25,
  // 0.42 L/s: a litre in 2.4 s. With 2 s of indexing the tank loses 1 L per 4.4 s (2 L per 6.8 s), which
  // the 60 kW heater can still bring from 12 °C to 55 °C; a faster filler would outrun the heater.
  fillFlowM3h: 1.5,
  maxItems: 16,
};

export class FillingConveyor {
  /** Total belt travel, m. */
  private travelM: number;
  /** Index of the bottle that is under the filler or travelling towards it. */
  private nextBottle: number;
  private targetM: number;
  private moving: boolean;
  private atFiller: boolean;
  private fillL = 0;
  private produced = 0;

  constructor(
    readonly params: ConveyorParams = FILLING_LINE,
    initialTravelM = params.fillerPositionM - 0.2,
  ) {
    this.travelM = initialTravelM;
    this.nextBottle = Math.ceil((initialTravelM - params.fillerPositionM) / params.pitchM - 1e-9);
    this.targetM = this.stopFor(this.nextBottle);
    this.moving = this.targetM > this.travelM;
    this.atFiller = !this.moving;
  }

  get isMoving(): boolean {
    return this.moving;
  }
  /** A bottle stands still under the filler. */
  get inPosition(): boolean {
    return this.atFiller;
  }
  get beltSpeedMps(): number {
    return this.moving ? this.params.beltSpeedMps : 0;
  }
  /** Litres filled into the bottle under the filler (the filler's flowmeter totalizer). */
  get fillVolumeL(): number {
    return this.fillL;
  }
  /** Bottles that have left the belt; wraps like a UInt32 counter. */
  get itemsProduced(): number {
    return this.produced;
  }
  get travel(): number {
    return this.travelM;
  }

  /** Starts moving to the next bottle; ignored while moving. */
  requestIndex(): void {
    if (this.moving) return;
    if (this.atFiller) this.nextBottle += 1;
    this.targetM = this.stopFor(this.nextBottle);
    this.moving = true;
    this.atFiller = false;
  }

  /** Adds product that flowed into the bottle under the filler (spilled if no bottle is in position). */
  addFill(volumeM3: number): void {
    if (this.atFiller) this.fillL += volumeM3 * 1000;
  }

  /** Moves the belt for dtS seconds; stops exactly in position. */
  advance(dtS: number): void {
    if (!this.moving || dtS <= 0) return;
    const before = this.travelM;
    const next = before + this.params.beltSpeedMps * dtS;
    if (next >= this.targetM) {
      this.travelM = this.targetM;
      this.moving = false;
      this.atFiller = true;
      this.fillL = 0;
    } else {
      this.travelM = next;
    }
    const left = this.exitIndex(this.travelM) - this.exitIndex(before);
    if (left > 0) this.produced = (this.produced + left) >>> 0;
  }

  /** Writes the positions of the bottles on the belt (m from its start) into `out`; returns how many. */
  positions(out: Float64Array): number {
    const { pitchM, beltLengthM } = this.params;
    const first = this.exitIndex(this.travelM);
    const last = Math.floor(this.travelM / pitchM + 1e-9);
    let n = 0;
    for (let k = last; k >= first && n < out.length && n < this.params.maxItems; k--) {
      const x = this.travelM - k * pitchM;
      // Rounded to µm so the positions read cleanly (0.2, not 0.19999999999999973).
      if (x >= -1e-9 && x <= beltLengthM + 1e-9) out[n++] = Math.round(Math.min(beltLengthM, Math.max(0, x)) * 1e6) / 1e6;
    }
    return n;
  }

  private stopFor(k: number): number {
    return this.params.fillerPositionM + k * this.params.pitchM;
  }

  /** Lowest bottle index still on the belt: bottle k has left once travel − k·pitch > belt length. */
  private exitIndex(travelM: number): number {
    return Math.ceil((travelM - this.params.beltLengthM) / this.params.pitchM - 1e-9);
  }
}
