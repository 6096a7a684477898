/**
 * The governance part of the API contract: users, sessions, proposals, alarms and the audit trail.
 *
 * Pure zod, no Node: it is written to move as is to `src-main/common/api/governance.ts` and be spread into
 * `requests` / `events` of the main contract. Until then the main process types its handlers against it.
 */
import { z } from "zod";

/** Ordered: each role may do everything the roles before it may. */
export const Role = z.enum(["viewer", "operator", "engineer", "admin"]);
export type Role = z.infer<typeof Role>;

/** Whether `role` includes the rights of `needed` (viewer < operator < engineer < admin). */
export function roleAtLeast(role: Role | undefined | null, needed: Role): boolean {
  return role !== undefined && role !== null && Role.options.indexOf(role) >= Role.options.indexOf(needed);
}

/** Who may call a method: anyone who reached the API (`public`), or a session of at least this role. */
export const Access = z.union([z.literal("public"), Role]);
export type Access = z.infer<typeof Access>;

export const Username = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{1,31}$/, "2 to 32 characters: lower-case letters, digits, . _ -, starting with a letter");
/** Length rules are checked by the main process (passwords.ts) so the message can name the rule. */
const Password = z.string().min(1).max(1024);

export const User = z.object({
  id: z.number().int().positive(),
  username: Username,
  displayName: z.string(),
  role: Role,
  disabled: z.boolean(),
  createdAt: z.number(),
  createdBy: z.string(),
  lastLoginAt: z.number().nullable(),
});
export type User = z.infer<typeof User>;

/** What a login returns. The token goes into the `session` field of every later request envelope. */
export const SessionGrant = z.object({
  token: z.string(),
  user: User,
  /** Inactivity that ends the session, ms. */
  idleTimeoutMs: z.number(),
  /** When the session ends if no request comes before (Unix ms). */
  expiresAt: z.number(),
});
export type SessionGrant = z.infer<typeof SessionGrant>;

export const SetpointValue = z.union([z.number(), z.boolean()]);
export type SetpointValue = z.infer<typeof SetpointValue>;

export const ProposalState = z.enum([
  "proposed",
  "pending",
  "approved",
  "modified-and-approved",
  "rejected",
  "expired",
  "superseded",
  "applying",
  "applied",
  "failed",
  "rolled-back",
]);
export type ProposalState = z.infer<typeof ProposalState>;

export const ProposalOrigin = z.enum(["optimiser", "what-if", "user", "rollback"]);
export type ProposalOrigin = z.infer<typeof ProposalOrigin>;

/** The rules a write is checked against; every refusal names one of them. */
export const CheckRule = z.enum([
  "writable",
  "type",
  "limits",
  "maxStep",
  "maxRatePerS",
  "approveRole",
  "twoPerson",
  "reauthentication",
  "autoApproveBand",
  "interlock.connection",
  "interlock.stale",
  "interlock.anomaly",
  "plantState",
  "ttl",
  "state",
]);
export type CheckRule = z.infer<typeof CheckRule>;

export const PolicyCheck = z.object({
  rule: CheckRule,
  pass: z.boolean(),
  /** Names the tag and the rule, e.g. `bufferTank.temperatureSetpoint: step 12 °C exceeds maxStep 5 °C`. */
  reason: z.string(),
});
export type PolicyCheck = z.infer<typeof PolicyCheck>;

export const Approval = z.object({
  userId: z.number().int(),
  username: z.string(),
  role: Role,
  at: z.number(),
  /** The value this approval is for (a modification discards approvals of the old value). */
  value: SetpointValue,
  comment: z.string().optional(),
  /** The approver typed the password again (required on two-person tags). */
  reauthenticated: z.boolean(),
});
export type Approval = z.infer<typeof Approval>;

/** One line of the proposal's own history: who did what when. The audit trail holds the same, chained. */
export const ProposalStep = z.object({
  at: z.number(),
  actor: z.string(),
  action: z.string(),
  note: z.string().optional(),
});

export const WriteOutcome = z.object({
  sentAt: z.number(),
  finishedAt: z.number().nullable(),
  written: SetpointValue,
  readBack: SetpointValue.nullable(),
  statusName: z.string(),
  confirmed: z.boolean(),
});
export type WriteOutcome = z.infer<typeof WriteOutcome>;

export const Proposal = z.object({
  id: z.string(),
  tagId: z.string(),
  nodeId: z.string(),
  unit: z.string().optional(),
  origin: ProposalOrigin,
  proposedBy: z.string(),
  /** User id of the proposer, null for the optimiser and what-if. */
  proposerUserId: z.number().int().nullable(),
  proposedAt: z.number(),
  reason: z.string(),
  /** The value the proposal was computed from (the plant state it assumes); null when unknown. */
  from: SetpointValue.nullable(),
  /** The value to write (after any modification). */
  value: SetpointValue,
  /** The value first proposed, before any modification. */
  proposedValue: SetpointValue,
  /** Opaque JSON from the optimiser or what-if: the predicted effect on the plant, with bands. */
  predictedEffect: z.unknown(),
  state: ProposalState,
  checks: z.array(PolicyCheck),
  approvals: z.array(Approval),
  approvalsNeeded: z.number().int().positive(),
  expiresAt: z.number(),
  decision: z.object({ by: z.string(), at: z.number(), reason: z.string() }).optional(),
  supersededBy: z.string().optional(),
  rollbackOf: z.string().optional(),
  rolledBackBy: z.string().optional(),
  write: WriteOutcome.optional(),
  failure: z.string().optional(),
  history: z.array(ProposalStep),
  updatedAt: z.number(),
});
export type Proposal = z.infer<typeof Proposal>;

