/**
 * The suite runner's view of the plant and the PLC: polls the tags of the running test from both servers
 * (one read request each) together with the plant clock, and keeps their recent history for failure reports.
 *
 * Times are plant seconds. While the plant server is unreachable (a dropped connection) the clock runs on,
 * extrapolated from the wall clock and the plant speed, so timeouts still expire.
 */
import type { DataValue } from "node-opcua";
import { PatientReader, plainValue, type ClientLink } from "../opcua/client";
import type { Value } from "../suite/expression";
import type { ResolvedTag } from "./tag-directory";

export interface Sample {
  t: number;
  v: Value;
}

/** History kept per tag, plant seconds. */
const HISTORY_S = 600;
/** How long a poll waits for a server before counting it unreachable for this round, wall ms. */
const ANSWER_WITHIN_MS = 250;

export class Sampler {
  private readonly watched = new Map<string, ResolvedTag>();
  private readonly history = new Map<string, Sample[]>();
  private readonly current = new Map<string, { v: Value; status: string }>();
  private plantS = 0;
  private plantAtWall = performance.now();
  private reachable = true;
  private readonly plantReader: PatientReader;
  private readonly plcReader: PatientReader;

  constructor(
    plant: ClientLink,
    plc: ClientLink,
    private readonly simulationTimeNode: string,
    private readonly speed: number,
  ) {
    this.plantReader = new PatientReader(plant);
    this.plcReader = new PatientReader(plc);
  }

  watch(tags: Iterable<ResolvedTag>): void {
    for (const t of tags) this.watched.set(t.key, t);
  }

  /** Forgets watches and history (between tests). */
  reset(): void {
    this.watched.clear();
    this.history.clear();
    this.current.clear();
  }

  /** Plant seconds now (extrapolated while the plant server is unreachable). */
  now(): number {
    return this.reachable ? this.plantS : this.plantS + ((performance.now() - this.plantAtWall) / 1000) * this.speed;
  }

  plantReachable(): boolean {
    return this.reachable;
  }

  value(key: string): Value {
    return this.current.get(key)?.v;
  }

  /** Status name of the last read (`Good`, `BadSensorFailure`, `unreachable`…). */
  status(key: string): string {
    return this.current.get(key)?.status ?? "not read yet";
  }

  /** Samples of a tag from `fromS` on. */
  series(key: string, fromS = -Infinity): Sample[] {
    return (this.history.get(key) ?? []).filter((s) => s.t >= fromS);
  }

  /** One polling round: the plant clock and every watched tag, from both servers at once. */
  async poll(): Promise<void> {
    const plantTags = [...this.watched.values()].filter((t) => t.side === "plant");
    const plcTags = [...this.watched.values()].filter((t) => t.side === "plc");
    // A server that does not answer in time (a dropped connection) leaves its tags without value this round.
    const [plantResult, plcResult] = await Promise.all([
      this.plantReader.read([this.simulationTimeNode, ...plantTags.map((t) => t.nodeId)], ANSWER_WITHIN_MS),
      plcTags.length ? this.plcReader.read(plcTags.map((t) => t.nodeId), ANSWER_WITHIN_MS) : Promise.resolve([]),
    ]);
    if (plantResult) {
      const clock = plainValue(plantResult[0]);
      if (typeof clock.value === "number") {
        this.plantS = clock.value;
        this.plantAtWall = performance.now();
        this.reachable = true;
      }
    } else if (this.reachable) {
      this.plantS = this.now();
      this.plantAtWall = performance.now();
      this.reachable = false;
    }
    const t = this.now();
    const store = (tags: ResolvedTag[], values: DataValue[] | undefined, offset: number) => {
      tags.forEach((tag, i) => {
        let v: Value;
        let status: string;
        if (values) {
          const r = plainValue(values[i + offset]);
          v = typeof r.value === "number" || typeof r.value === "boolean" ? r.value : undefined;
          // A Bad value is no value for a condition; Uncertain ones still count.
          if (r.status.startsWith("Bad")) v = undefined;
          status = r.status;
        } else {
          v = undefined;
          status = "unreachable";
        }
        this.current.set(tag.key, { v, status });
        const h = this.history.get(tag.key) ?? [];
        h.push({ t, v });
        if (h.length > 50 && h[0]!.t < t - HISTORY_S) h.splice(0, h.findIndex((s) => s.t >= t - HISTORY_S));
        this.history.set(tag.key, h);
      });
    };
    store(plantTags, plantResult, 1);
    store(plcTags, plcResult, 0);
  }
}
