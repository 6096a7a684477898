/**
 * Runs the IO checkout plan on the rig, one pattern at a time for all signals of a direction at once: force
 * the pattern (one call), then read the other side (one read) until every signal shows its value or the
 * settle time passes. Reports one test per signal, with the pattern that failed, what was driven, what was
 * seen, and which other signal's address the PLC seems to use instead.
 */
import type { SignalValue } from "../../../src-workers/plant/simulation-types";
import type { IoList } from "../io/io-list";
import { plainValue, readValues } from "../opcua/client";
import { plantControlNodeIds } from "../plant/plant-layout";
import type { IoCheckoutOptions } from "../suite/suite-schema";
import { confirms, lookalikes, planIoCheckout, type CheckoutPlan, type CheckoutSignal } from "./io-checkout";
import type { StepResult, SuiteResult, TestResult } from "./results";
import { NoForceTable, type Rig } from "./rig";
import { fmt } from "./step-runner";
import { CANCELLED, type RunEvent } from "./suite-runner";

export interface IoCheckoutRunOptions {
  ioList: IoList;
  options: IoCheckoutOptions;
  rig: Rig;
  suiteName: string;
  file?: string;
  pollMs?: number;
  onEvent?: (event: RunEvent) => void;
  /** Cancels the checkout between patterns: signals not yet confirmed are reported as skipped. */
  signal?: AbortSignal;
}

