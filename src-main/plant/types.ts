/**
 * The plant layer's own vocabulary: what a connection is configured with, what a bound tag asks of the server,
 * the samples and freshness changes it emits, and the status it reports. Pure types; no node-opcua here, so
 * the rest of the main process and the tests can speak about the plant without the protocol library.
 */
import type { Quality } from "../common/api/contract";

export type SecurityModeName = "None" | "Sign" | "SignAndEncrypt";

/** The policies node-opcua supports that are not deprecated (Basic128Rsa15 and Basic256 are, by OPC UA 1.04). */
export const SECURITY_POLICIES = ["None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"] as const;
export type SecurityPolicyName = (typeof SECURITY_POLICIES)[number];

/** Who the client says it is. A password comes from the environment, never from the scene file. */
export type Identity =
  | { type: "anonymous" }
  | { type: "username"; user: string; password?: string; passwordEnv?: string };

export interface ConnectionConfig {
  id: string;
  /** opc.tcp:// URL. */
  endpoint: string;
  securityMode: SecurityModeName;
  /** One of SECURITY_POLICIES (scene files hold a free string: anything else blocks with a clear message). */
  securityPolicy: string;
  identity?: Identity;
}

export type Deadband = { type: "absolute" | "percent"; value: number };

/** A scene tag bound to a node on one connection. */
export interface TagBinding {
  /** The runtime's tag index (TagInfo.index): samples name tags by it. */
  index: number;
  connection: string;
  nodeId: string;
  /** Requested sampling interval, ms. 0 asks the server for its fastest (often exception-based) sampling. */
  samplingMs: number;
  /**
   * Values the server keeps for this tag between publishes. It also bounds what survives an outage:
   * about queueSize × samplingMs of history is delivered after a reconnection. Default 10.
   */
  queueSize?: number;
  /** Suppresses changes smaller than this (percent needs the node's EURange). */
  deadband?: Deadband;
  /** Publishing interval of the subscription the tag joins; default derived from samplingMs. */
  publishingMs?: number;
}

export type PlantValue = number | boolean | string | number[] | boolean[] | string[] | null;

/**
 * One value of one tag as the plant delivered it. Times are Unix ms; sub-millisecond parts of OPC UA's
 * 100 ns timestamps are kept as the fraction, so two changes within one millisecond still order.
 */
export interface PlantSample {
  tag: number;
  value: PlantValue;
  quality: Quality;
  /** OPC UA StatusCode name, e.g. Good, UncertainLastUsableValue, BadSensorFailure. */
  status: string;
  statusCode: number;
  /** From the device; null when the server sent none. */
  sourceTs: number | null;
  /** When the server saw the value; null when the server sent none. */
  serverTs: number | null;
  receivedAt: number;
}

/**
 * Tags whose values stopped (stale: true) or resumed (stale: false) being current. The last value of a stale
 * tag is no longer live; the UI must say so. A fresh change means the last delivered value is current again.
 */
export interface FreshnessChange {
  connection: string;
  tags: number[];
  stale: boolean;
  /** Status name a stale tag carries, e.g. BadCommunicationError, BadNoCommunication. */
  status: string;
  reason: string;
  at: number;
}

export type PlantConnectionState =
  | "connecting"
  | "connected"
  /** Session up, but no publish response within the keep-alive deadline: values are stale. */
  | "stalled"
  | "reconnecting"
  /** Waiting for the user to trust or reject the server certificate. */
  | "certificate-untrusted"
  /** Cannot proceed without a change by the user (rejected or expired certificate, refused identity…). */
  | "blocked"
  | "disconnected";

export interface CertificateInfo {
  /** SHA-1 of the DER certificate, upper-case hex, as UaExpert shows it. */
  thumbprint: string;
  subject: string;
  issuer: string;
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  applicationUri?: string;
  selfSigned: boolean;
}

export interface ConnectionStatistics {
  /** Value notifications per second over the last few seconds. */
  notificationsPerS: number;
  /** Server timestamp → received, ms, median and 95th percentile of recent values (null before any). */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  reconnects: number;
  /** Values received twice (same tag, source time and value), dropped. */
  droppedDuplicates: number;
  /** Values older than one already delivered for the tag, dropped. */
  droppedOutOfOrder: number;
  /** Publish responses lost in an outage that the server could no longer resend (their values are missing). */
  lostMessages: number;
  /** Values delivered since the connection was opened. */
  delivered: number;
}

export interface PlantConnectionStatus {
  id: string;
  endpoint: string;
  state: PlantConnectionState;
  /** When the connection entered this state. */
  since: number;
  /** Why the state is not `connected`, in words an engineer can act on. */
  message?: string;
  /** The newest problem (a message of a state other than `connected`), kept after the connection recovered. */
  lastError?: { message: string; at: number };
  securityMode: SecurityModeName;
  securityPolicy: string;
  /** "anonymous" or the user name. */
  identity: string;
  /** The server certificate, once known (always shown while untrusted). */
  certificate?: CertificateInfo;
  tagCount: number;
  staleTags: number;
  statistics: ConnectionStatistics;
}
