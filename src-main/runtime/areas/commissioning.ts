/**
 * The commissioning methods of the API, implemented over the runtime's commissioning desk (one per runtime,
 * commissioning/desk/desk.ts). The desk has a plant to drive only when the host attached the virtual plant it
 * started (`twinbench start` without --endpoint); otherwise every call is refused with the reason.
 * Forces, faults, connection drops and runs are written to the audit trail with the caller's name.
 */
import { ApiError } from "../../common/api/contract";
import type { commissioningRequests } from "../../common/api/commissioning";
import { CommissioningDesk, DeskBusy, DeskInputError, DeskUnavailable } from "../../commissioning/desk/desk";
import type { AuditAction } from "../../governance/audit-log";
import type { AuthContext } from "../../governance/auth";
import type { TwinRuntime } from "../twin-runtime";
import type { AreaHandlers } from "./area-handlers";

const desks = new WeakMap<TwinRuntime, CommissioningDesk>();

/** The runtime's commissioning desk (created on first use). The host attaches the virtual plant to it. */
export function commissioningDesk(runtime: TwinRuntime): CommissioningDesk {
  let desk = desks.get(runtime);
  if (!desk) {
    desk = new CommissioningDesk({
      scene: runtime.scene,
      sceneFile: runtime.sceneFile,
      dataFolder: runtime.dataFolder,
      emit: (event, payload) => runtime.emit(event, payload),
      log: (line) => runtime.log(line),
    });
    desks.set(runtime, desk);
  }
  return desk;
}

/** The desk's errors as the contract's: no plant or a run in progress is a refusal, a bad name is invalid input. */
async function answer<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DeskUnavailable || err instanceof DeskBusy) throw new ApiError("refused", err.message);
    if (err instanceof DeskInputError) throw new ApiError("invalid_params", err.message);
    throw err;
  }
}

export function commissioningHandlers(runtime: TwinRuntime): AreaHandlers<typeof commissioningRequests> {
  const desk = () => commissioningDesk(runtime);
  const audit = (caller: AuthContext | null, action: AuditAction, target: string, details: unknown, reason?: string) =>
    runtime.governance.audit.append({ actor: caller?.user.username ?? "anonymous", action, target, details, ...(reason ? { reason } : {}) });

  return {
    "commissioning.status": () => answer(() => desk().status()),
    "commissioning.io": () =>
      answer(async () => {
        const view = await desk().io();
        return { plantTimeS: view.plantTimeS, rows: view.rows };
      }),
    "commissioning.force": ({ tag, value, reason }, caller) =>
      answer(async () => {
        const forces = await desk().force(tag, value);
        audit(caller, "commissioning.force", `signal:${tag}`, { value }, reason);
        return { forces };
      }),
    "commissioning.unforce": ({ tags }, caller) =>
      answer(async () => {
        const released = await desk().unforce(tags);
        if (released.length > 0) audit(caller, "commissioning.unforce", tags ? `signals:${tags.join(",")}` : "signals:all", { released });
        return { released };
      }),
    "commissioning.faults": () => answer(async () => ({ faults: await desk().faults() })),
    "commissioning.injectFault": ({ fault, reason }, caller) =>
      answer(async () => {
        const faults = await desk().injectFault(fault);
        audit(caller, "commissioning.fault-injected", `signal:${fault.tag}`, { fault }, reason);
        return { faults };
      }),
    "commissioning.clearFaults": ({ tags }, caller) =>
      answer(async () => {
        const cleared = await desk().clearFaults(tags);
        if (cleared.length > 0) audit(caller, "commissioning.faults-cleared", tags ? `signals:${tags.join(",")}` : "signals:all", { cleared });
        return { cleared };
      }),
    "commissioning.dropConnection": ({ seconds, reason }, caller) =>
      answer(async () => {
        await desk().dropConnection(seconds);
        audit(caller, "commissioning.connection-dropped", "plant-server", { seconds }, reason);
        return {};
      }),
    "commissioning.suites": () => answer(() => ({ suites: desk().suites() })),
    "commissioning.run": ({ suite, tests, ioCheckout, speed }, caller) =>
      answer(async () => {
        const run = await desk().run({ suite, ioCheckout, ...(tests ? { tests } : {}), ...(speed !== undefined ? { speed } : {}) }, caller?.user.username ?? "anonymous");
        audit(caller, "commissioning.run-started", `suite:${suite}`, { runId: run.id, tests: tests ?? null, ioCheckout, speed: run.speed });
        return run;
      }),
    "commissioning.cancel": ({ runId }, caller) =>
      answer(() => {
        const cancelled = desk().cancel(runId);
        if (cancelled) audit(caller, "commissioning.run-cancelled", `run:${runId}`, null);
        return { cancelled };
      }),
    "commissioning.result": ({ runId }) => answer(() => desk().result(runId)),
    "commissioning.runs": () => answer(() => ({ runs: desk().runs() })),
    "commissioning.report": ({ runId, format }) => answer(() => desk().report(runId, format)),
  };
}
