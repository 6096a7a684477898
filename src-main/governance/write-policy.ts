/**
 * The write policy as pure functions: each rule of a tag's `write` block (and each interlock) becomes a
 * check that passes or fails with a reason naming the tag and the rule. No clock, no database, no plant:
 * everything comes in as arguments, so the rules are property-tested on their own.
 */
import type { Approval, PolicyCheck, Role } from "../common/api/governance";
import type { WritableTag } from "./policy-book";
import type { ConnectionHealth, WriteValue } from "./plc-writer";
import { atLeast } from "./roles";

/** Checks that, failing, mean the proposal can never be approved: it is rejected when made. */
export const HARD_RULES: ReadonlySet<PolicyCheck["rule"]> = new Set(["writable", "type", "limits", "maxStep"]);

const pass = (rule: PolicyCheck["rule"], reason: string): PolicyCheck => ({ rule, pass: true, reason });
const fail = (rule: PolicyCheck["rule"], reason: string): PolicyCheck => ({ rule, pass: false, reason });

/** A number as people read it (6 significant digits) with its unit. */
export function show(value: WriteValue, unit?: string): string {
  if (typeof value === "boolean") return String(value);
  const n = Number(value.toPrecision(6));
  return unit ? `${n} ${unit}` : String(n);
}

const asNumber = (v: WriteValue): number => (typeof v === "boolean" ? (v ? 1 : 0) : v);

/** Floating point slack so that 0.1 + 0.3 steps are not refused against a limit of 0.4. */
const within = (x: number, limit: number) => x <= limit + Math.abs(limit) * 1e-9 + 1e-12;

/**
 * The value in the tag's type: a Boolean tag takes true/false (or 0/1), an integer tag an integer, any
 * numeric tag a finite number. Returns the value, or the failed `type` check.
 */
export function normaliseValue(tag: WritableTag, raw: WriteValue): { value: WriteValue } | { check: PolicyCheck } {
  const id = tag.tagId;
  if (tag.dataType === "Boolean") {
    if (typeof raw === "boolean") return { value: raw };
    if (raw === 0 || raw === 1) return { value: raw === 1 };
    return { check: fail("type", `${id}: ${String(raw)} is not a Boolean (true/false)`) };
  }
  if (tag.dataType === "DoubleArray") return { check: fail("type", `${id}: array tags cannot be written through a proposal`) };
  if (typeof raw !== "number" || !Number.isFinite(raw)) return { check: fail("type", `${id}: ${String(raw)} is not a finite number`) };
  if ((tag.dataType === "Int32" || tag.dataType === "UInt32") && !Number.isInteger(raw)) {
    return { check: fail("type", `${id}: ${raw} is not an integer (${tag.dataType})`) };
  }
  return { value: raw };
}

/** min/max and maxStep: rules of the value itself. */
export function valueChecks(tag: WritableTag, value: WriteValue, from: WriteValue | null): PolicyCheck[] {
  const { policy: p, tagId: id, unit } = tag;
  const v = asNumber(value);
  const checks: PolicyCheck[] = [];
  if (v < p.min) checks.push(fail("limits", `${id}: ${show(value, unit)} is below min ${show(p.min, unit)}`));
  else if (v > p.max) checks.push(fail("limits", `${id}: ${show(value, unit)} exceeds max ${show(p.max, unit)}`));
  else checks.push(pass("limits", `${id}: ${show(value, unit)} within [${show(p.min)}, ${show(p.max, unit)}]`));
  if (p.maxStep !== undefined) {
    if (from === null) checks.push(fail("maxStep", `${id}: current value unknown, so the step cannot be checked against maxStep ${show(p.maxStep, unit)}`));
    else {
      const step = Math.abs(v - asNumber(from));
      checks.push(
        within(step, p.maxStep)
          ? pass("maxStep", `${id}: step ${show(step, unit)} within maxStep ${show(p.maxStep, unit)}`)
          : fail("maxStep", `${id}: step ${show(step, unit)} exceeds maxStep ${show(p.maxStep, unit)}`),
      );
    }
  }
  return checks;
}

/** maxRatePerS against the previous applied write of this tag. */
export function rateCheck(tag: WritableTag, value: WriteValue, lastWrite: { value: WriteValue; at: number } | null, now: number): PolicyCheck | null {
  const { policy: p, tagId: id, unit } = tag;
  if (p.maxRatePerS === undefined) return null;
  const perS = unit ? `${unit}/s` : "/s";
  if (!lastWrite) return pass("maxRatePerS", `${id}: no earlier write recorded, maxRatePerS ${show(p.maxRatePerS)} ${perS} not limiting`);
  const step = Math.abs(asNumber(value) - asNumber(lastWrite.value));
  if (step === 0) return pass("maxRatePerS", `${id}: no change since the last write`);
  const dtS = Math.max(0, now - lastWrite.at) / 1000;
  const rate = dtS > 0 ? step / dtS : Infinity;
  if (within(rate, p.maxRatePerS)) return pass("maxRatePerS", `${id}: rate ${show(rate)} ${perS} within maxRatePerS ${show(p.maxRatePerS)} ${perS}`);
  const waitS = Math.ceil(step / p.maxRatePerS - dtS);
  return fail(
    "maxRatePerS",
    `${id}: rate ${Number.isFinite(rate) ? show(rate) : "∞"} ${perS} exceeds maxRatePerS ${show(p.maxRatePerS)} ${perS} ` +
      `(step ${show(step, unit)} ${show(dtS)} s after the last write; possible in ${waitS} s)`,
  );
}

export interface InterlockSnapshot {
  connection: ConnectionHealth;
  staleInputs: readonly string[];
  anomalies: readonly string[];
}

