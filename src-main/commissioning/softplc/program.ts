/**
 * What the soft PLC runs each scan: a control program that sees the plant only through its IO image (the IO
 * list's inputs, read over OPC UA) and drives it through its outputs, plus the operator and status tags it
 * serves to the HMI. The soft PLC around it does the IO, the serving and the forcing.
 */
import type { SignalSpec, SignalValue } from "../../../src-workers/plant/simulation-types";
import type { TagDataType } from "../../common/scene/schema";
import { DemoCellProgram } from "./demo-cell-program";
import type { Defect } from "./defects";

/** One input as the PLC read it: the value (undefined when none arrived) and whether its quality was Good. */
export interface InputReading {
  value: SignalValue | undefined;
  good: boolean;
}

/** A tag the program serves beyond the scene (diagnostics), at `ns=1;s=<root>.<path>`. */
export interface ExtraTag {
  name: string;
  dataType: TagDataType;
  path: string;
  description: string;
}

export interface ControlProgram {
  /** Operator and status tags: `input` ones the HMI may write (commands, setpoints), with their limits as range. */
  readonly hmiSignals: readonly SignalSpec[];
  /** HMI tags the scene does not declare. */
  readonly extraTags: readonly ExtraTag[];
  /** IO list outputs the program drives. */
  readonly outputs: readonly string[];
  /**
   * One scan of `dtS` plant seconds. `read` gives the input image; `linkUp` is false while the PLC cannot
   * reach the plant (its inputs are then stale and Bad).
   */
  scan(dtS: number, read: (tag: string) => InputReading, linkUp: boolean): void;
  /**
   * Starts the cell as the embedded demo shows it, given the first input image read from the plant (called once,
   * before that image's scan): a program that can take a plant straight into production starts its loops at
   * their operating point; otherwise it presses start as an operator would. Absent: the program has no cell to start.
   */
  startCell?(read: (tag: string) => InputReading): void;
  /** An output's value after the last scan. */
  output(tag: string): SignalValue | undefined;
  hmi(name: string): SignalValue;
  /** An HMI write; throws a RangeError naming the tag for an unknown tag, a status tag or a value out of limits. */
  writeHmi(name: string, value: SignalValue): void;
}

/** No logic at all: the soft PLC only mirrors its IO image (IO checkout of a plant without a program, load tests). */
export class IoMirrorProgram implements ControlProgram {
  readonly hmiSignals: readonly SignalSpec[] = [];
  readonly extraTags: readonly ExtraTag[] = [];
  readonly outputs: readonly string[] = [];
  scan(): void {}
  output(): undefined {
    return undefined;
  }
  hmi(name: string): SignalValue {
    throw new RangeError(`${name}: the IO mirror has no HMI tags`);
  }
  writeHmi(name: string): void {
    throw new RangeError(`write ${name}: the IO mirror has no HMI tags`);
  }
}

/** Names of the programs the soft PLC knows, by plant model. */
export const PROGRAMS = ["demo-cell"] as const;

/** The reference program for a scene's plant model; the IO mirror for a plant without one. */
export function createProgram(model: string | undefined, defect: Defect | undefined): ControlProgram {
  if (model === "demo-cell") return new DemoCellProgram(defect);
  if (defect) throw new RangeError(`--defect ${defect} applies to the demo-cell program; this scene's model is ${JSON.stringify(model ?? "none")}`);
  return new IoMirrorProgram();
}