export const WriteAlarm = z.object({
  id: z.number().int(),
  raisedAt: z.number(),
  tagId: z.string(),
  proposalId: z.string(),
  message: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.number().nullable(),
});
export type WriteAlarm = z.infer<typeof WriteAlarm>;

export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  time: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  details: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditFilter = z
  .object({
    actor: z.string().max(100).optional(),
    /** Exact action, or a prefix ending in `.` (e.g. `proposal.`). */
    action: z.string().max(100).optional(),
    target: z.string().max(200).optional(),
    since: z.number().optional(),
    until: z.number().optional(),
    /** Entries with a larger sequence number (paging). */
    afterSeq: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(5_000).default(200),
  })
  .strict();
export type AuditFilter = z.input<typeof AuditFilter>;

export const ChainReport = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  headHash: z.string().nullable(),
  firstBad: z.object({ seq: z.number().int(), problem: z.string(), message: z.string() }).optional(),
  warnings: z.array(z.string()),
});
export type ChainReport = z.infer<typeof ChainReport>;

const NoParams = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });
const Comment = z.string().max(2_000);
const Reason = z.string().trim().min(3, "give a reason (at least 3 characters)").max(2_000);
const ProposalId = z.object({ id: z.string().min(1).max(100) });

/** Request methods of governance, to spread into the main contract's `requests`. */
export const governanceRequests = {
  /** Public: what the login page needs (first run, who is logged in on this session). */
  "auth.whoami": {
    params: NoParams,
    result: z.object({ setupRequired: z.boolean(), user: User.nullable(), expiresAt: z.number().nullable() }),
  },
  /** Public, first run only: creates the first admin and logs in. Refused once any user exists. */
  "auth.setupAdmin": {
    params: z.object({ username: Username, password: Password, displayName: z.string().max(100).optional() }).strict(),
    result: SessionGrant,
  },
  "auth.login": { params: z.object({ username: z.string().max(64), password: Password }).strict(), result: SessionGrant },
  "auth.logout": { params: NoParams, result: Ok },
  "auth.changePassword": { params: z.object({ current: Password, next: Password }).strict(), result: Ok },
  "users.list": { params: NoParams, result: z.array(User) },
  "users.create": {
    params: z.object({ username: Username, password: Password, role: Role, displayName: z.string().max(100).optional() }).strict(),
    result: User,
  },
  "users.setRole": { params: z.object({ userId: z.number().int().positive(), role: Role }).strict(), result: User },
  "users.disable": { params: z.object({ userId: z.number().int().positive(), reason: Reason }).strict(), result: User },
  "users.enable": { params: z.object({ userId: z.number().int().positive() }).strict(), result: User },
  "users.resetPassword": { params: z.object({ userId: z.number().int().positive(), password: Password }).strict(), result: User },
  "proposals.list": {
    params: z
      .object({
        states: z.array(ProposalState).optional(),
        tagId: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1_000).default(200),
      })
      .strict(),
    result: z.array(Proposal),
  },
  "proposals.get": { params: ProposalId.strict(), result: Proposal },
  /** A user's own proposal (the optimiser and what-if propose in process, not through the API). */
  "proposals.create": {
    params: z
      .object({ tagId: z.string().min(1).max(200), value: SetpointValue, reason: Reason, predictedEffect: z.unknown().optional() })
      .strict(),
    result: Proposal,
  },
  /** `password` is required on two-person (critical) tags: the approver types it again. */
  "proposals.approve": { params: ProposalId.extend({ comment: Comment.optional(), password: Password.optional() }).strict(), result: Proposal },
  "proposals.modifyAndApprove": {
    params: ProposalId.extend({ value: SetpointValue, comment: Comment.optional(), password: Password.optional() }).strict(),
    result: Proposal,
  },
  "proposals.reject": { params: ProposalId.extend({ reason: Reason }).strict(), result: Proposal },
  /** Proposes writing back the value before an applied (or failed) proposal; it needs approval like any other. */
  "proposals.rollback": { params: ProposalId.extend({ reason: Reason }).strict(), result: Proposal },
  "alarms.list": { params: z.object({ open: z.boolean().default(true) }).strict(), result: z.array(WriteAlarm) },
  "alarms.acknowledge": { params: z.object({ id: z.number().int().positive() }).strict(), result: WriteAlarm },
  "audit.list": { params: AuditFilter, result: z.array(AuditEntry) },
  "audit.export": {
    params: AuditFilter.omit({ limit: true }).extend({ format: z.enum(["csv", "json"]) }).strict(),
    result: z.object({ format: z.enum(["csv", "json"]), entries: z.number().int(), content: z.string() }),
  },
  "audit.verify": { params: NoParams, result: ChainReport },
} as const;

/**
 * Events. Payloads carry ids and states only: events reach every connection, logged in or not, so the
 * details are fetched with a role-checked request.
 */
export const governanceEvents = {
  "proposals.changed": z.object({ id: z.string(), tagId: z.string(), state: ProposalState }),
  "alarms.raised": z.object({ id: z.number().int(), tagId: z.string(), proposalId: z.string() }),
} as const;

export type GovernanceRequests = typeof governanceRequests;
export type GovernanceMethod = keyof GovernanceRequests;
export type GovernanceParams<M extends GovernanceMethod> = z.output<GovernanceRequests[M]["params"]>;
export type GovernanceResult<M extends GovernanceMethod> = z.output<GovernanceRequests[M]["result"]>;
export type GovernanceEventName = keyof typeof governanceEvents;
export type GovernanceEventPayload<E extends GovernanceEventName> = z.output<(typeof governanceEvents)[E]>;
export const GOVERNANCE_METHODS = Object.keys(governanceRequests) as GovernanceMethod[];
