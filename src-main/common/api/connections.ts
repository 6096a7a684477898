/**
 * The connections part of the API contract (requests, events, and the role each request needs), spread into
 * the main contract: the plant's OPC UA connections with their security and statistics, endpoint discovery,
 * server-certificate decisions, the address-space browser, and binding a scene tag to a browsed node.
 * Pure zod, no Node.
 */
import { z } from "zod";
import { TagDataType, TagRole } from "../scene/schema";
import type { Access } from "./governance";

const ConnectionId = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "a connection id from the scene (a letter, then letters, digits or _)").max(64);
/** The textual NodeId forms OPC UA defines (`ns=1;s=Name`, `i=85`, `nsu=urn:…;s=Name`). */
export const NodeIdText = z
  .string()
  .max(1_000)
  .regex(/^(ns=\d+;|nsu=[^;]+;)?[isgb]=.+$/, "an OPC UA NodeId such as ns=1;s=Name or i=85");
/** SHA-1 of the DER certificate as hex; the colon or space separated forms tools print are accepted too. */
const Thumbprint = z
  .string()
  .max(80)
  .regex(/^[0-9A-Fa-f]{2}([:\s]?[0-9A-Fa-f]{2}){19}$/, "a SHA-1 thumbprint: 40 hex digits (colons or spaces allowed between bytes)");
const EndpointUrl = z.string().max(500).regex(/^opc\.tcp:\/\/[^\s]+$/, "an opc.tcp:// URL");
const Reason = z.string().trim().max(500);

export const SecurityMode = z.enum(["None", "Sign", "SignAndEncrypt"]);
export type SecurityMode = z.infer<typeof SecurityMode>;

/** The plant layer's connection states (richer than the PlantStatus ConnectionState of the status bar). */
export const PlantConnectionState = z.enum(["connecting", "connected", "stalled", "reconnecting", "certificate-untrusted", "blocked", "disconnected"]);
export type PlantConnectionState = z.infer<typeof PlantConnectionState>;

/**
 * What the user (and the calendar) say about a server certificate: `pending` waits for a decision (a
 * connection is held up by it), `undecided` was seen but nobody was asked (e.g. a security None endpoint).
 */
export const CertificateTrust = z.enum(["trusted", "pending", "rejected", "expired", "not-yet-valid", "undecided"]);
export type CertificateTrust = z.infer<typeof CertificateTrust>;

export const CertificateView = z.object({
  /** SHA-1 of the DER certificate, upper-case hex. */
  thumbprint: z.string(),
  subject: z.string(),
  issuer: z.string(),
  /** ISO 8601. */
  validFrom: z.string(),
  validTo: z.string(),
  applicationUri: z.string().optional(),
  selfSigned: z.boolean(),
  trust: CertificateTrust,
});
export type CertificateView = z.infer<typeof CertificateView>;

export const ConnectionStatistics = z.object({
  /** Value notifications per second over the last few seconds. */
  notificationsPerS: z.number().nonnegative(),
  /** Server timestamp → received, ms (null before any value). */
  latencyP50Ms: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
  reconnects: z.number().int().nonnegative(),
  /** Values delivered since the connection was opened. */
  delivered: z.number().int().nonnegative(),
  droppedDuplicates: z.number().int().nonnegative(),
  droppedOutOfOrder: z.number().int().nonnegative(),
  /** Publish responses lost in an outage that the server could no longer resend. */
  lostMessages: z.number().int().nonnegative(),
});

