/**
 * The role each API method requires, for the whole contract (the compiler insists that every method of
 * both contracts has an entry). `public` methods are what a login page needs.
 */
import { commissioningAccess } from "../common/api/commissioning";
import { connectionsAccess } from "../common/api/connections";
import type { Method } from "../common/api/contract";
import type { Access } from "../common/api/governance";
import { historyAccess } from "../common/api/history";
import { whatifAccess } from "../common/api/whatif";

export const METHOD_ACCESS: Readonly<Record<Method, Access>> = {
  // Each area declares its own methods' roles beside their schemas.
  ...historyAccess,
  ...connectionsAccess,
  ...whatifAccess,
  ...commissioningAccess,

  "app.info": "public",
  "scene.get": "viewer",
  "tags.list": "viewer",
  "tags.snapshot": "viewer",
  "plant.status": "viewer",
  "trend.history": "viewer",
  "estimation.info": "viewer",
  "estimation.latest": "viewer",
  "estimation.history": "viewer",
  "estimation.predict": "viewer",

  "auth.whoami": "public",
  "auth.setupAdmin": "public",
  "auth.login": "public",
  "auth.logout": "viewer",
  "auth.changePassword": "viewer",

  "users.list": "admin",
  "users.create": "admin",
  "users.setRole": "admin",
  "users.disable": "admin",
  "users.enable": "admin",
  "users.resetPassword": "admin",

  "proposals.list": "viewer",
  "proposals.get": "viewer",
  "proposals.create": "operator",
  // The tag's own approveRole (operator, engineer or admin) is checked on top, per proposal.
  "proposals.approve": "operator",
  "proposals.modifyAndApprove": "operator",
  "proposals.reject": "operator",
  "proposals.rollback": "operator",

  "alarms.list": "viewer",
  "alarms.acknowledge": "operator",

  "audit.list": "engineer",
  "audit.export": "engineer",
  "audit.verify": "engineer",
};

/** Called by the UI on its own (polling, refresh after an event): they do not count as user activity. */
export const PASSIVE_METHODS: ReadonlySet<string> = new Set([
  "app.info",
  "tags.snapshot",
  "plant.status",
  "trend.history",
  "estimation.latest",
  "estimation.history",
  "history.query",
  "history.validation",
  "auth.whoami",
  "proposals.list",
  "alarms.list",
  "connections.list",
  "certificates.pending",
  // The what-if panel asks now and then while a job runs (in case an event was missed).
  "whatif.jobs.status",
  // The commissioning panel polls the plant's IO list and the desk's status while it is shown, and fetches a
  // run's results when an event says a test finished.
  "commissioning.status",
  "commissioning.io",
  "commissioning.result",
]);
