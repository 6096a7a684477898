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
import { PlantConnection } from "../plant/plant-connection";
import { TagTable } from "./tag-table";
import { VERSION } from "./version";

export interface TwinRuntimeOptions {
  scene: Scene;
  sceneFile: string;
  host: "electron" | "headless";
  /** Folder for this installation's data (PKI, later the historian). */
  dataFolder: string;
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

  constructor(private readonly options: TwinRuntimeOptions) {
    this.scene = options.endpointOverride ? withEndpoint(options.scene, options.endpointOverride) : options.scene;
    this.table = new TagTable(this.scene);
    this.events.setMaxListeners(100);
    this.firstValue = new Promise((resolve) => (this.resolveFirstValue = resolve));
  }

  /** Starts connecting; resolves when every connection has been asked to open (not when connected). */
  start(): void {
    const publishEveryMs = this.options.publishEveryMs ?? 50;
    this.flushTimer = setInterval(() => this.flush(), publishEveryMs);
    this.statusTimer = setInterval(() => this.emit("plant.status", this.status()), 1_000);
    for (const c of this.scene.connections) {
      const tags = this.table.tags
        .filter((t) => t.connection === c.id)
        .map((t) => ({ index: t.index, nodeId: t.nodeId, samplingMs: this.samplingOf(t.assetId, t.key) }));
      const connection = new PlantConnection({
        id: c.id,
        endpoint: c.endpoint,
        securityMode: c.securityMode,
        securityPolicy: c.securityPolicy,
        pkiFolder: join(this.options.dataFolder, "pki", "client"),
        tags,
        onSamples: (samples) => this.receive(samples),
        onStatus: (s) => this.onConnectionStatus(s),
        log: this.options.log,
      });
      this.connections.push(connection);
      connection.open().catch((err: unknown) => {
        this.options.log?.(`connection ${c.id} (${c.endpoint}) failed: ${err instanceof Error ? err.message : String(err)}`);
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
  };

  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.statusTimer);
    await Promise.allSettled(this.connections.map((c) => c.close()));
    this.events.removeAllListeners();
  }

  private samplingOf(assetId: string, key: string): number {
    return this.scene.assets.find((a) => a.id === assetId)!.tags[key]!.samplingMs;
  }

  private receive(samples: TagSample[]): void {
    this.table.record(samples);
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
