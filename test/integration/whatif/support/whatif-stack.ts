/**
 * The demo stack for the what-if API tests: simulated PLC, runtime and headless host, an admin session in
 * process and over the WebSocket, started once the twin has its first estimate and every setpoint's value.
 */
import type { EventPayload } from "../../../../src-main/common/api/contract";
import { startDemoStack, type DemoStack } from "../../../support/demo-stack";
import { as } from "../../../support/sessions";
import { connectWsApi, type WsApi } from "../../../support/ws-client";

export interface WhatifStack {
  stack: DemoStack;
  ws: WsApi;
  /** The runtime's guarded handlers. */
  h(): DemoStack["runtime"]["handlers"];
  /** The admin's call context. */
  admin(): never;
  /** Resolves with the job's `whatif.finished` event as the WebSocket client heard it. */
  finished(jobId: string): Promise<EventPayload<"whatif.finished">>;
  close(): Promise<void>;
}

export async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function openWhatifStack(): Promise<WhatifStack> {
  const stack = await startDemoStack();
  const ws = await connectWsApi(stack.host.port, stack.host.token, stack.adminToken);
  // Studies fork from the twin's estimate: wait for the estimator's first one…
  await until("the first estimate", () => stack.runtime.estimator.latest(), 90_000);
  // …and every setpoint's first value (OPC UA reports a setpoint once, at subscription).
  for (const tagId of ["bufferTank.temperatureSetpoint", "heatExchanger.coolantFlowSetpoint", "bufferTank.levelSetpoint", "fillingStation.fillVolumeSetpoint"]) {
    await until(tagId, () => stack.runtime.table.latestOf(stack.runtime.table.tag(tagId)!.index));
  }
  return {
    stack,
    ws,
    h: () => stack.runtime.handlers,
    admin: () => as(stack.adminToken),
    finished: (jobId) =>
      new Promise((resolve) => {
        const off = ws.client.on("whatif.finished", (job) => {
          if (job.id !== jobId) return;
          off();
          resolve(job);
        });
      }),
    async close() {
      await ws.close();
      await stack.close();
    },
  };
}