/** No write while the link is down or degraded, the inputs are stale, or the anomaly detector alarms nearby. */
export function interlockChecks(tag: WritableTag, s: InterlockSnapshot): PolicyCheck[] {
  const id = tag.tagId;
  return [
    s.connection.health === "up"
      ? pass("interlock.connection", `${id}: connection ${tag.connection} is up`)
      : fail("interlock.connection", `${id}: interlock: connection ${tag.connection} is ${s.connection.health} (${s.connection.detail}); no writes while it is down or degraded`),
    s.staleInputs.length === 0
      ? pass("interlock.stale", `${id}: inputs are fresh`)
      : fail("interlock.stale", `${id}: interlock: stale inputs ${s.staleInputs.join(", ")}`),
    s.anomalies.length === 0
      ? pass("interlock.anomaly", `${id}: no anomaly alarm on related tags`)
      : fail("interlock.anomaly", `${id}: interlock: anomaly detector alarming on ${s.anomalies.join(", ")}`),
  ];
}

/** Whether the plant is still in the state the proposal was computed for. `drifted` means it never will be again. */
export function plantStateCheck(tag: WritableTag, from: WriteValue | null, current: WriteValue | null, tolerance: number): PolicyCheck & { drifted: boolean } {
  const id = tag.tagId;
  if (current === null) return { ...fail("plantState", `${id}: current value unknown (no Good value)`), drifted: false };
  if (from === null) return { ...pass("plantState", `${id}: the proposal assumes no starting value`), drifted: false };
  const diff = Math.abs(asNumber(current) - asNumber(from));
  if (within(diff, tolerance)) return { ...pass("plantState", `${id}: current ${show(current, tag.unit)} as assumed`), drifted: false };
  return {
    ...fail("plantState", `${id}: the plant moved: current ${show(current, tag.unit)} differs from the assumed ${show(from, tag.unit)} by more than ${show(tolerance, tag.unit)}`),
    drifted: true,
  };
}

/** How far the plant may move from `from` before a proposal expires: 0.5 % of the span, exact for Booleans. */
export function defaultDriftTolerance(tag: WritableTag): number {
  return tag.dataType === "Boolean" ? 0 : (tag.policy.max - tag.policy.min) * 0.005;
}

export interface Approver {
  userId: number;
  username: string;
  role: Role;
}

/** approveRole and the two-person rule, for one more approval of a proposal. */
export function approverChecks(
  tag: WritableTag,
  proposal: { proposerUserId: number | null; proposedBy: string; approvals: readonly Approval[] },
  approver: Approver,
): PolicyCheck[] {
  const { policy: p, tagId: id } = tag;
  const checks = [
    atLeast(approver.role, p.approveRole)
      ? pass("approveRole", `${id}: ${approver.username} (${approver.role}) may approve (approveRole ${p.approveRole})`)
      : fail("approveRole", `${id}: approveRole ${p.approveRole} required; ${approver.username} is ${approver.role}`),
  ];
  if (!p.twoPerson) return checks;
  if (proposal.proposerUserId === approver.userId) {
    checks.push(fail("twoPerson", `${id}: twoPerson rule: ${approver.username} proposed this change and may not approve it`));
  } else if (proposal.approvals.some((a) => a.userId === approver.userId)) {
    checks.push(fail("twoPerson", `${id}: twoPerson rule: ${approver.username} has already approved; a second, different user must approve`));
  } else {
    checks.push(pass("twoPerson", `${id}: twoPerson rule: approval ${proposal.approvals.length + 1} of 2 by ${approver.username}, not the proposer (${proposal.proposedBy})`));
  }
  return checks;
}

/** Approvals a tag needs: two on a two-person tag, else one. */
export const approvalsNeeded = (tag: WritableTag): number => (tag.policy.twoPerson ? 2 : 1);

/** The optional auto-approve band: small routine changes go through without a person, if every other check passes. */
export function autoApproveCheck(tag: WritableTag, from: WriteValue | null, value: WriteValue, others: readonly PolicyCheck[]): PolicyCheck {
  const { policy: p, tagId: id, unit } = tag;
  if (p.autoApproveBand === undefined) return fail("autoApproveBand", `${id}: autoApproveBand off (not configured)`);
  if (p.twoPerson) return fail("autoApproveBand", `${id}: autoApproveBand does not apply to a two-person tag`);
  if (from === null) return fail("autoApproveBand", `${id}: autoApproveBand needs a known current value`);
  const step = Math.abs(asNumber(value) - asNumber(from));
  if (!within(step, p.autoApproveBand)) return fail("autoApproveBand", `${id}: step ${show(step, unit)} exceeds autoApproveBand ${show(p.autoApproveBand, unit)}`);
  const failed = others.filter((c) => !c.pass);
  if (failed.length > 0) return fail("autoApproveBand", `${id}: within autoApproveBand but ${failed.map((c) => c.rule).join(", ")} failed`);
  return pass("autoApproveBand", `${id}: step ${show(step, unit)} within autoApproveBand ${show(p.autoApproveBand, unit)}: approved automatically`);
}

/** Whether a read-back value is the value written, allowing for the node's precision. */
export function sameValue(tag: WritableTag, written: WriteValue, readBack: WriteValue | null): boolean {
  if (readBack === null) return false;
  if (tag.dataType === "Boolean") return asNumber(written) === asNumber(readBack);
  const a = asNumber(written);
  const b = asNumber(readBack);
  // Float nodes keep single precision; Double and integer nodes must give back what was sent.
  const relative = tag.dataType === "Float" ? 1e-6 : 1e-12;
  return Math.abs(a - b) <= relative * Math.max(1, Math.abs(a));
}
