/**
 * The commissioning part of the API contract (requests, events, and the role each request needs), spread into
 * the main contract. Pure zod, no Node.
 *
 * The workbench's commissioning desk drives a simulated plant it started (the embedded demo's plant server):
 * the IO list with live and forced values, forces, fault injection, suite runs with progress, and reports.
 * It never writes through the twin's own PLC connections (those stay governed by proposals).
 */
import { z } from "zod";
import type { Access } from "./governance";

/** A signal id of the IO list, e.g. `bufferTank.level`. */
const SignalId = z.string().min(1).max(200);
const Signals = z.array(SignalId).min(1).max(500);
/** A suite's id: its file name beside the scene without `.yaml` (never a path). */
const SuiteId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "a suite id: letters, digits, . _ -, as listed by commissioning.suites");
const RunId = z.string().regex(/^run-\d{1,9}$/, "a run id as commissioning.run returned it");
const Reason = z.string().max(500);

export const FAULT_STATUSES = [
  "BadSensorFailure",
  "BadNoCommunication",
  "BadDeviceFailure",
  "BadOutOfService",
  "UncertainLastUsableValue",
  "UncertainSensorNotAccurate",
] as const;

const timing = {
  tag: SignalId,
  /** Starts this many plant seconds after the injection (a scheduled fault). */
  delayS: z.number().nonnegative().max(86_400).optional(),
  /** Clears itself after this many plant seconds of being active. */
  durationS: z.number().positive().max(86_400).optional(),
};

/**
 * One fault on one signal. Sensors: `stuck` (at a value, by default the one it had), `offset`, `drift`, `noise`,
 * `bad` (dropout: the value holds, its quality turns Bad or Uncertain). Actuators: `stuck` (a valve that no
 * longer moves), `trip` (a motor protection trip). Times are plant seconds.
 */
export const FaultSpec = z.discriminatedUnion("kind", [
  z.object({ ...timing, kind: z.literal("stuck"), value: z.union([z.number(), z.boolean(), z.array(z.number()).max(1000)]).optional() }).strict(),
  z.object({ ...timing, kind: z.literal("offset"), offset: z.number() }).strict(),
  z.object({ ...timing, kind: z.literal("drift"), ratePerS: z.number() }).strict(),
  z.object({ ...timing, kind: z.literal("noise"), sd: z.number().positive() }).strict(),
  z.object({ ...timing, kind: z.literal("bad"), status: z.enum(FAULT_STATUSES).default("BadSensorFailure") }).strict(),
  z.object({ ...timing, kind: z.literal("trip") }).strict(),
]);
export type FaultSpec = z.infer<typeof FaultSpec>;
export type FaultSpecInput = z.input<typeof FaultSpec>;
export const FaultKind = z.enum(["stuck", "offset", "drift", "noise", "bad", "trip"]);
export type FaultKind = z.infer<typeof FaultKind>;

export const ActiveFaultInfo = z.object({
  spec: FaultSpec,
  state: z.enum(["scheduled", "active"]),
  /** Plant time it became (or becomes) active, s. */
  fromS: z.number(),
  untilS: z.number().optional(),
  /** One line, e.g. `bufferTank.level stuck at 1`. */
  description: z.string(),
});
export type ActiveFaultInfo = z.infer<typeof ActiveFaultInfo>;

export const ForceValue = z.union([z.number(), z.boolean()]);
export const ActiveForceInfo = z.object({ tag: z.string(), value: ForceValue });
export type ActiveForceInfo = z.infer<typeof ActiveForceInfo>;

export const IoRow = z.object({
  tag: z.string(),
  nodeId: z.string(),
  dataType: z.string(),
  /** Seen from the PLC: input = sensor, output = actuator. */
  direction: z.enum(["input", "output"]),
  unit: z.string().optional(),
  range: z.tuple([z.number(), z.number()]).optional(),
  description: z.string().optional(),
  /** Line in the IO list CSV. */
  line: z.number().int().optional(),
  /** What the plant server serves now: a sensor after its fault or force, an actuator as the PLC commanded it. */
  value: z.union([z.number(), z.boolean(), z.array(z.number()), z.null()]),
  /** OPC UA status name of that value (`Good`, `BadSensorFailure`…). */
  status: z.string(),
  quality: z.enum(["good", "uncertain", "bad"]),
  forced: ForceValue.optional(),
  fault: ActiveFaultInfo.optional(),
  /** Fault kinds this signal accepts (sensor or actuator, analog or not). */
  faultKinds: z.array(FaultKind),
  /** Whether it can be forced (arrays cannot). */
  forceable: z.boolean(),
});
export type IoRow = z.infer<typeof IoRow>;

