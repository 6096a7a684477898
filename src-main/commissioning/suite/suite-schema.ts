/**
 * The commissioning suite file (`scenes/suites/*.yaml`): tests made of steps that drive the plant and the
 * PLC and check what happens, in plant seconds. Pure zod (a candidate for src-main/common): the same schema
 * checks a file and gives the types.
 *
 * A step is an object with exactly one action, plus `why` (what it proves: shown with a failure) and `watch`
 * (more tags to show with a failure):
 *
 *   write: { tag: value, … }            operator tags at the PLC (setpoints, commands)
 *   setState: { name: value, … }        plant states at the plant server (bufferTank.level…)
 *   fault: { tag, kind, … } | [ … ]     inject faults (stuck, offset, drift, noise, bad, trip)
 *   clearFaults: all | [tag, …]
 *   dropConnection: seconds             loss of the connection to the plant server
 *   wait: seconds
 *   capture: { name: expression, … }    remember values, used later as $name
 *   waitUntil: condition                with timeoutS (required), holdS, notBeforeS
 *   assert: condition                   now, or throughout forS seconds
 *   expectOrder: [condition, …]         each becomes true before the next; timeoutS, maxGapS
 */
import { z } from "zod";
import { TagDataType } from "../../common/scene/schema";
import { FaultSpec } from "../faults/fault-spec";

export const SUITE_FORMAT_VERSION = 1;
export const STEP_ACTIONS = ["write", "setState", "fault", "clearFaults", "dropConnection", "wait", "capture", "waitUntil", "assert", "expectOrder"] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

const TagId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_.]*$/, "a tag id asset.key, e.g. bufferTank.level");
const Seconds = z.number().positive().max(86_400);
const Condition = z.string().min(1, "a condition, e.g. cell.state == 2");

/** Which options each action takes besides `why` and `watch`. */
export const ACTION_OPTIONS: Record<StepAction, readonly string[]> = {
  write: [],
  setState: [],
  fault: [],
  clearFaults: [],
  dropConnection: [],
  wait: [],
  capture: [],
  waitUntil: ["timeoutS", "holdS", "notBeforeS"],
  assert: ["forS"],
  expectOrder: ["timeoutS", "maxGapS"],
};

export const RawStep = z
  .object({
    write: z.record(TagId, z.union([z.number(), z.boolean(), z.array(z.number())])).optional(),
    setState: z.record(z.string().min(1), z.number()).optional(),
    fault: z.union([FaultSpec, z.array(FaultSpec).min(1)]).optional(),
    clearFaults: z.union([z.literal("all"), z.array(TagId).min(1)]).optional(),
    dropConnection: Seconds.optional(),
    wait: Seconds.optional(),
    capture: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a variable name (letters, digits, _)"), Condition).optional(),
    waitUntil: Condition.optional(),
    assert: Condition.optional(),
    expectOrder: z.array(Condition).min(2, "at least two conditions, in the order they must become true").optional(),
    timeoutS: Seconds.optional(),
    holdS: z.number().nonnegative().optional(),
    notBeforeS: z.number().nonnegative().optional(),
    forS: z.number().nonnegative().optional(),
    maxGapS: Seconds.optional(),
    /** What the step proves; shown with its failure. */
    why: z.string().optional(),
    /** More tags to record and show with a failure of this step. */
    watch: z.array(z.string()).optional(),
  })
  .strict()
  .superRefine((step, ctx) => {
    const actions = STEP_ACTIONS.filter((a) => step[a] !== undefined);
    if (actions.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: actions.length === 0 ? `a step needs one action: ${STEP_ACTIONS.join(", ")}` : `a step has one action, this one has ${actions.join(" and ")}: split it into ${actions.length} steps`,
      });
      return;
    }
    const action = actions[0]!;
    for (const option of ["timeoutS", "holdS", "notBeforeS", "forS", "maxGapS"] as const) {
      if (step[option] !== undefined && !ACTION_OPTIONS[action].includes(option)) {
        ctx.addIssue({ code: "custom", path: [option], message: `${option} does not apply to ${action} (it applies to ${Object.entries(ACTION_OPTIONS).filter(([, o]) => o.includes(option)).map(([a]) => a).join(", ")})` });
      }
    }
    if ((action === "waitUntil" || action === "expectOrder") && step.timeoutS === undefined) {
      ctx.addIssue({ code: "custom", path: ["timeoutS"], message: `${action} needs timeoutS: how many plant seconds it may take` });
    }
  });
export type RawStep = z.infer<typeof RawStep>;

/** A tag the PLC serves beyond the scene (diagnostics of its program), readable in conditions. */
export const PlcTag = z
  .object({
    nodeId: z.string().regex(/^(ns=\d+;|nsu=[^;]+;)?[isgb]=.+$/, "an OPC UA NodeId such as ns=1;s=Name"),
    dataType: TagDataType,
    writable: z.boolean().default(false),
  })
  .strict();

export const RawTest = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    steps: z.array(z.unknown()).min(1, "a test needs at least one step"),
  })
  .strict();

export const IoCheckoutOptions = z
  .object({
    /** How close the PLC's value must be to what was driven, in percent of the signal's range. */
    tolerancePercent: z.number().positive().max(10).default(0.5),
    /** Plant seconds the PLC may take to show each pattern. */
    settleS: Seconds.default(10),
    /** Only these signals (tag ids; `*` matches any characters). */
    include: z.array(z.string()).optional(),
    exclude: z.array(z.string()).optional(),
  })
  .strict();
export type IoCheckoutOptions = z.infer<typeof IoCheckoutOptions>;

export const RawSuite = z
  .object({
    suite: z.literal(SUITE_FORMAT_VERSION),
    name: z.string().min(1),
    description: z.string().optional(),
    plcTags: z.record(TagId, PlcTag).default({}),
    /** Steps run before each test. */
    setup: z.array(z.unknown()).default([]),
    /** Steps run after each test, whether it passed or not. */
    teardown: z.array(z.unknown()).default([]),
    tests: z.array(RawTest).default([]),
    /** An IO checkout generated from the IO list: every signal driven across its range and confirmed. */
    ioCheckout: IoCheckoutOptions.optional(),
  })
  .strict()
  .refine((s) => s.tests.length > 0 || s.ioCheckout !== undefined, { message: "a suite needs tests, an ioCheckout, or both", path: ["tests"] });
export type RawSuite = z.infer<typeof RawSuite>;
