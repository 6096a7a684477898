/**
 * One OPC UA subscription of a connection: its monitored-item groups (per-tag sampling, queue and deadband),
 * the publish watchdog that notices when it goes silent, and the turn of every DataChangeNotification into
 * samples. Notifications are read off the publish response itself (one batch per message, in message order)
 * rather than through node-opcua's per-item events: a batch per message is what the runtime consumes.
 */
import {
  AttributeIds,
  ClientMonitoredItemGroup,
  DataChangeFilter,
  DataChangeNotification,
  DataChangeTrigger,
  DeadbandType,
  RepublishRequest,
  TimestampsToReturn,
  VariableIds,
  type ClientMonitoredItemBase,
  type ClientSession,
  type ClientSubscription,
  type MonitoringParametersOptions,
  type NotificationMessage,
  type RepublishResponse,
  type StatusCode,
} from "node-opcua";
import { PublishWatchdog, keepAliveCountFor, type PublishTiming } from "./liveness";
import { MessageOrder } from "./message-order";
import { badSample, toPlantSample } from "./quality";
import type { MonitoringGroupPlan, SubscriptionPlan } from "./subscription-plan";
import type { PlantSample } from "./types";

interface RepublishingSession {
  republish(request: RepublishRequest, callback: (err: Error | null, response?: RepublishResponse) => void): void;
}

export interface SubscriptionSink {
  /** A publish response (data or keep-alive) arrived; called before the samples it carries. */
  heard(subscription: TagSubscription, now: number): void;
  samples(subscription: TagSubscription, samples: PlantSample[]): void;
  /** The server ended the subscription (e.g. its lifetime ran out); the connection decides what next. */
  ended(subscription: TagSubscription, reason: string): void;
  log(line: string): void;
}

export class TagSubscription {
  readonly tags: number[];
  readonly watchdog: PublishWatchdog;
  /** clientHandle → tag index (filled on first use; handles survive a recreated subscription). */
  private readonly tagOfHandle: number[] = [];
  private readonly tagOfItem = new Map<ClientMonitoredItemBase, number>();
  private readonly items: { tag: number; item: { statusCode: StatusCode } }[] = [];
  private ended = false;
  /** Releases publish responses in sequence order (see message-order.ts). */
  private readonly sequence: MessageOrder<PlantSample[]>;

  private constructor(
    readonly plan: SubscriptionPlan,
    private readonly subscription: ClientSubscription,
    private readonly sink: SubscriptionSink,
  ) {
    this.tags = plan.groups.flatMap((g) => g.tags.map((t) => t.index));
    this.watchdog = new PublishWatchdog(this.timing(), Date.now());
    this.sequence = new MessageOrder(
      (samples) => sink.samples(this, samples),
      Math.max(2_000, 4 * plan.publishingMs),
      (missing) => void this.republish(missing),
    );
    // Recreated on the server (a restarted server): sequence numbers start again.
    subscription.on("subscriptionId_changed", () => this.sequence.restart());
    subscription.on("raw_notification", (message: NotificationMessage) => this.onMessage(message));
    subscription.on("status_changed", (status: StatusCode) => {
      if (status.isNotGood()) this.end(`the server ended the subscription (${status.name})`);
    });
    subscription.on("terminated", () => this.end("the subscription was terminated"));
    subscription.on("internal_error", (err: Error) => sink.log(`subscription ${plan.publishingMs} ms: ${err.message}`));
  }

  static async create(session: ClientSession, plan: SubscriptionPlan, sink: SubscriptionSink): Promise<TagSubscription> {
    const keepAlive = keepAliveCountFor(plan.publishingMs);
    const subscription = await session.createSubscription2({
      requestedPublishingInterval: plan.publishingMs,
      requestedMaxKeepAliveCount: keepAlive,
      // Long enough for the server to keep the subscription (and its queued values) through a minute's outage.
      requestedLifetimeCount: Math.max(3 * keepAlive, Math.ceil(60_000 / plan.publishingMs)),
      maxNotificationsPerPublish: 10_000,
      publishingEnabled: true,
      priority: 10,
    });
    const tagSubscription = new TagSubscription(plan, subscription, sink);
    try {
      for (const group of plan.groups) await tagSubscription.monitor(group);
    } catch (err) {
      await subscription.terminate().catch(() => {});
      throw err;
    }
    return tagSubscription;
  }

  /** Revised publishing interval and keep-alive count (the server's word, not what was asked). */
  timing(): PublishTiming {
    return { publishingMs: this.subscription.publishingInterval, keepAliveCount: this.subscription.maxKeepAliveCount };
  }

  /** Tags whose monitored item the server refused (now; it can change after a subscription is recreated). */
  refusedItems(now: number): PlantSample[] {
    return this.items.filter((i) => i.item.statusCode.isNotGood()).map((i) => badSample(i.tag, i.item.statusCode.name, i.item.statusCode.value, now));
  }

  /** Messages of a gap the server never filled (given up after a wait). */
  get lostMessages(): number {
    return this.sequence.lostMessages;
  }

  /** The session was replaced: whatever numbering comes next is the new base (the subscription may be new). */
  resync(): void {
    this.sequence.restart();
  }