export const ConnectionInfo = z.object({
  id: z.string(),
  endpoint: z.string(),
  state: PlantConnectionState,
  /** When the connection entered this state (host clock, Unix ms). */
  since: z.number(),
  /** Why the state is not `connected`, in words an engineer can act on. */
  message: z.string().optional(),
  /** The newest problem, kept after the connection recovered. */
  lastError: z.object({ message: z.string(), at: z.number() }).optional(),
  securityMode: SecurityMode,
  securityPolicy: z.string(),
  identity: z.object({ kind: z.enum(["anonymous", "username"]), user: z.string().optional() }),
  /** The server certificate, once seen. */
  certificate: CertificateView.optional(),
  tagCount: z.number().int().nonnegative(),
  staleTags: z.number().int().nonnegative(),
  statistics: ConnectionStatistics,
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

export const DiscoveredEndpoint = z.object({
  endpointUrl: z.string(),
  securityMode: z.string(),
  /** The policy's short name, e.g. Basic256Sha256. */
  securityPolicy: z.string(),
  securityLevel: z.number(),
  userIdentityTokens: z.array(z.enum(["anonymous", "username", "certificate", "issued"])),
  server: z.object({ applicationUri: z.string(), applicationName: z.string() }),
  certificate: CertificateView.optional(),
});
export type DiscoveredEndpoint = z.infer<typeof DiscoveredEndpoint>;

/** Why a certificate holds a connection up. */
export const BlockedBecause = z.enum(["untrusted", "rejected", "expired", "not-yet-valid"]);
export type BlockedBecause = z.infer<typeof BlockedBecause>;

export const BlockingCertificate = z.object({
  certificate: CertificateView,
  blockedBecause: BlockedBecause,
  /** What to do, in words. */
  message: z.string(),
  connections: z.array(z.object({ id: z.string(), endpoint: z.string() })),
});
export type BlockingCertificate = z.infer<typeof BlockingCertificate>;

export const CertificateDecision = z.object({
  certificate: CertificateView,
  /** Connections that present this certificate (they proceed, or stay blocked, accordingly). */
  connections: z.array(z.string()),
});

const Range = z.object({ low: z.number(), high: z.number() });

/** One node of the lazily loaded tree. */
export const BrowsedNode = z.object({
  nodeId: z.string(),
  /** Qualified name, e.g. `1:Speed`. */
  browseName: z.string(),
  displayName: z.string(),
  nodeClass: z.string(),
  /** Variables only. */
  dataType: z.string().optional(),
  valueRank: z.number().optional(),
  accessLevel: z.array(z.string()).optional(),
  userAccessLevel: z.array(z.string()).optional(),
  hasChildren: z.boolean(),
});
export type BrowsedNode = z.infer<typeof BrowsedNode>;

export const NodeValue = z.union([z.number(), z.boolean(), z.string(), z.array(z.number()), z.array(z.boolean()), z.array(z.string()), z.null()]);

export const NodeDetails = BrowsedNode.extend({
  description: z.string().optional(),
  value: NodeValue.optional(),
  quality: z.enum(["good", "uncertain", "bad"]).optional(),
  status: z.string().optional(),
  sourceTs: z.number().nullable().optional(),
  serverTs: z.number().nullable().optional(),
  engineeringUnits: z.object({ displayName: z.string(), description: z.string(), unitId: z.number(), namespaceUri: z.string() }).optional(),
  euRange: Range.optional(),
  instrumentRange: Range.optional(),
  minimumSamplingIntervalMs: z.number().optional(),
  /** Whether a scene tag can be bound to it, and as which scene data type (or why not). */
  bindable: z.object({ dataType: TagDataType.optional(), reason: z.string().optional() }),
  /** Scene tags (ids) bound to this node on this connection. */
  boundTags: z.array(z.string()),
});
export type NodeDetails = z.infer<typeof NodeDetails>;

export const SearchHit = BrowsedNode.extend({
  /** Display names from where the search started, e.g. `DemoCell/FeedPump/Speed`. */
  path: z.string(),
});
export type SearchHit = z.infer<typeof SearchHit>;

const OnConnection = { connection: ConnectionId };
const NoParams = z.object({}).strict();

export const connectionsRequests = {
  /** Every connection of the scene with its state, security, server certificate and statistics. */
  "connections.list": { params: NoParams, result: z.array(ConnectionInfo) },
  /** A blocked or waiting connection tries again now (after its cause was fixed). */
  "connections.retry": { params: z.object(OnConnection).strict(), result: ConnectionInfo },
  /** Asks the server at a URL for its endpoints (one unsecured GetEndpoints, as every OPC UA client does first). */
  "endpoints.discover": { params: z.object({ endpointUrl: EndpointUrl }).strict(), result: z.array(DiscoveredEndpoint) },
  /** Server certificates holding a connection up: waiting for a decision, rejected, expired or not yet valid. */
  "certificates.pending": { params: NoParams, result: z.array(BlockingCertificate) },
  "certificates.trust": { params: z.object({ thumbprint: Thumbprint, reason: Reason.optional() }).strict(), result: CertificateDecision },
  "certificates.reject": { params: z.object({ thumbprint: Thumbprint, reason: Reason.optional() }).strict(), result: CertificateDecision },
  /** The hierarchical children of a node (default: the Objects folder, i=85). */
  "browse.children": {
    params: z.object({ ...OnConnection, nodeId: NodeIdText.optional() }).strict(),
    result: z.object({ nodeId: z.string(), children: z.array(BrowsedNode) }),
  },
  /** Nodes whose browse or display name contains `name`, breadth first. */
  "browse.search": {
    params: z
      .object({
        ...OnConnection,
        name: z.string().trim().min(1).max(100),
        from: NodeIdText.optional(),
        maxDepth: z.number().int().min(1).max(10).default(6),
        maxResults: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    result: z.object({ hits: z.array(SearchHit), truncated: z.boolean() }),
  },
  /** One node described in full: attributes, value, EngineeringUnits, EURange. */
  "node.read": { params: z.object({ ...OnConnection, nodeId: NodeIdText }).strict(), result: NodeDetails },
  /**
   * Binds a scene tag (existing, or new in an asset) to a node: saved to the scene file, its comments and
   * layout kept, and audited. The running twin keeps its bindings until it restarts.
   */
  "scene.bindTag": {
    params: z
      .object({
        ...OnConnection,
        assetId: z.string().min(1).max(64),
        key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "a tag key: a letter, then letters, digits or _").max(64),
        nodeId: NodeIdText,
        /** Default: as the node's DataType maps to the scene's. */
        dataType: TagDataType.optional(),
        /** For a new tag (default measurement); an existing tag keeps its role unless given. */
        role: TagRole.optional(),
        unit: z.string().max(40).optional(),
        range: z.tuple([z.number(), z.number()]).optional(),
        reason: Reason.optional(),
      })
      .strict(),
    result: z.object({
      tagId: z.string(),
      created: z.boolean(),
      /** The scene file written. */
      file: z.string(),
      /** The binding takes effect when the workbench restarts on this scene. */
      restartRequired: z.boolean(),
    }),
  },
} as const;

export const connectionsEvents = {
  /** A connection changed state (not sent for statistics: poll connections.list for those). */
  "connections.changed": z.object({ id: z.string(), state: PlantConnectionState, message: z.string().optional() }),
  /** A server certificate holds a connection up until someone trusts or rejects it. */
  "certificates.awaitingDecision": z.object({ thumbprint: z.string(), subject: z.string(), connections: z.array(z.string()) }),
  /** A scene tag was bound to a node in the scene file. */
  "scene.tagBound": z.object({ tagId: z.string(), connection: z.string(), nodeId: z.string(), file: z.string(), by: z.string(), restartRequired: z.boolean() }),
} as const;

/**
 * The role each method needs (checked in the main process by the governance guard).
 *
 * Trusting a server certificate widens whom the twin believes to be the PLC (a man in the middle with a
 * trusted certificate feeds the twin, and receives governed writes): like managing users, that is the
 * admin's. Rejecting only narrows it (fails safe, and an admin can reverse it), so an engineer who sees an
 * unexpected certificate may reject it at once. Binding tags is engineering work and is audited; rebinding a
 * writable tag (which moves where approved writes land) additionally needs an admin, checked by the handler.
 */
export const connectionsAccess: Readonly<Record<keyof typeof connectionsRequests, Access>> = {
  "connections.list": "viewer",
  "certificates.pending": "viewer",
  "connections.retry": "operator",
  "endpoints.discover": "engineer",
  "browse.children": "engineer",
  "browse.search": "engineer",
  "node.read": "engineer",
  "certificates.reject": "engineer",
  "scene.bindTag": "engineer",
  "certificates.trust": "admin",
};
