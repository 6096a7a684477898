/**
 * Runs one suite step against the rig and says how it went: passed, failed (a check did not hold: what was
 * expected, what was seen) or error (an action the plant or PLC refused). Waiting steps poll at `pollMs`
 * and measure time on the plant clock, so a suite means the same at ×1 and ×10.
 */
import { describeFault } from "../faults/fault-spec";
import { evaluate, refText, type TagRef, type Value } from "../suite/expression";
import type { Condition, Step } from "../suite/suite-parse";
import type { Rig } from "./rig";
import type { Sampler } from "./sampler";
import type { TagDirectory } from "./tag-directory";

export interface StepContext {
  rig: Rig;
  sampler: Sampler;
  directory: TagDirectory;
  /** Values captured by `capture` steps, read as $name. */
  vars: Map<string, Value>;
  pollMs: number;
  /** Ends a waiting step at its next poll when the run is cancelled. */
  signal?: AbortSignal;
}

export interface StepOutcome {
  status: "passed" | "failed" | "error";
  startS: number;
  endS: number;
  message?: string;
  expected?: string;
  seen?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runStep(step: Step, ctx: StepContext): Promise<StepOutcome> {
  const { rig, sampler, directory } = ctx;
  await sampler.poll();
  const startS = sampler.now();
  const done = (status: StepOutcome["status"], extra: Partial<StepOutcome> = {}): StepOutcome => ({ status, startS, endS: sampler.now(), ...extra });
  const value = (ref: TagRef) => sampler.value(directory.require(ref).key);
  const holds = (c: Condition) => evaluate(c.expr, value, (n) => ctx.vars.get(n));
  const a = step.action;
  try {
    switch (a.kind) {
      case "write":
        await rig.writePlc(Object.entries(a.values).map(([id, v]) => ({ id, value: v, tag: directory.require({ id, side: "plc" }) })));
        return done("passed");
      case "setState":
        await rig.setState(a.values);
        return done("passed");
      case "fault":
        await rig.injectFaults(a.faults);
        return done("passed");
      case "clearFaults":
        await rig.clearFaults(a.tags);
        return done("passed");
      case "dropConnection":
        await rig.dropConnections(a.seconds);
        return done("passed");
      case "wait":
        await pollFor(ctx, startS, a.seconds, () => false);
        return done("passed");
      case "capture": {
        for (const [name, c] of Object.entries(a.values)) {
          const v = holds(c);
          if (v === undefined) return done("failed", { expected: `a value for ${c.text}`, seen: seenText(ctx, c, startS), message: `capture $${name}: ${c.text} has no value` });
          ctx.vars.set(name, v);
        }
        return done("passed");
      }
      case "waitUntil":
        return await waitUntil(ctx, a, holds, startS, step.tags);
      case "assert": {
        let failedAt: number | undefined;
        let lastValue: Value;
        await pollFor(ctx, startS, a.forS, () => {
          lastValue = holds(a.condition);
          if (lastValue !== true) failedAt = sampler.now();
          return failedAt !== undefined;
        });
        if (failedAt === undefined) return done("passed");
        const expected = a.forS > 0 ? `${a.condition.text} throughout ${a.forS} s` : a.condition.text;
        const what = lastValue === undefined ? "is unknown (a tag has no value)" : "is false";
        const when = a.forS > 0 ? ` after ${fmt(failedAt - startS)} s of the ${a.forS} s` : "";
        return done("failed", { expected, seen: seenText(ctx, { tags: step.tags }, startS), message: `${a.condition.text} ${what}${when}` });
      }
      case "expectOrder":
        return await expectOrder(ctx, a, holds, startS);
    }
  } catch (err) {
    return done("error", { message: err instanceof Error ? err.message : String(err) });
  }
}

async function waitUntil(
  ctx: StepContext,
  a: Extract<Step["action"], { kind: "waitUntil" }>,
  holds: (c: Condition) => Value,
  startS: number,
  tags: TagRef[],
): Promise<StepOutcome> {
  let since: number | undefined;
  let longestHold = 0;
  let result: StepOutcome | undefined;
  await pollFor(ctx, startS, a.timeoutS, () => {
    const t = ctx.sampler.now();
    if (holds(a.condition) === true) {
      since ??= t;
      longestHold = Math.max(longestHold, t - since);
      if (t - since >= a.holdS) {
        if (since - startS < a.notBeforeS) {
          result = {
            status: "failed",
            startS,
            endS: t,
            expected: `${a.condition.text} not before ${a.notBeforeS} s`,
            seen: seenText(ctx, { tags }, startS),
            message: `${a.condition.text} became true after ${fmt(since - startS)} s, sooner than the ${a.notBeforeS} s it must take`,
          };
        } else {
          result = { status: "passed", startS, endS: t };
        }
        return true;
      }
    } else {
      since = undefined;
    }
    return false;
  });
  if (result) return result;
  const held = a.holdS > 0 && longestHold > 0 ? ` (it held for ${fmt(longestHold)} s at most, ${a.holdS} s were needed)` : "";
  return {
    status: "failed",
    startS,
    endS: ctx.sampler.now(),
    expected: `${a.condition.text} within ${a.timeoutS} s${a.holdS ? `, holding ${a.holdS} s` : ""}`,
    seen: seenText(ctx, { tags }, startS),
    message: `timed out after ${a.timeoutS} s: ${a.condition.text} did not become true${held}`,
  };
}

/**
 * Each condition must become true after the one before it. A condition counts once the previous one has
 * become true (the first may already hold at the start); a later condition that rises (false → true) while an
 * earlier one has not yet become true breaks the order.
 */
async function expectOrder(ctx: StepContext, a: Extract<Step["action"], { kind: "expectOrder" }>, holds: (c: Condition) => Value, startS: number): Promise<StepOutcome> {
  const first: (number | undefined)[] = a.conditions.map(() => undefined);
  const previous = a.conditions.map((c) => holds(c) === true);
  let problem: string | undefined;
  const at = (i: number) => (first[i] === undefined ? "not yet" : `at +${fmt(first[i]! - startS)} s`);
  await pollFor(ctx, startS, a.timeoutS, () => {
    const t = ctx.sampler.now();
    a.conditions.forEach((c, i) => {
      const now = holds(c) === true;
      const rose = now && !previous[i];
      previous[i] = now;
      if (first[i] !== undefined) return;
      const pending = first.slice(0, i).findIndex((f) => f === undefined);
      if (pending < 0 && now) first[i] = t;
      else if (pending >= 0 && rose && !problem) problem = `${c.text} became true at +${fmt(t - startS)} s, before ${a.conditions[pending]!.text} (${at(pending)})`;
    });
    if (problem) return true;
    for (let i = 1; i < first.length; i++) {
      if (a.maxGapS !== undefined && first[i] !== undefined && first[i]! - first[i - 1]! > a.maxGapS) {
        problem = `${a.conditions[i]!.text} came ${fmt(first[i]! - first[i - 1]!)} s after ${a.conditions[i - 1]!.text}, more than the ${a.maxGapS} s allowed`;
        return true;
      }
    }
    return first.every((f) => f !== undefined);
  });
  const expected = `${a.conditions.map((c) => c.text).join(", then ")} within ${a.timeoutS} s${a.maxGapS !== undefined ? `, each within ${a.maxGapS} s of the one before` : ""}`;
  const seen = a.conditions.map((c, i) => `${c.text}: ${at(i)}`).join("; ");
  if (problem) return { status: "failed", startS, endS: ctx.sampler.now(), expected, seen, message: problem };
  const missing = first.findIndex((f) => f === undefined);
  if (missing >= 0) {
    return { status: "failed", startS, endS: ctx.sampler.now(), expected, seen: `${seen}. ${seenText(ctx, a.conditions[missing]!, startS)}`, message: `timed out after ${a.timeoutS} s: ${a.conditions[missing]!.text} did not become true` };
  }
  return { status: "passed", startS, endS: ctx.sampler.now() };
}

/**
 * Polls until `check` returns true or `seconds` plant seconds passed since `startS`. A plant clock that stops
 * (a dead plant server) ends the wait on a wall-clock guard instead of hanging the run.
 */
async function pollFor(ctx: StepContext, startS: number, seconds: number, check: () => boolean): Promise<void> {
  const wallLimit = performance.now() + ((seconds / ctx.rig.speed) * 3 + 15) * 1000;
  for (;;) {
    if (ctx.signal?.aborted) return;
    if (check()) return;
    if (ctx.sampler.now() - startS >= seconds) return;
    if (performance.now() > wallLimit) throw new Error(`the plant clock did not advance ${seconds} s in time (is the plant server running?)`);
    await sleep(ctx.pollMs);
    await ctx.sampler.poll();
  }
}

/** What the tags of a condition did since `fromS`, e.g. `cell.state went 1 → 2 at +3.4 s; bufferTank.level 1.20…1.31`. */
export function seenText(ctx: StepContext, c: Condition | { tags: TagRef[] }, fromS: number): string {
  const refs = "expr" in c ? collectRefs(c) : c.tags;
  return refs.map((ref) => `${refText(ref)} ${describeSeries(ctx, ref, fromS)}`).join("; ");
}

function collectRefs(c: Condition): TagRef[] {
  const out: TagRef[] = [];
  const walk = (e: Condition["expr"]): void => {
    if (e.kind === "tag") {
      if (!out.some((r) => r.id === e.ref.id && r.side === e.ref.side)) out.push(e.ref);
    } else if (e.kind === "not" || e.kind === "neg") walk(e.arg);
    else if (e.kind === "binary") [e.left, e.right].forEach(walk);
    else if (e.kind === "in") [e.arg, e.low, e.high].forEach(walk);
    else if (e.kind === "call") e.args.forEach(walk);
  };
  walk(c.expr);
  return out;
}

export function describeSeries(ctx: StepContext, ref: TagRef, fromS: number): string {
  const tag = ctx.directory.resolve(ref);
  if (typeof tag === "string") return `(${tag})`;
  const samples = ctx.sampler.series(tag.key, fromS);
  const unit = tag.unit ? ` ${tag.unit}` : "";
  const known = samples.filter((s) => s.v !== undefined);
  if (known.length === 0) return `had no value (${ctx.sampler.status(tag.key)})`;
  const shown = (v: Value) => (typeof v === "number" ? `${fmt(v)}${unit}` : String(v));
  const distinct = new Set(known.map((s) => String(s.v)));
  if (distinct.size === 1) return `= ${shown(known[0]!.v)} throughout`;
  if (typeof known[0]!.v === "boolean" || distinct.size <= 6) {
    const changes: string[] = [shown(known[0]!.v)];
    for (let i = 1; i < known.length && changes.length < 6; i++) {
      if (known[i]!.v !== known[i - 1]!.v) changes.push(`${shown(known[i]!.v)} at +${fmt(known[i]!.t - fromS)} s`);
    }
    return `went ${changes.join(" → ")}`;
  }
  const nums = known.map((s) => Number(s.v));
  return `went from ${shown(nums[0])} to ${shown(nums[nums.length - 1])} (min ${fmt(Math.min(...nums))}, max ${fmt(Math.max(...nums))}${unit})`;
}

/** A number as an engineer reads it: four significant digits, no trailing zeros. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

export function faultLines(faults: { spec: Parameters<typeof describeFault>[0]; state: string }[]): string[] {
  return faults.map((f) => `${describeFault(f.spec)}${f.state === "scheduled" ? " (scheduled)" : ""}`);
}