  /** Gives up on sequence gaps that have waited too long for Republish. */
  expireGaps(now: number): void {
    this.sequence.expire(now);
  }

  async terminate(): Promise<void> {
    this.ended = true;
    await this.subscription.terminate().catch(() => {});
  }

  private async monitor(spec: MonitoringGroupPlan): Promise<void> {
    const parameters: MonitoringParametersOptions = {
      samplingInterval: spec.samplingMs,
      queueSize: spec.queueSize,
      // After an outage the oldest queued values go first, so what is delivered is contiguous with what came before.
      discardOldest: true,
      ...(spec.deadband
        ? {
            filter: new DataChangeFilter({
              trigger: DataChangeTrigger.StatusValue,
              deadbandType: spec.deadband.type === "absolute" ? DeadbandType.Absolute : DeadbandType.Percent,
              deadbandValue: spec.deadband.value,
            }),
          }
        : {}),
    };
    const group = ClientMonitoredItemGroup.create(
      this.subscription,
      spec.tags.map((t) => ({ nodeId: t.nodeId, attributeId: AttributeIds.Value })),
      parameters,
      TimestampsToReturn.Both,
    );
    // Known before the items are created: the first values may be published before the creation call returns.
    group.monitoredItems.forEach((item, k) => {
      const tag = spec.tags[k]!.index;
      this.tagOfItem.set(item, tag);
      this.items.push({ tag, item });
    });
    await new Promise<void>((resolve, reject) => {
      group.once("initialized", () => resolve());
      group.once("terminated", (err?: Error) => reject(err ?? new Error("the monitored items could not be created")));
    });
    // node-opcua relays every value from its item to the group ("changed" events nobody here listens to):
    // values are read off the publish response instead, so the relay goes (two dispatches per value less).
    for (const item of group.monitoredItems) item.removeAllListeners("changed");
    const now = Date.now();
    const refused = group.monitoredItems.flatMap((item, k) =>
      item.statusCode.isNotGood() ? [badSample(spec.tags[k]!.index, item.statusCode.name, item.statusCode.value, now)] : [],
    );
    if (refused.length > 0) this.sink.samples(this, refused);
  }

  /** The tag of a notification's clientHandle (cached after the first look-up). */
  private tagOf(clientHandle: number): number | undefined {
    const known = this.tagOfHandle[clientHandle];
    if (known !== undefined) return known;
    const item = this.subscription.monitoredItems[clientHandle];
    const tag = item ? this.tagOfItem.get(item) : undefined;
    if (tag !== undefined) this.tagOfHandle[clientHandle] = tag;
    return tag;
  }

  private onMessage(message: NotificationMessage): void {
    // node-opcua swallows exceptions thrown here: catch and report them instead.
    try {
      const now = Date.now();
      this.sink.heard(this, now);
      const data = message.notificationData;
      if (!data || data.length === 0) return; // a keep-alive: it carries the next number, not a message
      this.sequence.receive(message.sequenceNumber, this.samplesOf(message, now), now);
    } catch (err) {
      this.sink.log(`subscription ${this.plan.publishingMs} ms: a notification could not be handled: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private samplesOf(message: NotificationMessage, now: number): PlantSample[] {
    const samples: PlantSample[] = [];
    for (const notification of message.notificationData ?? []) {
      if (!(notification instanceof DataChangeNotification)) continue;
      for (const n of notification.monitoredItems ?? []) {
        const tag = this.tagOf(n.clientHandle);
        if (tag !== undefined) samples.push(toPlantSample(tag, n.value, now));
      }
    }
    return samples;
  }

  /**
   * Asks the server for messages missing from the sequence, one at a time. node-opcua republishes only
   * after the newest message it has seen, so a gap left behind newer messages would stay open otherwise.
   */
  private async republish(seqs: number[]): Promise<void> {
    // Every node-opcua session implements Republish; its public ClientSession type just does not list it.
    const session = this.subscription.session as unknown as RepublishingSession;
    for (const seq of seqs) {
      if (this.ended) return;
      const request = new RepublishRequest({ subscriptionId: this.subscription.subscriptionId, retransmitSequenceNumber: seq });
      try {
        const response = await new Promise<RepublishResponse>((resolve, reject) =>
          session.republish(request, (err, r) => (err || !r ? reject(err ?? new Error("no response")) : resolve(r))),
        );
        this.sequence.receive(seq, this.samplesOf(response.notificationMessage, Date.now()), Date.now());
      } catch (err) {
        // BadMessageNotAvailable: the server has dropped it. Other failures: the gap expires on its own.
        if (/BadMessageNotAvailable/.test(String((err as Error)?.message ?? err))) this.sequence.unavailable(seq);
      }
    }
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.sink.ended(this, reason);
  }
}

/** The server's limit on monitored items per CreateMonitoredItems call (0 or unknown: 1000, a safe size). */
export async function maxMonitoredItemsPerCall(session: ClientSession): Promise<number> {
  try {
    const dv = await session.read({ nodeId: `i=${VariableIds.Server_ServerCapabilities_OperationLimits_MaxMonitoredItemsPerCall}`, attributeId: AttributeIds.Value });
    const limit = dv.statusCode.isGood() ? Number(dv.value.value) : 0;
    return limit > 0 ? limit : 1000;
  } catch {
    return 1000;
  }
}
