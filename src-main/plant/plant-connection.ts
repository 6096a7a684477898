/**
 * One OPC UA connection of the twin, from first attempt to close: connect (retrying with backoff, or
 * stopping to ask about an untrusted certificate, or blocked until the user changes something), the session
 * and its subscriptions, node-opcua's reconnection (which transfers or recreates the subscriptions), and
 * freshness: every tag of a lost connection or a silent subscription is marked stale at once, and fresh
 * again only when the server publishes after recovery. Values are delivered forward in time only.
 */
import type { ClientSession, OPCUAClient } from "node-opcua";
import type { ConnectionStatus } from "../common/api/contract";
import type { CertificateStore } from "./certificates";
import { BlockedError, UntrustedCertificateError, identityLabel } from "./connect-errors";
import { DEFAULT_BACKOFF, backoffDelayMs, watchdogCheckEveryMs, type BackoffOptions } from "./liveness";
import { DEFAULT_RECONNECT, openSession, type ReconnectTiming } from "./open-session";
import { SampleOrder } from "./sample-order";
import { TrafficStatistics } from "./statistics";
import { toConnectionStatus } from "./quality";
import { planSubscriptions } from "./subscription-plan";
import { TagFreshness } from "./tag-freshness";
import { TagSubscription, maxMonitoredItemsPerCall, type SubscriptionSink } from "./tag-subscription";
import type { CertificateInfo, ConnectionConfig, FreshnessChange, PlantConnectionState, PlantConnectionStatus, PlantSample, TagBinding } from "./types";

export interface ConnectionSink {
  samples(connection: string, samples: PlantSample[]): void;
  freshness(change: FreshnessChange): void;
  status(status: PlantConnectionStatus): void;
}

/** The session of a connection as its creator (the PlantLink) holds it: nobody else gets it. */
export interface SessionGrant {
  session(): ClientSession | undefined;
  /** Changes whenever a new session replaces the previous one (node types may have changed). */
  generation(): number;
}

export interface PlantConnectionOptions {
  config: ConnectionConfig;
  tags: TagBinding[];
  /** The client PKI, opened on first use (shared by the connections of a link). */
  certificates(): Promise<CertificateStore>;
  sink: ConnectionSink;
  grantSession?(grant: SessionGrant): void;
  backoff?: BackoffOptions;
  reconnect?: ReconnectTiming;
  log?(line: string): void;
  /** Called once the connection is closed. */
  closed?(): void;
}

/** How long a stall (subscriptions silent, connection apparently up) lasts before the connection is rebuilt. */
const STALL_RESTART_MS = 15_000;

export class PlantConnection {
  private state: PlantConnectionState = "disconnected";
  private since = Date.now();
  private message: string | undefined;
  private lastError: { message: string; at: number } | undefined;
  private certificate: CertificateInfo | undefined;
  private client: OPCUAClient | undefined;
  private session: ClientSession | undefined;
  private subscriptions: TagSubscription[] = [];
  private sessionGeneration = 0;
  private sessionId: string | undefined;
  private reconnects = 0;
  private closed = false;
  private readonly freshness: TagFreshness;
  private readonly order = new SampleOrder();
  private readonly traffic = new TrafficStatistics();
  private watchdogTimer: ReturnType<typeof setInterval> | undefined;
  private lastWatchdogTick = 0;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private firstConnected!: () => void;
  private readonly connectedOnce = new Promise<void>((resolve) => (this.firstConnected = resolve));

  constructor(private readonly options: PlantConnectionOptions) {
    this.freshness = new TagFreshness(options.config.id, (change) => options.sink.freshness(change));
    options.grantSession?.({ session: () => (this.state === "connected" || this.state === "stalled" ? this.session : undefined), generation: () => this.sessionGeneration });
  }

  get id(): string {
    return this.options.config.id;
  }

