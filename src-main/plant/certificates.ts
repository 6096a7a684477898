/**
 * The client's PKI: its application instance certificate (created on first run in the data folder) and the
 * user's trust decisions about server certificates (trusted/ and rejected/ folders, as UaExpert keeps them).
 *
 * A server certificate the user has not decided on is *pending*: it is shown (subject, thumbprint, validity)
 * and the connection waits. Only an explicit trust or reject moves it into a folder. node-opcua would file
 * every unknown certificate under rejected/ on sight, which erases the difference between "never asked" and
 * "said no"; the certificate manager below checks without filing.
 */
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { OPCUACertificateManager, StatusCodes, type StatusCode } from "node-opcua";
import type { CertificateInfo } from "./types";

export type TrustVerdict =
  | { kind: "trusted" }
  | { kind: "untrusted" }
  | { kind: "rejected" }
  | { kind: "expired" | "not-yet-valid" | "invalid"; message: string };

/** A certificate's standing as the UI shows it (see trustOf). */
export type CertificateTrust = "trusted" | "pending" | "rejected" | "expired" | "not-yet-valid" | "undecided";

type Callback = (err: Error | null, status?: StatusCode) => void;

/** Checks without filing: an unknown certificate stays unknown until the user decides. */
class DecisionOnlyCertificateManager extends OPCUACertificateManager {
  override checkCertificate(chain: Buffer | Buffer[]): Promise<StatusCode>;
  override checkCertificate(chain: Buffer | Buffer[], callback: Callback): void;
  override checkCertificate(chain: Buffer | Buffer[], callback?: Callback): Promise<StatusCode> | void {
    const der = Array.isArray(chain) ? Buffer.concat(chain) : chain;
    const result = this.verifyCertificate(der, { acceptCertificateWithValidIssuerChain: true }).then(
      (status) => (StatusCodes as unknown as Record<string, StatusCode>)[status] ?? StatusCodes.BadCertificateInvalid,
    );
    if (!callback) return result;
    result.then((s) => callback(null, s), (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
  }
}

export class CertificateStore {
  private readonly pending = new Map<string, { der: Buffer; info: CertificateInfo; waiters: Set<(v: "trusted" | "rejected") => void> }>();

  private constructor(
    readonly manager: OPCUACertificateManager,
    /** The client's certificate and key (PEM files in own/). */
    readonly certificateFile: string,
    readonly privateKeyFile: string,
    /** From the certificate itself: servers check that the session's applicationUri matches it. */
    readonly applicationUri: string,
  ) {}

  /** Opens the PKI in `folder`, creating the application instance certificate on first run. */
  static async open(folder: string, applicationName = "Twinbench"): Promise<CertificateStore> {
    const manager = new DecisionOnlyCertificateManager({ rootFolder: folder, automaticallyAcceptUnknownCertificate: false, disableFileWatchers: true });
    await manager.initialize();
    const certificateFile = join(manager.rootDir, "own/certs/client_certificate.pem");
    const privateKeyFile = join(manager.rootDir, "own/private/private_key.pem");
    if (!existsSync(certificateFile)) {
      const host = hostname();
      await manager.createSelfSignedCertificate({
        applicationUri: `urn:${host}:${applicationName}`,
        dns: [host],
        subject: `/CN=${applicationName}@${host}/O=${applicationName}`,
        startDate: new Date(),
        validity: 365 * 5,
        outputFile: certificateFile,
      });
    }
    const own = new X509Certificate(readFileSync(certificateFile));
    const uri = /URI:([^,\s]+)/.exec(own.subjectAltName ?? "")?.[1];
    if (!uri) throw new Error(`the application certificate ${certificateFile} has no application URI (subjectAltName URI)`);
    return new CertificateStore(manager, certificateFile, privateKeyFile, uri);
  }

  /** What the user (and the calendar) say about a server certificate (DER, possibly a chain). */
  async verdict(chain: Buffer): Promise<TrustVerdict> {
    const leaf = firstCertificate(chain);
    const info = describeCertificate(leaf);
    const now = Date.now();
    if (Date.parse(info.validTo) < now) return { kind: "expired", message: `the server certificate expired on ${info.validTo} (subject ${info.subject}, thumbprint ${info.thumbprint}): renew it on the server` };
    if (Date.parse(info.validFrom) > now) return { kind: "not-yet-valid", message: `the server certificate is valid only from ${info.validFrom} (thumbprint ${info.thumbprint}): check the clocks of the server and this computer` };
    await this.manager.reloadCertificates(); // decisions made outside the app (files copied in) count too
    const status = await this.manager.verifyCertificate(chain, { acceptCertificateWithValidIssuerChain: true });
    if (status === "Good") return { kind: "trusted" };
    if (status === "BadCertificateUntrusted") return this.isRejected(info.thumbprint) ? { kind: "rejected" } : { kind: "untrusted" };
    return { kind: "invalid", message: `the server certificate (thumbprint ${info.thumbprint}) failed verification: ${status}` };
  }

  /** Records a certificate as waiting for the user; resolves with the decision. */
  awaitDecision(chain: Buffer): Promise<"trusted" | "rejected"> {
    const der = firstCertificate(chain);
    const info = describeCertificate(der);
    let entry = this.pending.get(info.thumbprint);
    if (!entry) {
      entry = { der: chain, info, waiters: new Set() };
      this.pending.set(info.thumbprint, entry);
    }
    const waiters = entry.waiters;
    return new Promise((resolve) => waiters.add(resolve));
  }

  /** Certificates waiting for a decision. */
  pendingCertificates(): CertificateInfo[] {
    return [...this.pending.values()].map((p) => p.info);
  }

  /**
   * Where a seen certificate stands, for display: waiting for a decision, out of its validity, or filed as
   * rejected or trusted (the folders as they are now, decisions copied in by hand included).
   */
  trustOf(info: CertificateInfo, now = Date.now()): CertificateTrust {
    const thumbprint = normaliseThumbprint(info.thumbprint);
    if (this.pending.has(thumbprint)) return "pending";
    if (Date.parse(info.validTo) < now) return "expired";
    if (Date.parse(info.validFrom) > now) return "not-yet-valid";
    if (this.isRejected(thumbprint)) return "rejected";
    if (this.findInFolder(this.manager.trustedFolder, thumbprint)) return "trusted";
    return "undecided";
  }

  /** Moves the certificate into trusted/ (from pending or from rejected/). */
  async trust(thumbprint: string): Promise<CertificateInfo> {
    return this.decide(thumbprint, "trusted");
  }

  /** Moves the certificate into rejected/: connections to its server stay blocked until it is trusted. */
  async reject(thumbprint: string): Promise<CertificateInfo> {
    return this.decide(thumbprint, "rejected");
  }

  async dispose(): Promise<void> {
    for (const p of this.pending.values()) p.waiters.clear();
    this.pending.clear();
    await this.manager.dispose();
  }

  private async decide(thumbprint: string, decision: "trusted" | "rejected"): Promise<CertificateInfo> {
    const wanted = normaliseThumbprint(thumbprint);
    const pending = this.pending.get(wanted);
    const der = pending?.der ?? this.findInFolder(this.manager.rejectedFolder, wanted) ?? this.findInFolder(this.manager.trustedFolder, wanted);
    if (!der) throw new Error(`no server certificate with thumbprint ${wanted} is pending, trusted or rejected`);
    if (decision === "trusted") await this.manager.trustCertificate(firstCertificate(der));
    else await this.manager.rejectCertificate(firstCertificate(der));
    this.pending.delete(wanted);
    for (const w of pending?.waiters ?? []) w(decision);
    return describeCertificate(firstCertificate(der));
  }

  private isRejected(thumbprint: string): boolean {
    return this.findInFolder(this.manager.rejectedFolder, thumbprint) !== undefined;
  }

  private findInFolder(folder: string, thumbprint: string): Buffer | undefined {
    if (!existsSync(folder)) return undefined;
    for (const name of readdirSync(folder)) {
      if (!/\.(pem|der|crt)$/i.test(name)) continue;
      const der = toDer(readFileSync(join(folder, name)));
      if (der && thumbprintOf(der) === thumbprint) return der;
    }
    return undefined;
  }
}

/** Upper-case hex without separators; accepts the colon or space separated forms tools print. */
export function normaliseThumbprint(thumbprint: string): string {
  return thumbprint.replace(/[^0-9a-fA-F]/g, "").toUpperCase();
}

export function thumbprintOf(der: Buffer): string {
  return createHash("sha1").update(firstCertificate(der)).digest("hex").toUpperCase();
}

export function describeCertificate(der: Buffer): CertificateInfo {
  const leaf = firstCertificate(der);
  const x = new X509Certificate(leaf);
  const uri = /URI:([^,\s]+)/.exec(x.subjectAltName ?? "")?.[1];
  return {
    thumbprint: thumbprintOf(leaf),
    subject: x.subject.split("\n").join(", "),
    issuer: x.issuer.split("\n").join(", "),
    validFrom: new Date(x.validFrom).toISOString(),
    validTo: new Date(x.validTo).toISOString(),
    ...(uri ? { applicationUri: uri } : {}),
    selfSigned: x.subject === x.issuer && x.verify(x.publicKey),
  };
}

/** The leaf of a DER chain (OPC UA sends chains as concatenated DER certificates). */
export function firstCertificate(chain: Buffer): Buffer {
  if (chain.length < 2 || chain[0] !== 0x30) return chain;
  const first = chain[1]!;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    length = 0;
    for (let k = 0; k < bytes; k++) length = length * 256 + chain[2 + k]!;
    header = 2 + bytes;
  }
  return chain.subarray(0, Math.min(chain.length, header + length));
}

function toDer(content: Buffer): Buffer | undefined {
  const text = content.toString("latin1");
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(text);
  if (m) return Buffer.from(m[1]!.replace(/\s+/g, ""), "base64");
  return content[0] === 0x30 ? content : undefined;
}
