/**
 * The governance methods of the API, implemented over the services. Unguarded on their own: the host wraps
 * them (with the rest of the contract) in `guardHandlers`, which resolves the session and checks the role
 * before any of these runs. They still refuse a call without a user, in case someone forgets.
 */
import type { GovernanceMethod, GovernanceParams, GovernanceResult } from "../common/api/governance";
import { userActor, type AuthContext, type Authenticator } from "./auth";
import type { AlarmLog } from "./alarms";
import { auditToCsv, auditToJson } from "./audit-export";
import type { AuditLog } from "./audit-log";
import { verifyAuditChain } from "./audit-verify";
import type { Clock } from "./clock";
import type { ProposalWorkflow } from "./proposals";
import { Refusal } from "./refusal";
import type { UserDirectory } from "./users";

export type GovernanceHandlers = {
  [M in GovernanceMethod]: (params: GovernanceParams<M>, auth: AuthContext | null) => GovernanceResult<M> | Promise<GovernanceResult<M>>;
};

export interface HandlerServices {
  auth: Authenticator;
  users: UserDirectory;
  proposals: ProposalWorkflow;
  alarms: AlarmLog;
  audit: AuditLog;
  clock: Clock;
  dbFile: string;
}

function who(auth: AuthContext | null): AuthContext {
  if (!auth) throw Refusal.of("session", "a login is required");
  return auth;
}

export function governanceHandlers(s: HandlerServices): GovernanceHandlers {
  return {
    "auth.whoami": (_p, auth) => s.auth.whoami(auth),
    "auth.setupAdmin": (p) => s.auth.setupAdmin(p),
    "auth.login": (p) => s.auth.login(p.username, p.password),
    "auth.logout": (_p, auth) => {
      s.auth.logout(who(auth));
      return { ok: true as const };
    },
    "auth.changePassword": async (p, auth) => {
      await s.users.changePassword(who(auth).user.id, p.current, p.next);
      return { ok: true as const };
    },
    "users.list": () => s.users.list(),
    "users.create": (p, auth) => s.users.create(userActor(who(auth)), p),
    "users.setRole": (p, auth) => s.users.setRole(userActor(who(auth)), p.userId, p.role),
    "users.disable": (p, auth) => s.users.disable(userActor(who(auth)), p.userId, p.reason),
    "users.enable": (p, auth) => s.users.enable(userActor(who(auth)), p.userId),
    "users.resetPassword": (p, auth) => s.users.resetPassword(userActor(who(auth)), p.userId, p.password),
    "proposals.list": (p) => s.proposals.list(p),
    "proposals.get": (p) => s.proposals.get(p.id),
    "proposals.create": (p, auth) => s.proposals.propose(userActor(who(auth)), { tagId: p.tagId, value: p.value, reason: p.reason, predictedEffect: p.predictedEffect }),
    "proposals.approve": (p, auth) => s.proposals.approve(who(auth), p.id, decision(p)),
    "proposals.modifyAndApprove": (p, auth) => s.proposals.modifyAndApprove(who(auth), p.id, p.value, decision(p)),
    "proposals.reject": (p, auth) => s.proposals.reject(who(auth), p.id, p.reason),
    "proposals.rollback": (p, auth) => s.proposals.rollback(who(auth), p.id, p.reason),
    "alarms.list": (p) => s.alarms.list(p.open),
    "alarms.acknowledge": (p, auth) => s.alarms.acknowledge(userActor(who(auth)), p.id),
    "audit.list": (p) => s.audit.list(p),
    "audit.export": (p, auth) => {
      const { format, ...filter } = p;
      const entries = s.audit.all(filter);
      // Who took a copy of the trail is itself part of the trail.
      s.audit.append({ actor: who(auth).user.username, action: "audit.exported", target: "audit", details: { format, filter, entries: entries.length } });
      const content = format === "csv" ? auditToCsv(entries) : auditToJson(entries, s.clock(), filter);
      return { format, entries: entries.length, content };
    },
    "audit.verify": () => verifyAuditChain(s.dbFile),
  };
}

function decision(p: { comment?: string | undefined; password?: string | undefined }) {
  return { ...(p.comment !== undefined ? { comment: p.comment } : {}), ...(p.password !== undefined ? { password: p.password } : {}) };
}
