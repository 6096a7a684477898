/**
 * The twin's link to the plant: every connection of a scene (a line with two PLCs is two connections), one
 * client PKI for all of them, the address-space browser of each, certificate decisions, and the single
 * PlcWriter for the governance layer. Samples, freshness changes and statuses of all connections come out
 * of one place, each naming its connection.
 */
import { AddressSpaceBrowser } from "./address-space-browser";
import { CertificateStore, normaliseThumbprint, type CertificateTrust } from "./certificates";
import { discoverEndpoints, type EndpointInfo } from "./endpoints";
import type { BackoffOptions } from "./liveness";
import type { ReconnectTiming } from "./open-session";
import { PlantConnection, type SessionGrant } from "./plant-connection";
import { createPlcWriter, type PlcWriter } from "./plc-writer";
import type { CertificateInfo, ConnectionConfig, FreshnessChange, PlantConnectionStatus, PlantSample, TagBinding } from "./types";

export interface PlantLinkOptions {
  /** The client's PKI folder: application certificate (created on first run), trusted/ and rejected/. */
  pkiFolder: string;
  connections: ConnectionConfig[];
  /** Every bound tag, each naming its connection. */
  tags: TagBinding[];
  /** Delivered samples, forward in time per tag, in batches (one per publish response). */
  onSamples(samples: PlantSample[], connection: string): void;
  onFreshness?(change: FreshnessChange): void;
  onStatus?(status: PlantConnectionStatus): void;
  backoff?: BackoffOptions;
  reconnect?: ReconnectTiming;
  log?(line: string): void;
}

export interface PendingCertificate {
  certificate: CertificateInfo;
  /** Connections waiting for the decision. */
  connections: string[];
}

export class PlantLink {
  readonly connections: readonly PlantConnection[];
  private readonly grants = new Map<string, SessionGrant>();
  private readonly browsers = new Map<string, AddressSpaceBrowser>();
  private readonly tagConnection = new Map<number, PlantConnection>();
  private store: Promise<CertificateStore> | undefined;
  private writerTaken = false;
  private openConnections: number;
  private readonly statusListeners = new Set<(status: PlantConnectionStatus) => void>();

  constructor(private readonly options: PlantLinkOptions) {
    const ids = new Set(options.connections.map((c) => c.id));
    const unknown = options.tags.filter((t) => !ids.has(t.connection));
    if (unknown.length > 0) throw new Error(`tags bound to unknown connections: ${unknown.map((t) => `#${t.index} → ${t.connection}`).join(", ")}`);
    this.openConnections = options.connections.length;
    this.connections = options.connections.map((config) => {
      const connection = new PlantConnection({
        config,
        tags: options.tags.filter((t) => t.connection === config.id),
        certificates: () => this.certificates(),
        sink: {
          samples: (id, samples) => options.onSamples(samples, id),
          freshness: (change) => options.onFreshness?.(change),
          status: (status) => {
            options.onStatus?.(status);
            for (const listener of this.statusListeners) {
              // A listener's failure must not interrupt the connection's own state change.
              try {
                listener(status);
              } catch (err) {
                options.log?.(`status listener: ${err instanceof Error ? err.message : String(err)}`);
              }
            }
          },
        },
        grantSession: (grant) => this.grants.set(config.id, grant),
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.reconnect ? { reconnect: options.reconnect } : {}),
        ...(options.log ? { log: options.log } : {}),
        closed: () => this.connectionClosed(),
      });
      return connection;
    });
    for (const c of this.connections) for (const t of options.tags) if (t.connection === c.id) this.tagConnection.set(t.index, c);
  }

  /** Starts every connection; resolves when each has connected once (never, for one that stays blocked). */
  async open(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.open()));
  }

  connection(id: string): PlantConnection | undefined {
    return this.connections.find((c) => c.id === id);
  }

  statuses(): PlantConnectionStatus[] {
    return this.connections.map((c) => c.status);
  }

  /** The last delivered sample of a tag (for re-showing it when it becomes fresh). */
  lastSample(tag: number): PlantSample | undefined {
    return this.tagConnection.get(tag)?.lastSample(tag);
  }

  /** Told of every status change of every connection (besides `onStatus`); returns the unsubscribe. */
  onDidChangeStatus(listener: (status: PlantConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Where a server certificate stands (pending, trusted, rejected, out of validity, undecided). */
  async certificateTrust(certificate: CertificateInfo): Promise<CertificateTrust> {
    return (await this.certificates()).trustOf(certificate);
  }

  async discoverEndpoints(url: string): Promise<EndpointInfo[]> {
    return discoverEndpoints(url, await this.certificates());
  }

  /** The address-space browser of a connection (it answers while the connection is connected). */
  browser(connection: string): AddressSpaceBrowser {
    let browser = this.browsers.get(connection);
    if (!browser) {
      const grant = this.grants.get(connection);
      if (!grant) throw new Error(`no connection "${connection}" in this plant link`);
      browser = new AddressSpaceBrowser(() => grant.session());
      this.browsers.set(connection, browser);
    }
    return browser;
  }

  async pendingCertificates(): Promise<PendingCertificate[]> {
    const store = await this.certificates();
    return store.pendingCertificates().map((certificate) => ({
      certificate,
      connections: this.connections.filter((c) => c.status.state === "certificate-untrusted" && c.status.certificate?.thumbprint === certificate.thumbprint).map((c) => c.id),
    }));
  }

  /** Trusts a server certificate (pending or rejected before); connections waiting on it proceed. */
  async trustServerCertificate(thumbprint: string): Promise<CertificateInfo> {
    const info = await (await this.certificates()).trust(thumbprint);
    for (const c of this.connectionsWith(info.thumbprint)) if (c.status.state === "blocked") c.retry();
    return info;
  }

  /** Rejects a server certificate; connections to its server stay blocked and say so. */
  async rejectServerCertificate(thumbprint: string): Promise<CertificateInfo> {
    return (await this.certificates()).reject(thumbprint);
  }

  /** A blocked connection tries again (after the user changed what blocked it). */
  retry(connection: string): void {
    this.connection(connection)?.retry();
  }

  /**
   * The one PlcWriter, for the governance layer, handed out once: a second call throws, so that nothing
   * wired later can obtain a way to write around governance.
   */
  takeWriter(): PlcWriter {
    if (this.writerTaken) throw new Error("the PlcWriter of this plant link has already been taken (it belongs to the governance layer)");
    this.writerTaken = true;
    return createPlcWriter((id) => this.grants.get(id));
  }

  async close(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.close()));
  }

  private connectionsWith(thumbprint: string): PlantConnection[] {
    const wanted = normaliseThumbprint(thumbprint);
    return this.connections.filter((c) => c.status.certificate?.thumbprint === wanted);
  }

  private certificates(): Promise<CertificateStore> {
    this.store ??= CertificateStore.open(this.options.pkiFolder);
    return this.store;
  }

  private connectionClosed(): void {
    if (--this.openConnections > 0 || !this.store) return;
    const store = this.store;
    this.store = undefined;
    void store.then((s) => s.dispose()).catch(() => {});
  }
}
