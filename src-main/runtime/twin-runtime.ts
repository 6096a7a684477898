/**
 * The runtime that owns the plant for one scene: its OPC UA connections, the live tag table, and the
 * implementation of every API method. Both hosts (Electron, headless) wrap the same runtime.
 * Never imports electron.
 */
import { EventEmitter } from "node:events";
import { join } from "node:path";
import type { ConnectionStatus, EventName, EventPayload, PlantStatus, TagSample } from "../common/api/contract";
import type { Scene } from "../common/scene/schema";
import type { ApiHandlers } from "../host/dispatcher";
import { Historian, historianTagsOfScene } from "../historian/historian";
import { PlantLink, freshnessTagSamples, toTagSample, type PlantConnection } from "../plant";
import { EstimatorLoop } from "./estimator-loop";
import { TagTable } from "./tag-table";
import { VERSION } from "./version";

export interface TwinRuntimeOptions {
  scene: Scene;
  sceneFile: string;
  host: "electron" | "headless";
  /** Folder for this installation's data (PKI, historian). */
  dataFolder: string;
  /** The simulated plant's degradation speed-up, told to the estimator; 1 (the default) for a real plant. */
  degradationSpeedup?: number;
  /** Replaces the first connection's endpoint (the CLI's --endpoint). */
  endpointOverride?: string;
  /** How often batched values are pushed to the UI. */
  publishEveryMs?: number;
  log?(line: string): void;
}

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

export class TwinRuntime {
  readonly table: TagTable;
  readonly scene: Scene;
  private readonly connections: PlantConnection[] = [];
  private readonly events = new EventEmitter();
  private pending: TagSample[] = [];
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  private statusTimer: ReturnType<typeof setInterval> | undefined;
  private readonly startedAt = Date.now();
  private firstValue: Promise<void>;
  private resolveFirstValue!: () => void;
  /** Every value with its quality and validation flags, on disk. */
  readonly historian: Historian;
  readonly estimator: EstimatorLoop;
  private lastEstimateEmit = 0;

  constructor(private readonly options: TwinRuntimeOptions) {
    this.scene = options.endpointOverride ? withEndpoint(options.scene, options.endpointOverride) : options.scene;
    this.table = new TagTable(this.scene);
    this.events.setMaxListeners(100);
    this.firstValue = new Promise((resolve) => (this.resolveFirstValue = resolve));
    this.historian = Historian.open({
      folder: join(options.dataFolder, "historian"),
      tags: historianTagsOfScene(this.scene, this.table.tags),
      writer: { onError: (err) => options.log?.(`historian: ${err instanceof Error ? err.message : String(err)}`) },
    });
    this.estimator = new EstimatorLoop({
      scene: this.scene,
      degradationSpeedup: options.degradationSpeedup ?? 1,
      log: options.log,
      record: (rows) => void this.historian.record(rows, { validate: false }),
      onEstimate: (snapshot) => {
        // A few estimates a second are plenty for the UI; the loop itself runs at the scene's rate.
        if (snapshot.t - this.lastEstimateEmit < 250) return;
        this.lastEstimateEmit = snapshot.t;
        this.emit("estimation.estimate", snapshot);
      },
    });
  }

  /** Starts connecting; resolves when every connection has been asked to open (not when connected). */
  start(): void {
    const publishEveryMs = this.options.publishEveryMs ?? 50;
    this.flushTimer = setInterval(() => this.flush(), publishEveryMs);
    this.statusTimer = setInterval(() => {
      this.historian.tick(Date.now());
      this.emit("plant.status", this.status());
    }, 1_000);
    this.estimator.start().catch((err: unknown) => this.options.log?.(`estimator: ${err instanceof Error ? err.message : String(err)}`));
    {
      // One link for all of the scene's connections; the contract's TagSample until it carries PlantSample.
      const link: PlantLink = new PlantLink({
        pkiFolder: join(this.options.dataFolder, "pki", "client"),
        connections: this.scene.connections.map((c) => ({ id: c.id, endpoint: c.endpoint, securityMode: c.securityMode, securityPolicy: c.securityPolicy })),
        tags: this.table.tags.map((t) => ({ index: t.index, connection: t.connection, nodeId: t.nodeId, samplingMs: this.samplingOf(t.assetId, t.key) })),
        onSamples: (samples) => this.receive(samples.map(toTagSample)),
        // Freshness goes to the live view only: the historian and the estimator get delivered values, never
        // a stale mark (a client-clock time among source times) nor a re-sent last value (a duplicate).
        onFreshness: (change) => {
          const samples = freshnessTagSamples(change, (tag) => link.lastSample(tag));
          this.table.record(samples);
          for (const sample of samples) this.pending.push(sample);
        },
        onStatus: (s) => this.onConnectionStatus(link.connection(s.id)!.current),
        log: this.options.log,
      });
      this.connections.push(...link.connections);
      link.open().catch((err: unknown) => {
        this.options.log?.(`plant link failed: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
  }

  /** Resolves when the first live value has arrived. */
  whenFirstValue(): Promise<void> {
    return this.firstValue;
  }

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  status(): PlantStatus {
    const now = Date.now();
    return {
      connections: this.connections.map((c) => c.current),
      updateRateHz: this.table.updateRateHz(now),
      lastValueAt: this.table.newestValueAt,
      now,
    };
  }

  /** The implementation of the API contract. */
  readonly handlers: ApiHandlers = {
    "app.info": () => ({
      name: "twinbench",
      version: VERSION,
      host: this.options.host,
      sceneFile: this.options.sceneFile,
      startedAt: this.startedAt,
    }),
    "scene.get": () => this.scene,
    "tags.list": () => this.table.tags,
    "tags.snapshot": () => this.table.snapshot(),
    "plant.status": () => this.status(),
    "trend.history": ({ tagIds, since, maxPoints }) => {
      const unknown = tagIds.filter((id) => !this.table.tag(id));
      if (unknown.length > 0) throw new Error(`unknown tag id(s): ${unknown.join(", ")}`);
      return this.table.trend(tagIds, since ?? 0, maxPoints);
    },
    "estimation.info": () => this.estimator.info(),
    "estimation.latest": () => this.estimator.latest(),
    "estimation.history": ({ variables, since }) => this.estimator.historyOf(variables, since),
    "estimation.predict": ({ horizonS, samples }) => this.estimator.predict(horizonS, samples),
  };

  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.statusTimer);
    await Promise.allSettled(this.connections.map((c) => c.close()));
    await this.estimator.stop();
    await this.historian.close();
    this.events.removeAllListeners();
  }

  private samplingOf(assetId: string, key: string): number {
    return this.scene.assets.find((a) => a.id === assetId)!.tags[key]!.samplingMs;
  }

  private receive(samples: TagSample[]): void {
    this.table.record(samples);
    const { rows } = this.historian.receive(samples);
    this.estimator.push(rows);
    for (const s of samples) this.pending.push(s);
    if (samples.length > 0) this.resolveFirstValue();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const samples = this.pending;
    this.pending = [];
    this.emit("tags.values", { samples });
  }

  private onConnectionStatus(_s: ConnectionStatus): void {
    this.emit("plant.status", this.status());
  }

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.events.emit(event, payload);
  }
}

function withEndpoint(scene: Scene, endpoint: string): Scene {
  const [first, ...rest] = scene.connections;
  return { ...scene, connections: [{ ...first!, endpoint }, ...rest] };
}