export const RunState = z.enum(["running", "passed", "failed", "cancelled", "error"]);
export type RunState = z.infer<typeof RunState>;
export const TestStatus = z.enum(["passed", "failed", "error", "skipped"]);

export const Counts = z.object({ tests: z.number(), passed: z.number(), failed: z.number(), errors: z.number(), skipped: z.number() });

/** Where a run is: the test and the step in progress. */
export const RunPosition = z.object({
  suite: z.string(),
  test: z.string(),
  /** 0-based test index and how many the suite runs. */
  testIndex: z.number().int(),
  testTotal: z.number().int(),
  /** 0-based step index within the test (setup and teardown included) and how many it has. */
  stepIndex: z.number().int(),
  stepTotal: z.number().int(),
  stepLabel: z.string(),
});
export type RunPosition = z.infer<typeof RunPosition>;

export const RunSummary = z.object({
  id: z.string(),
  suite: z.string(),
  suiteName: z.string(),
  state: RunState,
  /** Who started it. */
  by: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().optional(),
  /** Plant speed during the run (×). */
  speed: z.number(),
  counts: Counts,
  position: RunPosition.optional(),
  /** Why the run could not be carried out (state `error`). */
  error: z.string().optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const StepInfo = z.object({
  label: z.string(),
  line: z.number().optional(),
  status: TestStatus,
  startS: z.number(),
  durationS: z.number(),
  message: z.string().optional(),
});
export type StepInfo = z.infer<typeof StepInfo>;

export const FailureInfo = z.object({
  /** Index of the failed step in the test's steps. */
  step: z.number().int(),
  message: z.string(),
  expected: z.string(),
  seen: z.string(),
  why: z.string().optional(),
  faults: z.array(z.string()),
  atS: z.number(),
  stepStartS: z.number(),
  /** Recent values of the tags involved: [plant s, value] (Booleans 0/1), thinned for the UI. */
  trends: z.array(z.object({ tag: z.string(), unit: z.string().optional(), points: z.array(z.tuple([z.number(), z.number().nullable()])) })),
});
export type FailureInfo = z.infer<typeof FailureInfo>;

export const TestInfo = z.object({
  name: z.string(),
  status: TestStatus,
  description: z.string().optional(),
  durationS: z.number(),
  plantS: z.number(),
  steps: z.array(StepInfo),
  failure: FailureInfo.optional(),
  skipped: z.string().optional(),
});
export type TestInfo = z.infer<typeof TestInfo>;

export const RunDetail = RunSummary.extend({
  suites: z.array(z.object({ name: z.string(), kind: z.enum(["functional", "io-checkout"]), tests: z.array(TestInfo) })),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const SuiteInfo = z.object({
  id: z.string(),
  /** Path of the suite file. */
  file: z.string(),
  name: z.string(),
  description: z.string().optional(),
  tests: z.array(z.object({ name: z.string(), description: z.string().optional(), steps: z.number().int() })),
  ioCheckout: z.boolean(),
  /** Why the file cannot be run (a suite for another scene, a syntax error): names the line. */
  problem: z.string().optional(),
});
export type SuiteInfo = z.infer<typeof SuiteInfo>;

export const CommissioningStatus = z.object({
  /** False when there is no simulated plant to commission (see `reason`). */
  available: z.boolean(),
  reason: z.string().optional(),
  /** `embedded-demo`: the virtual plant `twinbench start` started with the workbench. */
  source: z.enum(["embedded-demo"]).optional(),
  scene: z.string(),
  ioListFile: z.string().optional(),
  plantEndpoint: z.string().optional(),
  plcEndpoint: z.string().optional(),
  /** The desk reaches the plant server now. */
  connected: z.boolean(),
  plantTimeS: z.number().nullable(),
  speed: z.number().nullable(),
  /** The run in progress, or else the latest one. */
  run: RunSummary.nullable(),
});
export type CommissioningStatus = z.infer<typeof CommissioningStatus>;

const NoParams = z.object({}).strict();

export const commissioningRequests = {
  "commissioning.status": { params: NoParams, result: CommissioningStatus },
  /** The IO list with the plant server's live values, forces and faults. */
  "commissioning.io": { params: NoParams, result: z.object({ plantTimeS: z.number().nullable(), rows: z.array(IoRow) }) },
  /** Forces a simulated signal: a sensor reads `value`, an actuator obeys it, until released. */
  "commissioning.force": {
    params: z.object({ tag: SignalId, value: ForceValue, reason: Reason.optional() }).strict(),
    result: z.object({ forces: z.array(ActiveForceInfo) }),
  },
  /** Releases forces; no tags: every force. */
  "commissioning.unforce": { params: z.object({ tags: Signals.optional() }).strict(), result: z.object({ released: z.array(z.string()) }) },
  "commissioning.faults": { params: NoParams, result: z.object({ faults: z.array(ActiveFaultInfo) }) },
  "commissioning.injectFault": {
    params: z.object({ fault: FaultSpec, reason: Reason.optional() }).strict(),
    result: z.object({ faults: z.array(ActiveFaultInfo) }),
  },
  /** Clears faults; no tags: every fault. */
  "commissioning.clearFaults": { params: z.object({ tags: Signals.optional() }).strict(), result: z.object({ cleared: z.array(z.string()) }) },
  /** Loss of the connection: the plant server closes every session and refuses new ones for `seconds` plant seconds. */
  "commissioning.dropConnection": { params: z.object({ seconds: z.number().positive().max(600), reason: Reason.optional() }).strict(), result: z.object({}) },
  /** The suites beside the scene (`suites/*.yaml`). */
  "commissioning.suites": { params: NoParams, result: z.object({ suites: z.array(SuiteInfo) }) },
  /** Starts a run of one suite (one at a time); progress comes as `commissioning.progress` events. */
  "commissioning.run": {
    params: z
      .object({
        suite: SuiteId,
        /** Run only these tests (the IO checkout is then skipped). */
        tests: z.array(z.string().min(1).max(300)).min(1).max(200).optional(),
        ioCheckout: z.boolean().default(true),
        /** Plant speed for the run (×0.5…×10); the speed before is restored afterwards. */
        speed: z.number().min(0.5).max(10).optional(),
      })
      .strict(),
    result: RunSummary,
  },
  "commissioning.cancel": { params: z.object({ runId: RunId }).strict(), result: z.object({ cancelled: z.boolean() }) },
  /** A run with its results; without runId the latest. Null when there was none. */
  "commissioning.result": { params: z.object({ runId: RunId.optional() }).strict(), result: RunDetail.nullable() },
  "commissioning.runs": { params: NoParams, result: z.object({ runs: z.array(RunSummary) }) },
  /** A finished run's report as a file to download. */
  "commissioning.report": {
    params: z.object({ runId: RunId, format: z.enum(["html", "junit"]) }).strict(),
    result: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
  },
} as const;

export const CommissioningProgress = z.discriminatedUnion("kind", [
  z.object({ runId: z.string(), kind: z.literal("step-started"), position: RunPosition }),
  z.object({ runId: z.string(), kind: z.literal("step-finished"), suite: z.string(), test: z.string(), step: StepInfo }),
  z.object({ runId: z.string(), kind: z.literal("test-finished"), suite: z.string(), test: TestInfo }),
]);
export type CommissioningProgress = z.infer<typeof CommissioningProgress>;

export const commissioningEvents = {
  /** Per step and per test of the run in progress. */
  "commissioning.progress": CommissioningProgress,
  /** A run started, finished, was cancelled or could not be carried out. */
  "commissioning.runChanged": RunSummary,
} as const;

/** The role each method needs (checked in the main process by the governance guard). */
export const commissioningAccess: Readonly<Record<keyof typeof commissioningRequests, Access>> = {
  "commissioning.status": "viewer",
  "commissioning.io": "viewer",
  "commissioning.faults": "viewer",
  "commissioning.suites": "viewer",
  "commissioning.result": "viewer",
  "commissioning.runs": "viewer",
  "commissioning.report": "viewer",
  "commissioning.force": "engineer",
  "commissioning.unforce": "engineer",
  "commissioning.injectFault": "engineer",
  "commissioning.clearFaults": "engineer",
  "commissioning.dropConnection": "engineer",
  "commissioning.run": "engineer",
  "commissioning.cancel": "engineer",
};
