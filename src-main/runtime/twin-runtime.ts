/**
 * The runtime that owns the plant for one scene: its OPC UA connections, the live tag table, and the
 * implementation of every API method. Both hosts (Electron, headless) wrap the same runtime.
 * Never imports electron.
 */
import { EventEmitter } from "node:events";
import { join } from "node:path";
import type { ConnectionStatus, EventName, EventPayload, Method, Params, PlantStatus, Result, TagSample } from "../common/api/contract";
import type { Scene } from "../common/scene/schema";
import { guardHandlers, METHOD_ACCESS, openGovernance, PASSIVE_METHODS, type AuthContext, type Governance } from "../governance";
import type { ScryptCost } from "../governance/passwords";
import type { ApiHandlers } from "../host/dispatcher";
import { Historian, historianTagsOfScene } from "../historian/historian";
import { PlantLink, freshnessTagSamples, linkConfigOfScene, toTagSample, type PlantConnection } from "../plant";
import { commissioningHandlers } from "./areas/commissioning";
import { connectionsHandlers } from "./areas/connections";
import { historyHandlers } from "./areas/history";
import { whatifHandlers } from "./areas/whatif";
import { EstimatorLoop } from "./estimator-loop";
import { governedWriter } from "./governed-writer";
import { plantConditions } from "./plant-conditions";
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
  /** scrypt cost of new password hashes (tests lower it; the default is OWASP's minimum). */
  passwordCost?: ScryptCost;
  log?(line: string): void;
}

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/** Every method of the contract, before the role check: params and the caller (null before a login). */
type RuntimeHandlers = { [M in Method]: (params: Params<M>, caller: AuthContext | null) => Result<M> | Promise<Result<M>> };

export class TwinRuntime {
  readonly table: TagTable;
  readonly scene: Scene;
  private readonly connections: PlantConnection[];
  /** Every connection of the scene; its one PlcWriter belongs to governance. */
  readonly link: PlantLink;
  /** Users, roles, proposals, the write path and the audit trail. */
  readonly governance: Governance;
  private readonly events = new EventEmitter();
  /** Run first when the runtime stops (an area closing its worker pool). */
  private readonly stopHooks: (() => Promise<void> | void)[] = [];
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
  /** The implementation of the API contract, behind the governance role check. */
  readonly handlers: ApiHandlers;

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
    // One link for all of the scene's connections; the contract's TagSample until it carries PlantSample.
    const link: PlantLink = new PlantLink({
      pkiFolder: join(options.dataFolder, "pki", "client"),
      // Endpoints, security, identity; per tag sampling, queue size, deadband and publishing interval.
      ...linkConfigOfScene(this.scene, this.table.tags),
      onSamples: (samples) => this.receive(samples.map(toTagSample)),
      // Freshness goes to the live view only: the historian and the estimator get delivered values, never
      // a stale mark (a client-clock time among source times) nor a re-sent last value (a duplicate).
      onFreshness: (change) => {
        const samples = freshnessTagSamples(change, (tag) => link.lastSample(tag));
        this.table.record(samples);
        for (const sample of samples) this.pending.push(sample);
      },
      onStatus: (s) => this.onConnectionStatus(link.connection(s.id)!.current),
      log: options.log,
    });
    this.link = link;
    this.connections = [...link.connections];
    this.governance = openGovernance({
      dataFolder: join(options.dataFolder, "governance"),
      scene: this.scene,
      sceneFile: options.sceneFile,
      writer: governedWriter(link.takeWriter(), (tagId) => this.table.tag(tagId)?.connection),
      conditions: plantConditions({
        tag: (id) => this.table.tag(id),
        tagsOfAsset: (assetId) => this.table.tagsOfAsset(assetId),
        latest: (index) => this.table.latestOf(index),
        connection: (id) => this.connections.find((c) => c.id === id)?.current,
        estimate: () => this.estimator.latest(),
      }),
      ...(options.passwordCost ? { passwordCost: options.passwordCost } : {}),
    });
    this.governance.onDidChangeProposal((p) => this.emit("proposals.changed", { id: p.id, tagId: p.tagId, state: p.state }));
    this.governance.onDidRaiseAlarm((a) => this.emit("alarms.raised", { id: a.id, tagId: a.tagId, proposalId: a.proposalId }));
    const all: RuntimeHandlers = {
      ...this.ownHandlers(),
      ...this.governance.handlers,
      ...historyHandlers(this),
      ...connectionsHandlers(this),
      ...whatifHandlers(this),
      ...commissioningHandlers(this),
    };
    const governance = this.governance;
    this.handlers = guardHandlers(all, METHOD_ACCESS, governance, {
      passive: PASSIVE_METHODS,
      onRefused: (method, auth, required) => governance.auditRefused(method, auth, required),
    });
  }

  /** This installation's data folder (PKI, historian, governance, saved studies). */
  get dataFolder(): string {
    return this.options.dataFolder;
  }

  /** The simulated plant's degradation speed-up the estimator is told (1 for a real plant). */
  get degradationSpeedup(): number {
    return this.options.degradationSpeedup ?? 1;
  }

  /** Runs `hook` when the runtime stops, before its services close (the what-if area closes its worker pool). */
  onStop(hook: () => Promise<void> | void): void {
    this.stopHooks.push(hook);
  }

  /** The scene file this runtime was started with. */
  get sceneFile(): string {
    return this.options.sceneFile;
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  /** Whether a connection presenting this session token may receive events (it is logged in). */
  mayReceiveEvents(session: string | undefined): boolean {
    return this.governance.resolve(session, false) !== null;
  }

  /** Starts connecting; resolves when every connection has been asked to open (not when connected). */
  start(): void {
    const publishEveryMs = this.options.publishEveryMs ?? 50;
    this.flushTimer = setInterval(() => this.flush(), publishEveryMs);
    this.statusTimer = setInterval(() => {
      this.historian.tick(Date.now());
      this.governance.sweep();
      this.emit("plant.status", this.status());
    }, 1_000);
    this.estimator.start().catch((err: unknown) => this.options.log?.(`estimator: ${err instanceof Error ? err.message : String(err)}`));
    this.link.open().catch((err: unknown) => {
      this.options.log?.(`plant link failed: ${err instanceof Error ? err.message : String(err)}`);
    });
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

  /** The core and estimation methods. */
  private ownHandlers(): Pick<RuntimeHandlers, "app.info" | "scene.get" | "tags.list" | "tags.snapshot" | "plant.status" | "trend.history" | `estimation.${string}` & Method> {
    return {
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
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.stopHooks.map((hook) => hook()));
    clearInterval(this.flushTimer);
    clearInterval(this.statusTimer);
    await Promise.allSettled(this.connections.map((c) => c.close()));
    await this.estimator.stop();
    await this.historian.close();
    this.governance.close();
    this.events.removeAllListeners();
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

  /** Pushes an event to every logged-in renderer (areas use it for their own events). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.events.emit(event, payload);
  }
}

function withEndpoint(scene: Scene, endpoint: string): Scene {
  const [first, ...rest] = scene.connections;
  return { ...scene, connections: [{ ...first!, endpoint }, ...rest] };
}
