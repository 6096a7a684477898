// The hooks other layers call (scene and policy changes, certificate trust, refused API calls), recovery of
// writes cut short by a restart, and listeners that misbehave.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Scene } from "../../../src-main/common/scene/schema";
import { openGovernance } from "../../../src-main/governance/index";
import { demoScene, FakeClock, FakePlant, openTestGovernance, SpyWriter, TEST_COST } from "./support/fixtures";

const FLOW = "heatExchanger.coolantFlowSetpoint";

/** The demo scene with the cooler's coolant flow limits changed, or the fill volume setpoint removed. */
function editedScene(edit: "limits" | "remove"): Scene {
  const scene = demoScene();
  for (const asset of scene.assets) {
    if (edit === "limits" && asset.id === "heatExchanger") asset.tags.coolantFlowSetpoint!.write!.max = 12;
    if (edit === "remove" && asset.id === "fillingStation") delete asset.tags.fillVolumeSetpoint;
  }
  return scene;
}

describe("governance hooks", () => {
  it("a scene change is audited with one entry per changed write policy, and applies at once", async () => {
    const t = await openTestGovernance();
    try {
      const eng = { kind: "user" as const, userId: t.as.engineer.user.id, username: "engineer1", role: "engineer" as const };
      const onRemoved = await t.gov.proposals.propose(eng, { tagId: "fillingStation.fillVolumeSetpoint", value: 1.2, reason: "r" });
      t.gov.auditSceneChange(eng, editedScene("limits"), { file: "scenes/demo-cell.scene.yaml", reason: "cooler pump replaced" });
      // The first run recorded every policy as added (before: null); the edit changes one.
      const all = t.gov.audit.list({ action: "policy.changed" });
      assert.equal(all.filter((e) => e.before === null).length, 6);
      const changes = all.filter((e) => e.before !== null);
      assert.equal(changes.length, 1);
      assert.equal(changes[0]!.target, `tag:${FLOW}`);
      assert.equal((changes[0]!.before as { policy: { max: number } }).policy.max, 15);
      assert.equal((changes[0]!.after as { policy: { max: number } }).policy.max, 12);
      assert.equal(changes[0]!.reason, "cooler pump replaced");
      const tooHigh = await t.gov.proposals.propose(eng, { tagId: FLOW, value: 13, reason: "r" }).catch((e: unknown) => e);
      assert.equal((tooHigh as { state?: string }).state, "rejected", "the new max applies");
      t.gov.auditSceneChange(eng, editedScene("remove"), { file: "scenes/demo-cell.scene.yaml" });
      assert.equal(t.gov.proposals.get(onRemoved.id).state, "expired", "a proposal on a tag that is no longer writable expires");
    } finally {
      t.close();
    }
  });

  it("a scene edited between two runs is audited when the workbench opens again", async () => {
    const t = await openTestGovernance();
    const options = { dataFolder: t.folder, sceneFile: "demo", writer: new SpyWriter(), conditions: new FakePlant(), passwordCost: TEST_COST };
    t.gov.close();
    const scenesBefore = () => {
      const g = openGovernance({ ...options, scene: demoScene() });
      const n = g.audit.list({ action: "scene.changed" }).length;
      g.close();
      return n;
    };
    assert.equal(scenesBefore(), 1, "same scene: nothing new");
    const g = openGovernance({ ...options, scene: editedScene("limits") });
    assert.equal(g.audit.list({ action: "scene.changed" }).length, 2);
    const edits = g.audit.list({ action: "policy.changed" }).filter((e) => e.before !== null);
    assert.deepEqual(edits.map((e) => [e.actor, e.target]), [["system:host", `tag:${FLOW}`]]);
    g.close();
    t.close();
  });

  it("certificate trust decisions and refused API calls are audited", async () => {
    const t = await openTestGovernance();
    try {
      const admin = { kind: "user" as const, userId: t.as.admin.user.id, username: "admin", role: "admin" as const };
      t.gov.auditTrust({ actor: admin, connection: "plc1", endpoint: "opc.tcp://127.0.0.1:4840", thumbprint: "AB12", subject: "CN=PLC", decision: "trusted", reason: "checked on site" });
      const trust = t.gov.audit.list({ action: "certificate.trust" })[0]!;
      assert.deepEqual([trust.actor, trust.target, trust.after, trust.reason], ["admin", "certificate:AB12", { decision: "trusted" }, "checked on site"]);
      t.gov.auditRefused("users.create", t.as.viewer, "admin");
      t.gov.auditRefused("proposals.approve", null, "operator");
      assert.deepEqual(t.gov.audit.list({ action: "api.refused" }).map((e) => [e.actor, e.target, e.reason]), [
        ["viewer1", "api:users.create", "needs admin; viewer1 is viewer"],
        ["anonymous", "api:proposals.approve", "needs operator; no session"],
      ]);
    } finally {
      t.close();
    }
  });

  it("a listener that throws does not stop an approved proposal from being written", async () => {
    const t = await openTestGovernance();
    try {
      t.gov.onDidChangeProposal(() => {
        throw new Error("a broken UI bridge");
      });
      assert.throws(() => t.gov.onDidChangeProposal("not a function" as never), TypeError);
      const eng = { kind: "user" as const, userId: t.as.engineer.user.id, username: "engineer1", role: "engineer" as const };
      const p = await t.gov.proposals.propose(eng, { tagId: FLOW, value: 7, reason: "r" });
      const original = console.error;
      console.error = () => {};
      try {
        assert.equal((await t.gov.proposals.approve(t.as.second.engineer, p.id)).state, "applied");
      } finally {
        console.error = original;
      }
      assert.equal(t.writer.calls.length, 1);
    } finally {
      t.close();
    }
  });

  it("after a restart, a write that was under way is failed with an alarm, not sent again", async () => {
    const t = await openTestGovernance({ writeTimeoutMs: 60_000 });
    const eng = { kind: "user" as const, userId: t.as.engineer.user.id, username: "engineer1", role: "engineer" as const };
    const p = await t.gov.proposals.propose(eng, { tagId: FLOW, value: 7, reason: "r" });
    let answer!: () => void;
    t.writer.answer = (c) => new Promise((resolve) => (answer = () => resolve({ written: c.value, readBack: c.value, confirmed: true, statusName: "Good" })));
    const cut = t.gov.proposals.approve(t.as.second.engineer, p.id).catch((e: unknown) => e);
    while (t.writer.calls.length === 0) await new Promise((r) => setImmediate(r));
    assert.equal(t.gov.proposals.get(p.id).state, "applying");
    // "Restart": a second workbench opens the same data folder while the first never heard back.
    const again = new SpyWriter();
    const g = openGovernance({ dataFolder: t.folder, scene: demoScene(), sceneFile: "demo", writer: again, conditions: new FakePlant(), clock: new FakeClock().now, passwordCost: TEST_COST });
    const recovered = g.proposals.get(p.id);
    assert.equal(recovered.state, "failed");
    assert.match(recovered.failure!, /stopped during the write: the value in the PLC is unknown/);
    assert.equal(g.alarms.list(true).length, 1);
    assert.equal(again.calls.length, 0);
    g.close();
    answer();
    await cut;
    t.close();
  });
});