  /** The richer plant-layer status (certificate, stale tags, statistics). */
  get status(): PlantConnectionStatus {
    const c = this.options.config;
    const now = Date.now();
    return {
      id: c.id,
      endpoint: c.endpoint,
      state: this.state,
      since: this.since,
      ...(this.message !== undefined ? { message: this.message } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      securityMode: c.securityMode,
      securityPolicy: c.securityPolicy,
      identity: identityLabel(c.identity),
      ...(this.certificate ? { certificate: this.certificate } : {}),
      tagCount: this.options.tags.length,
      staleTags: this.freshness.staleCount,
      statistics: {
        notificationsPerS: this.traffic.ratePerS(now),
        latencyP50Ms: this.traffic.latencyPercentile(0.5),
        latencyP95Ms: this.traffic.latencyPercentile(0.95),
        reconnects: this.reconnects,
        droppedDuplicates: this.order.droppedDuplicates,
        droppedOutOfOrder: this.order.droppedOutOfOrder,
        lostMessages: this.subscriptions.reduce((n, sub) => n + sub.lostMessages, 0),
        delivered: this.traffic.delivered,
      },
    };
  }

  /** Who the connection says it is (never the password). */
  get identity(): { kind: "anonymous" | "username"; user?: string } {
    const i = this.options.config.identity;
    return !i || i.type === "anonymous" ? { kind: "anonymous" } : { kind: "username", user: i.user };
  }

  /** The status in the contract's terms of today (see the report for the richer contract). */
  get current(): ConnectionStatus {
    return toConnectionStatus(this.status);
  }

  /** The last delivered sample of a tag (what a fresh tag shows again). */
  lastSample(tag: number): PlantSample | undefined {
    return this.order.lastOf(tag);
  }

  /** Starts connecting; resolves when the first session is up and subscribed. Retries until close(). */
  open(): Promise<void> {
    this.running ??= this.run();
    return this.connectedOnce;
  }

  /** A blocked or waiting connection tries again now (after the user trusted a certificate or fixed a setting). */
  retry(): void {
    this.wake?.();
  }

  /** Drops the session and connects afresh (e.g. its server certificate was just rejected: stop trusting it now). */
  restart(reason: string): void {
    // Not while an attempt is under way (it checks the certificate itself): that would run two loops.
    if (this.state === "connected" || this.state === "stalled") this.sessionLost(reason);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    clearInterval(this.watchdogTimer);
    // Let an attempt in flight finish (it stops at its next step), but do not wait on a dead network.
    await Promise.race([this.running?.catch(() => {}), new Promise((r) => setTimeout(r, 5_000).unref())]);
    await this.teardown();
    this.setState("disconnected", undefined);
    this.options.closed?.();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closed) {
      this.setState(attempt === 0 && this.reconnects === 0 ? "connecting" : "reconnecting", this.message);
      try {
        await this.connectOnce();
        // Closed while connecting: what the attempt opened is closed here (close() may not have seen it).
        if (this.closed) await this.teardown();
        return;
      } catch (err) {
        await this.teardown();
        if (this.closed) return;
        if (err instanceof UntrustedCertificateError) {
          this.certificate = err.certificate;
          this.setState("certificate-untrusted", err.message);
          const store = await this.options.certificates();
          const decision = await this.until(store.awaitDecision(err.der));
          if (decision === "rejected") await this.blocked(`the server certificate "${err.certificate.subject}" (thumbprint ${err.certificate.thumbprint}) was rejected: trust it to connect`);
          attempt = 0;
        } else if (err instanceof BlockedError) {
          if (err.certificate) this.certificate = err.certificate;
          await this.blocked(err.message);
          attempt = 0;
        } else {
          attempt++;
          const delay = backoffDelayMs(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
          this.message = `${err instanceof Error ? err.message : String(err)}; retrying in ${delay} ms`;
          this.setState(this.state, this.message);
          await this.until(new Promise((resolve) => setTimeout(resolve, delay).unref()));
        }
      }
    }
  }

  private async blocked(message: string): Promise<void> {
    this.setState("blocked", message);
    await this.until(new Promise(() => {}));
  }

  /** Waits for `p`, or for retry()/close(), whichever comes first. */
  private until<T>(p: Promise<T>): Promise<T | undefined> {
    return Promise.race([p, new Promise<undefined>((resolve) => (this.wake = () => resolve(undefined)))]).finally(() => (this.wake = undefined));
  }

  private async connectOnce(): Promise<void> {
    const o = this.options;
    const opened = await openSession({
      config: o.config,
      certificates: await o.certificates(),
      reconnect: o.reconnect ?? DEFAULT_RECONNECT,
      keepSessionAlive: o.tags.length === 0,
      attach: (client) => this.attach(client),
      certificateSeen: (c) => (this.certificate = c ?? this.certificate),
    });
    const session = opened.session;
    this.client = opened.client;
    this.session = session;
    this.sessionId = session.sessionId.toString();
    if (this.closed) return;
    // Only for the current session: closing an old one on purpose must not start another reconnection.
    session.on("session_closed", () => this.session === session && this.sessionLost("the server closed the session"));
    session.on("session_restored", () => this.session === session && this.restored());
    const plans = planSubscriptions(o.tags, await maxMonitoredItemsPerCall(session));
    for (const plan of plans) {
      if (this.closed) return;
      this.subscriptions.push(await TagSubscription.create(session, plan, this.subscriptionSink));
    }
    if (this.closed) return;
    this.sessionGeneration++;
    this.startWatchdog();
    this.setState("connected", undefined);
    this.firstConnected();
  }

  private attach(client: OPCUAClient): void {
    client.on("connection_lost", () => {
      if (this.closed) return;
      this.setState("reconnecting", "connection lost; reconnecting");
      this.markStale(this.allTags(), "connection lost");
    });
    client.on("reconnection_attempt_has_failed", (err: Error) => {
      if (!this.closed) this.setState("reconnecting", `reconnecting: ${err.message.split("\n")[0]}`);
    });
    client.on("after_reconnection", () => {
      if (!this.closed) this.setState("reconnecting", "channel re-established; restoring the session and subscriptions");
    });
  }

  private restored(): void {
    if (this.closed) return;
    this.reconnects++;
    // A new session means the subscriptions were transferred or recreated (perhaps under their old ids):
    // their message numbering cannot be trusted to continue. Per-tag order still holds (SampleOrder).
    const sessionId = this.session?.sessionId.toString();
    if (sessionId !== this.sessionId) for (const s of this.subscriptions) s.resync();
    this.sessionId = sessionId;
    // A recreated session (a restarted server) may have changed nodes; writers read node types again.
    this.sessionGeneration++;
    const now = Date.now();
    for (const s of this.subscriptions) s.watchdog.retime(s.timing(), now);
    const refused = this.subscriptions.flatMap((s) => s.refusedItems(now));
    if (refused.length > 0) this.deliver(refused);
    // Tags stay stale until each subscription publishes again: only then are queued changes known to be in.
    this.setState("connected", undefined);
  }

  private sessionLost(reason: string): void {
    if (this.closed || this.state === "disconnected") return;
    this.markStale(this.allTags(), reason);
    this.options.log?.(`${this.id}: ${reason}; opening a new session`);
    void this.teardown().then(() => {
      if (this.closed) return;
      this.reconnects++;
      this.running = this.run();
    });
  }

  private readonly subscriptionSink: SubscriptionSink = {
    heard: (sub, now) => {
      sub.watchdog.heard(now);
      if (this.state === "stalled" && !this.subscriptions.some((s) => s.watchdog.overdue)) this.setState("connected", undefined);
      if (this.state === "connected" && this.freshness.markFresh(sub.tags, now)) this.emitStatus();
    },
    samples: (_sub, samples) => this.deliver(samples),
    ended: (sub, reason) => void this.replaceSubscription(sub, reason),
    log: (line) => this.options.log?.(`${this.id}: ${line}`),
  };

  private async replaceSubscription(sub: TagSubscription, reason: string): Promise<void> {
    if (this.closed || !this.session) return;
    this.markStale(sub.tags, reason);
    this.subscriptions = this.subscriptions.filter((s) => s !== sub);
    try {
      this.subscriptions.push(await TagSubscription.create(this.session, sub.plan, this.subscriptionSink));
    } catch (err) {
      this.sessionLost(`${reason}, and it could not be recreated: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private deliver(samples: PlantSample[]): void {
    const kept: PlantSample[] = [];
    for (const s of samples) {
      if (!this.order.accept(s)) continue;
      kept.push(s);
      if (s.serverTs !== null) this.traffic.latency(s.receivedAt - s.serverTs);
    }
    if (kept.length === 0) return;
    this.traffic.count(kept.length, kept[0]!.receivedAt);
    this.options.sink.samples(this.id, kept);
  }

  private startWatchdog(): void {
    clearInterval(this.watchdogTimer);
    if (this.subscriptions.length === 0) return;
    const every = Math.min(...this.subscriptions.map((s) => watchdogCheckEveryMs(s.timing())));
    this.lastWatchdogTick = Date.now();
    this.watchdogTimer = setInterval(() => this.checkWatchdogs(every), every);
    this.watchdogTimer.unref();
  }

  private checkWatchdogs(every: number): void {
    const now = Date.now();
    const lag = now - this.lastWatchdogTick;
    this.lastWatchdogTick = now;
    // This process was blocked (GC, a long task): responses may be waiting in the socket. Look next time.
    if (lag > 3 * every) return;
    for (const sub of this.subscriptions) sub.expireGaps(now);
    if (this.state !== "connected" && this.state !== "stalled") return;
    // A half-open connection (a cable pulled, no reset) may never fail on its own: start afresh.
    if (this.state === "stalled" && now - this.since > STALL_RESTART_MS) {
      this.sessionLost(`no answer from the server for ${Math.round((now - this.since) / 1000)} s`);
      return;
    }
    for (const sub of this.subscriptions) {
      if (!sub.watchdog.check(now)) continue;
      const { publishingMs, keepAliveCount } = sub.timing();
      const silence = `no publish response within ${keepAliveCount + 1} publishing intervals (${(keepAliveCount + 1) * publishingMs} ms)`;
      this.setState("stalled", `${silence}: the server or the network is not answering`);
      this.markStale(sub.tags, silence);
    }
  }

  private markStale(tags: number[], reason: string): void {
    if (this.freshness.markStale(tags, reason, Date.now())) this.emitStatus();
  }

  private allTags(): number[] {
    return this.options.tags.map((t) => t.index);
  }

  private async teardown(): Promise<void> {
    clearInterval(this.watchdogTimer);
    const subs = this.subscriptions;
    const session = this.session;
    const client = this.client;
    this.subscriptions = [];
    this.session = undefined;
    this.client = undefined;
    // A server that is gone does not answer: do not let closing wait for it.
    const quick = <T>(p: Promise<T>) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, 2_000).unref())]);
    await quick(Promise.all(subs.map((s) => s.terminate())));
    if (session) await quick(session.close());
    if (client) await quick(client.disconnect());
  }

  private setState(state: PlantConnectionState, message: string | undefined): void {
    if (this.closed && state !== "disconnected") return;
    if (state === this.state && message === this.message) return;
    if (state !== this.state) this.since = Date.now();
    this.state = state;
    this.message = message;
    if (message !== undefined && state !== "connected" && state !== "disconnected" && message !== this.lastError?.message) this.lastError = { message, at: Date.now() };
    this.emitStatus();
  }

  private emitStatus(): void {
    this.options.sink.status(this.status);
  }
}
