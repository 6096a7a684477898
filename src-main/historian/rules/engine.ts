/**
 * The rule engine: runs every rule of a tag over each arriving value, sets the value's flag bits (and
 * `quarantined` when a quarantining rule fired), and keeps a validation state per tag for the UI: which
 * rules are active, since when, and why. Stale is checked by `tick(now)`. Deterministic: the same values
 * in the same order give the same flags, which is what makes replay reproduce live runs.
 */
import type { HistorianSample, RuleName } from "../sample";
import { isUsable, QualityFlag, RULE_NAMES, scalarOf } from "../sample";
import { resolveRules, type ResolvedRules, type RuleTag } from "../rules-schema";
import { checkDrift, createDriftState, type DriftState } from "./drift";
import { checkNonFinite, checkNonFiniteArray } from "./non-finite";
import { checkRange, checkRangeArray } from "./range";
import { checkRate, createRateState, type RateState } from "./rate";
import { checkSpike, createSpikeState, type SpikeState } from "./spike";
import { checkStale } from "./stale";
import { checkStuck, createStuckState, type StuckState } from "./stuck";

/** A rule that fired on a value (or, for stale, at a tick). */
export interface RuleFinding {
  tagId: string;
  rule: RuleName;
  /** Source time of the value, or the tick time for stale. */
  at: number;
  /** Human message, e.g. "bufferTank.level: rate of change 3.2 m/s exceeds 0.5 m/s". */
  message: string;
  quarantined: boolean;
}

export interface ActiveRule {
  rule: RuleName;
  /** When it started firing (source time of the first value that broke it). */
  since: number;
  lastAt: number;
  /** Message of the latest firing. */
  message: string;
  /** Whether the values it flags are kept from the estimator. */
  quarantines: boolean;
  /** Values flagged since it became active. */
  count: number;
}

/** What the UI shows per tag. `ok` is true when no rule is active. */
export interface TagValidationState {
  tagId: string;
  ok: boolean;
  active: ActiveRule[];
  /** Source time of the newest value, or null before the first one. */
  lastValueAt: number | null;
}

interface TagState {
  rules: ResolvedRules;
  rate: RateState | null;
  stuck: StuckState | null;
  spike: SpikeState | null;
  drift: DriftState | null;
  /** Arrival time of the newest value (for stale). */
  lastSeen: number | null;
  lastValueAt: number | null;
  /** Newest usable value: the reference of tags that drift-check against this one. */
  latest: { ts: number; value: number } | null;
  /** Newest model prediction (drift against "model"). */
  expected: { ts: number; value: number } | null;
  /** Active rules by index in RULE_NAMES. */
  active: (ActiveRule | undefined)[];
}

const INDEX = Object.fromEntries(RULE_NAMES.map((r, k) => [r, k])) as Record<RuleName, number>;

export class RuleEngine {
  private readonly tags = new Map<string, TagState>();
  private readonly listeners = new Set<(state: TagValidationState) => void>();

  constructor(tags: readonly RuleTag[] = []) {
    for (const t of tags) this.addTag(t);
  }

  /** Adds (or replaces) a tag's rules. Values of unknown tags are checked with the defaults of a bare tag. */
  addTag(tag: RuleTag): void {
    const rules = resolveRules(tag);
    this.tags.set(tag.id, {
      rules,
      rate: rules.maxRatePerS !== null ? createRateState() : null,
      stuck: rules.stuck ? createStuckState() : null,
      spike: rules.spike ? createSpikeState() : null,
      drift: rules.drift ? createDriftState() : null,
      lastSeen: null,
      lastValueAt: null,
      latest: null,
      expected: null,
      active: new Array<ActiveRule | undefined>(RULE_NAMES.length),
    });
  }

  rulesOf(tagId: string): ResolvedRules | undefined {
    return this.tags.get(tagId)?.rules;
  }

