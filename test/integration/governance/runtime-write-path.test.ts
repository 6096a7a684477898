// The one write path, in the assembled workbench: the runtime's plant link gives its only PlcWriter to
// governance at start, nothing else in the main process can obtain one, and an approved proposal made over
// the WebSocket API reaches the simulated PLC, is read back and confirmed, with its chain in the audit trail.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ApiError } from "../../../src-main/common/api/contract";
import { startDemoStack, type DemoStack } from "../../support/demo-stack";
import { userSession } from "../../support/sessions";
import { connectWsApi, type WsApi } from "../../support/ws-client";

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("one write path in the running workbench", () => {
  let stack: DemoStack;
  let operator: WsApi;
  let engineer: WsApi;
  before(async () => {
    stack = await startDemoStack();
    operator = await connectWsApi(stack.host.port, stack.host.token, await userSession(stack.runtime, stack.adminToken, "operator1", "operator"));
    engineer = await connectWsApi(stack.host.port, stack.host.token, await userSession(stack.runtime, stack.adminToken, "engineer1", "engineer"));
  });
  after(async () => {
    await operator?.close();
    await engineer?.close();
    await stack?.close();
  });

  it("the plant link's writer is taken by governance and cannot be taken again", () => {
    assert.throws(() => stack.runtime.link.takeWriter(), /already been taken/);
  });

  it("no main-process code outside the plant layer builds a writer, and only the runtime takes the link's", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles("src-main")) {
      const path = relative(".", file);
      const text = readFileSync(file, "utf8");
      if (!path.startsWith("src-main/plant/") && /\b(createPlcWriter|TypedWriter)\b/.test(text)) offenders.push(`${path} builds a PLC writer`);
      if (path !== "src-main/runtime/twin-runtime.ts" && !path.startsWith("src-main/plant/") && /\.takeWriter\(/.test(text)) offenders.push(`${path} takes the link's writer`);
    }
    assert.deepEqual(offenders, []);
  });

  it("an approved proposal reaches the PLC, is read back and confirmed, and the audit trail holds its chain", async () => {
    const tagId = "heatExchanger.coolantFlowSetpoint";
    const tag = (await operator.client.request("tags.list", {})).find((t) => t.id === tagId)!;
    const current = async () => (await operator.client.request("tags.snapshot", {})).find((s) => s.i === tag.index)?.v as number;
    let before = await current();
    for (let k = 0; k < 100 && typeof before !== "number"; k++) {
      await new Promise((r) => setTimeout(r, 100));
      before = await current();
    }
    const target = before + 1;
    // An operator may propose but this tag needs an engineer to approve.
    const proposal = await operator.client.request("proposals.create", { tagId, value: target, reason: "integration: one write path" });
    assert.equal(proposal.state, "pending");
    await assert.rejects(operator.client.request("proposals.approve", { id: proposal.id }), (err: ApiError) => err.code === "refused" && /approveRole/.test(err.message));
    assert.equal(await current(), before, "nothing was written before the approval");
    const approved = await engineer.client.request("proposals.approve", { id: proposal.id, comment: "ok" });
    let final = approved;
    for (let k = 0; k < 100 && !["applied", "failed"].includes(final.state); k++) {
      await new Promise((r) => setTimeout(r, 100));
      final = await engineer.client.request("proposals.get", { id: proposal.id });
    }
    assert.equal(final.state, "applied", final.failure);
    assert.equal(final.write?.readBack, target);
    assert.equal(final.write?.confirmed, true);
    // The PLC holds the value: the subscription delivers it back to the twin.
    let seen = await current();
    for (let k = 0; k < 100 && seen !== target; k++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await current();
    }
    assert.equal(seen, target);
    const trail = await engineer.client.request("audit.list", { target: `proposal:${proposal.id}` });
    const actions = trail.map((e) => e.action);
    for (const expected of ["proposal.proposed", "proposal.approved", "write.confirmed"]) assert.ok(actions.some((a) => a.startsWith(expected)), `${expected} in ${actions.join(", ")}`);
    const chain = await engineer.client.request("audit.verify", {});
    assert.equal(chain.ok, true, chain.firstBad?.message);
  });
});
