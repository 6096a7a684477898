/**
 * One OPC UA connection of the twin: connect (retrying with backoff), one session, subscriptions grouped
 * by sampling interval, and every notification turned into a `TagSample` with its quality.
 * The connection state is reported as it changes, so the UI never shows old values as current.
 */
import {
  AttributeIds,
  ClientMonitoredItemGroup,
  ClientSubscription,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
  type ClientSession,
  type DataValue,
} from "node-opcua";
import type { ConnectionState, ConnectionStatus, TagSample } from "../common/api/contract";
import { toTagSample } from "./quality";

export interface BoundTag {
  /** Index in the runtime's tag table. */
  index: number;
  nodeId: string;
  samplingMs: number;
}

export interface PlantConnectionOptions {
  id: string;
  endpoint: string;
  securityMode: "None" | "Sign" | "SignAndEncrypt";
  securityPolicy: string;
  /** PKI folder of this client (its own, never shared with a server). */
  pkiFolder: string;
  tags: BoundTag[];
  onSamples(samples: TagSample[]): void;
  onStatus(status: ConnectionStatus): void;
  log?(line: string): void;
}

export class PlantConnection {
  private client: OPCUAClient | undefined;
  private session: ClientSession | undefined;
  private subscription: ClientSubscription | undefined;
  private closed = false;
  private status: ConnectionStatus;

  constructor(private readonly options: PlantConnectionOptions) {
    this.status = { id: options.id, endpoint: options.endpoint, state: "disconnected", since: Date.now(), reconnects: 0 };
  }

  get current(): ConnectionStatus {
    return this.status;
  }

  /** Connects and subscribes. Resolves once values flow; retries until `close()` if the server is not up yet. */
  async open(): Promise<void> {
    const o = this.options;
    this.setState("connecting");
    const certificateManager = new OPCUACertificateManager({ rootFolder: o.pkiFolder, automaticallyAcceptUnknownCertificate: true });
    const client = OPCUAClient.create({
      applicationName: "Twinbench",
      applicationUri: "urn:twinbench:workbench",
      clientCertificateManager: certificateManager,
      securityMode: MessageSecurityMode[o.securityMode],
      securityPolicy: o.securityPolicy === "None" ? SecurityPolicy.None : (o.securityPolicy as SecurityPolicy),
      endpointMustExist: false,
      keepSessionAlive: true,
      requestedSessionTimeout: 60_000,
      connectionStrategy: { initialDelay: 250, maxDelay: 5_000, maxRetry: 1_000_000, randomisationFactor: 0.2 },
    });
    this.client = client;
    client.on("backoff", (retry, delay) => {
      this.setState(this.status.state === "connecting" ? "connecting" : "reconnecting", `retry ${retry} in ${delay} ms`);
    });
    client.on("connection_lost", () => this.setState("reconnecting", "connection lost"));
    client.on("start_reconnection", () => this.setState("reconnecting"));
    client.on("after_reconnection", () => {
      this.status = { ...this.status, reconnects: this.status.reconnects + 1 };
      this.setState("connected");
    });
    client.on("connection_failed", (err: Error) => this.setState("failed", err.message));

    await client.connect(o.endpoint);
    if (this.closed) return;
    this.session = await client.createSession();
    this.subscription = await this.subscribe(this.session);
    this.setState("connected");
  }

  private async subscribe(session: ClientSession): Promise<ClientSubscription> {
    const o = this.options;
    const fastest = Math.min(...o.tags.map((t) => t.samplingMs), 1000);
    const subscription = await session.createSubscription2({
      requestedPublishingInterval: Math.max(20, fastest),
      requestedLifetimeCount: 600,
      requestedMaxKeepAliveCount: 20,
      maxNotificationsPerPublish: 1000,
      publishingEnabled: true,
      priority: 10,
    });
    // One monitored-item group per sampling interval: a group shares its monitoring parameters.
    const bySampling = new Map<number, BoundTag[]>();
    for (const tag of o.tags) {
      const list = bySampling.get(tag.samplingMs) ?? [];
      list.push(tag);
      bySampling.set(tag.samplingMs, list);
    }
    for (const [samplingInterval, tags] of bySampling) {
      const group = ClientMonitoredItemGroup.create(
        subscription,
        tags.map((t) => ({ nodeId: t.nodeId, attributeId: AttributeIds.Value })),
        { samplingInterval, queueSize: 10, discardOldest: true },
        TimestampsToReturn.Both,
      );
      group.on("changed", (_item, dataValue: DataValue, index: number) => {
        const tag = tags[index];
        if (tag) o.onSamples([toTagSample(tag.index, dataValue, Date.now())]);
      });
      group.on("err", (message: string) => o.log?.(`${o.id}: monitored items (${samplingInterval} ms): ${message}`));
    }
    return subscription;
  }

  private setState(state: ConnectionState, lastError?: string): void {
    if (this.closed && state !== "disconnected") return;
    const changed = state !== this.status.state || lastError !== this.status.lastError;
    if (!changed) return;
    this.status = { ...this.status, state, since: state !== this.status.state ? Date.now() : this.status.since };
    if (lastError !== undefined) this.status.lastError = lastError;
    else delete this.status.lastError;
    this.options.onStatus(this.status);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.subscription?.terminate();
    } catch {
      // the server may already be gone; closing must still finish
    }
    try {
      await this.session?.close();
    } catch {
      // same
    }
    await this.client?.disconnect();
    this.status = { ...this.status, state: "disconnected", since: Date.now() };
    this.options.onStatus(this.status);
  }
}