  /** Called whenever a tag's set of active rules changes. Returns the unsubscribe function. */
  onChange(listener: (state: TagValidationState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Checks one value, ORs the bits of the rules that fired into `row.flags` and returns the flags.
   * `receivedAt` (default: the source time) feeds the stale check. Findings are appended when asked for.
   * Bad-quality values are not judged (the device already said so); they only count as an update.
   */
  check(row: HistorianSample, receivedAt = row.sourceTs, findings?: RuleFinding[]): number {
    let tag = this.tags.get(row.tagId);
    if (!tag) {
      this.addTag({ id: row.tagId });
      tag = this.tags.get(row.tagId)!;
    }
    tag.lastSeen = tag.lastSeen === null ? receivedAt : Math.max(tag.lastSeen, receivedAt);
    tag.lastValueAt = tag.lastValueAt === null ? row.sourceTs : Math.max(tag.lastValueAt, row.sourceTs);
    if (tag.active[INDEX.stale]) this.set(tag, "stale", null, row.sourceTs, findings);
    if (row.quality === "bad") return row.flags;

    const r = tag.rules;
    const ts = row.sourceTs;
    const v = row.value;
    let fired = 0;
    if (typeof v === "number") {
      fired |= this.set(tag, "nonFinite", checkNonFinite(v), ts, findings);
      if (Number.isFinite(v)) {
        if (r.range) fired |= this.set(tag, "range", checkRange(v, r.range, r.unit), ts, findings);
        if (tag.rate) fired |= this.set(tag, "rate", checkRate(tag.rate, r.maxRatePerS!, ts, v, r.unit), ts, findings);
        if (tag.stuck) fired |= this.set(tag, "stuck", checkStuck(tag.stuck, r.stuck!, ts, v, r.unit), ts, findings);
        if (tag.spike) fired |= this.set(tag, "spike", checkSpike(tag.spike, r.spike!, ts, v, r.unit), ts, findings);
        if (tag.drift) {
          const d = r.drift!;
          const ref = d.against === "model" ? tag.expected : (this.tags.get(d.against)?.latest ?? null);
          // A reference older than the averaging window says nothing about now.
          if (ref && Math.abs(ts - ref.ts) <= d.windowMs) {
            fired |= this.set(tag, "drift", checkDrift(tag.drift, d, ts, v, ref.value, r.unit), ts, findings);
          }
        }
      }
    } else if (Array.isArray(v)) {
      fired |= this.set(tag, "nonFinite", checkNonFiniteArray(v), ts, findings);
      if (r.range) fired |= this.set(tag, "range", checkRangeArray(v, r.range, r.unit), ts, findings);
    }
    if (fired !== 0) {
      row.flags |= fired;
      if ((fired & r.quarantineMask) !== 0) row.flags |= QualityFlag.quarantined;
    }
    if (isUsable(row) && (tag.latest === null || ts >= tag.latest.ts)) {
      const value = scalarOf(v)!;
      if (tag.latest === null) tag.latest = { ts, value };
      else {
        tag.latest.ts = ts; // updated in place: this runs for every value
        tag.latest.value = value;
      }
    }
    return row.flags;
  }

  /** The model's prediction of a tag at `ts`, the reference of a drift rule `against: model`. */
  expect(tagId: string, ts: number, value: number): void {
    const tag = this.tags.get(tagId);
    if (tag) tag.expected = { ts, value };
  }

  /** Stale check at `now` (same clock as `receivedAt`). A tag never heard of counts from the first tick. */
  tick(now: number, findings?: RuleFinding[]): void {
    for (const tag of this.tags.values()) {
      const r = tag.rules;
      if (r.staleAfterMs === null) continue;
      if (tag.lastSeen === null) tag.lastSeen = now;
      const message = checkStale(tag.lastSeen, now, { staleAfterMs: r.staleAfterMs, expectedIntervalMs: r.expectedIntervalMs });
      // Only the onset is news: re-firing every tick would flood listeners.
      if (message !== null && !tag.active[INDEX.stale]) this.set(tag, "stale", message, tag.lastSeen + r.staleAfterMs, findings);
      else if (message !== null) tag.active[INDEX.stale]!.message = `${r.tagId}: ${message}`;
    }
  }

  state(tagId: string): TagValidationState | undefined {
    const tag = this.tags.get(tagId);
    return tag && snapshot(tag);
  }

  states(): TagValidationState[] {
    return [...this.tags.values()].map(snapshot);
  }

  /** Records a rule's verdict; returns its flag bit when it fired, else 0. */
  private set(tag: TagState, rule: RuleName, message: string | null, at: number, findings?: RuleFinding[]): number {
    const k = INDEX[rule];
    const active = tag.active[k];
    if (message === null) {
      if (active) {
        tag.active[k] = undefined;
        this.changed(tag);
      }
      return 0;
    }
    const bit = QualityFlag[rule];
    const quarantines = (tag.rules.quarantineMask & bit) !== 0;
    const full = `${tag.rules.tagId}: ${message}`;
    if (active) {
      active.lastAt = at;
      active.message = full;
      active.count++;
    } else {
      tag.active[k] = { rule, since: at, lastAt: at, message: full, quarantines, count: rule === "stale" ? 0 : 1 };
      this.changed(tag);
    }
    findings?.push({ tagId: tag.rules.tagId, rule, at, message: full, quarantined: quarantines });
    return rule === "stale" ? 0 : bit;
  }

  private changed(tag: TagState): void {
    if (this.listeners.size === 0) return;
    const s = snapshot(tag);
    for (const l of this.listeners) l(s);
  }
}

function snapshot(tag: TagState): TagValidationState {
  const active = tag.active.filter((a): a is ActiveRule => a !== undefined).map((a) => ({ ...a }));
  return { tagId: tag.rules.tagId, ok: active.length === 0, active, lastValueAt: tag.lastValueAt };
}