interface PatternOutcome {
  /** Plant time the pattern was forced and when it was settled (or gave up). */
  startS: number;
  endS: number;
  seen: Map<string, SignalValue | undefined>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runIoCheckout(run: IoCheckoutRunOptions): Promise<SuiteResult> {
  const started = new Date();
  const t0 = performance.now();
  const { rig } = run;
  const plan = planIoCheckout(run.ioList, run.options);
  const name = `${run.suiteName} — IO checkout`;
  const classname = `commissioning.io-checkout`;
  const clock = plantControlNodeIds(rig.root).simulationTime;
  const results: TestResult[] = [];

  for (const direction of ["input", "output"] as const) {
    const signals = plan.signals.filter((s) => s.direction === direction);
    if (signals.length === 0) continue;
    const outcomes: PatternOutcome[] = [];
    let cannot: string | undefined;
    try {
      for (let k = 0; k < plan.patterns.length; k++) {
        if (run.signal?.aborted) {
          cannot = CANCELLED;
          break;
        }
        run.onEvent?.({ type: "step-started", suite: name, test: `every ${direction}`, index: k, total: plan.patterns.length, label: `${plan.patterns[k]}: ${signals.length} ${direction}s` });
        const startS = await plantTime(rig, clock);
        if (direction === "input") {
          await rig.injectFaults(signals.map((s) => ({ tag: s.tag, kind: "stuck" as const, value: s.values[k]! })));
        } else {
          await rig.force(Object.fromEntries(signals.map((s) => [s.tag, Number(s.values[k])])));
        }
        outcomes.push(await settle(run, signals, k, startS, clock));
      }
    } catch (err) {
      if (!(err instanceof NoForceTable)) throw err;
      cannot = err.message;
    } finally {
      if (direction === "input") await rig.clearFaults(signals.map((s) => s.tag)).catch(() => {});
      else await rig.unforce().catch(() => {});
    }
    for (const s of signals) {
      const result = cannot ? skippedTest(s, classname, cannot) : signalResult(plan, s, outcomes, classname);
      results.push(result);
      run.onEvent?.({ type: "test-finished", suite: name, result });
    }
  }
  for (const s of plan.skipped) {
    const result: TestResult = { name: `${s.tag} (${s.direction}, ${s.nodeId})`, classname, status: "skipped", skipped: s.reason, durationS: 0, plantS: 0, steps: [] };
    results.push(result);
    run.onEvent?.({ type: "test-finished", suite: name, result });
  }
  return { name, ...(run.file ? { file: run.file } : {}), kind: "io-checkout", startedAt: started.toISOString(), durationS: (performance.now() - t0) / 1000, tests: results };
}

async function plantTime(rig: Rig, clock: string): Promise<number> {
  const [v] = await readValues(rig.plant.session, [clock]);
  const t = plainValue(v).value;
  return typeof t === "number" ? t : Number.NaN;
}

/** Reads the confirming side until every signal shows pattern k, or the settle time (plant s) has passed. */
async function settle(run: IoCheckoutRunOptions, signals: CheckoutSignal[], k: number, startS: number, clock: string): Promise<PatternOutcome> {
  const { rig } = run;
  const session = signals[0]!.direction === "input" ? rig.plc.session : rig.plant.session;
  const nodeIds = signals.map((s) => s.nodeId);
  const wallLimit = performance.now() + ((run.options.settleS / rig.speed) * 3 + 10) * 1000;
  const seen = new Map<string, SignalValue | undefined>();
  for (;;) {
    const [values, t] = await Promise.all([readValues(session, nodeIds), plantTime(rig, clock)]);
    let all = true;
    signals.forEach((s, i) => {
      const r = plainValue(values[i]);
      const v = r.good ? (r.value as SignalValue | undefined) : undefined;
      seen.set(s.tag, v);
      if (!confirms(s, k, v)) all = false;
    });
    if (all || t - startS >= run.options.settleS || performance.now() > wallLimit) return { startS, endS: t, seen };
    await sleep(run.pollMs ?? 20);
  }
}

function signalResult(plan: CheckoutPlan, s: CheckoutSignal, outcomes: PatternOutcome[], classname: string): TestResult {
  const unit = s.unit ? ` ${s.unit}` : "";
  const show = (v: SignalValue | undefined) => (v === undefined ? "no value" : Array.isArray(v) ? `[${v.map(fmt).join(", ")}]${unit}` : typeof v === "number" ? `${fmt(v)}${unit}` : String(v));
  const [driver, reader] = s.direction === "input" ? ["the plant drove", "the PLC shows"] : ["the PLC was forced to", "the plant receives"];
  const seenSeq = outcomes.map((o) => o.seen.get(s.tag));
  const steps: StepResult[] = outcomes.map((o, k) => {
    const ok = confirms(s, k, seenSeq[k]);
    return {
      label: `${plan.patterns[k]}: ${driver} ${show(s.values[k])}, ${reader} ${show(seenSeq[k])}`,
      status: ok ? "passed" : "failed",
      startS: o.startS,
      durationS: o.endS - o.startS,
    };
  });
  const failed = steps.findIndex((st) => st.status === "failed");
  const result: TestResult = {
    name: `${s.tag} (${s.direction}, ${s.nodeId})`,
    classname,
    status: failed < 0 ? "passed" : "failed",
    durationS: 0,
    plantS: outcomes.length ? outcomes[outcomes.length - 1]!.endS - outcomes[0]!.startS : 0,
    steps,
  };
  if (failed < 0) return result;
  const o = outcomes[failed]!;
  const twins = lookalikes(plan, s, seenSeq);
  const side = s.direction === "input" ? "reads" : "writes";
  const cause = twins.length
    ? `What the ${s.direction === "input" ? "PLC shows" : "plant receives"} follows what was driven on ${twins.map((t) => `${t.tag} (${t.nodeId})`).join(", ")} in every pattern: the PLC ${side} ${s.tag} at that address instead of ${s.nodeId}.`
    : seenSeq.every((v) => v === undefined)
      ? `No value ever arrived: check that the PLC ${side} ${s.nodeId} at all.`
      : `Check the address, scaling and data type of ${s.tag} in the PLC.`;
  const expected = `${show(s.values[failed])} (± ${fmt(s.tolerance)}${unit}) within the settle time`;
  const seen = `${show(seenSeq[failed])}; over all patterns driven ${s.values.map(show).join(", ")} → seen ${seenSeq.map(show).join(", ")}`;
  result.failure = {
    step: failed,
    message: [
      `IO checkout of ${s.tag} (${s.direction}, ${s.nodeId}) failed at ${plan.patterns[failed]}: ${driver} ${show(s.values[failed])}, ${reader} ${show(seenSeq[failed])}.`,
      `Expected: ${expected}.`,
      `Seen: ${seen}.`,
      cause,
    ].join("\n"),
    expected,
    seen,
    faults: [],
    atS: o.endS,
    stepStartS: o.startS,
    trends: [
      { tag: `${s.direction === "input" ? "plant" : "plc"}:${s.tag} (driven)`, ...(s.unit ? { unit: s.unit } : {}), points: outcomes.map((p, k) => [p.endS, numeric(s.values[k])] as [number, number | null]) },
      { tag: `${s.direction === "input" ? "plc" : "plant"}:${s.tag} (seen)`, ...(s.unit ? { unit: s.unit } : {}), points: outcomes.map((p, k) => [p.endS, numeric(seenSeq[k])] as [number, number | null]) },
    ],
  };
  return result;
}

function skippedTest(s: CheckoutSignal, classname: string, reason: string): TestResult {
  return { name: `${s.tag} (${s.direction}, ${s.nodeId})`, classname, status: "skipped", skipped: reason, durationS: 0, plantS: 0, steps: [] };
}

function numeric(v: SignalValue | undefined): number | null {
  if (v === undefined) return null;
  const x = Array.isArray(v) ? v[0] : v;
  return x === undefined ? null : Number(x);
}
