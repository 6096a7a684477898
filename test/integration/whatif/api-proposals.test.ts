// The what-if API's way to the approval workflow, over the real runtime: a scenario's setpoints proposed
// with their predicted effect, the optimiser on demand and periodically, and who may do what.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../../../src-main/common/api/contract";
import { PredictedEffect } from "../../../src-main/common/api/whatif";
import { whatifStudiesOf } from "../../../src-main/runtime/areas/whatif";
import { RecommenderSchedule } from "../../../src-main/whatif/recommender-schedule";
import { as, userSession } from "../../support/sessions";
import { openWhatifStack, type WhatifStack } from "./support/whatif-stack";

let w: WhatifStack;
before(async () => {
  w = await openWhatifStack();
});
after(() => w?.close());

describe("what-if API: proposals and recommendations", () => {
  it("proposes a scenario's setpoints: a pending proposal from what-if whose predicted effect parses", { timeout: 120_000 }, async () => {
    const tag = w.stack.runtime.table.tag("heatExchanger.coolantFlowSetpoint")!;
    const current = w.stack.runtime.table.latestOf(tag.index)!.v as number;
    const job = await w.h()["whatif.study.start"](
      { scenarios: [{ name: "more-coolant", horizonS: 1800, edits: [{ kind: "setpoint", atS: 0, tag: tag.id, value: current + 1 }] }], from: { kind: "live" } },
      w.admin(),
    );
    await whatifStudiesOf(w.stack.runtime)!.settled(job.id);
    const out = await w.h()["whatif.propose"]({ jobId: job.id, reason: "less product above 30 °C" }, w.admin());
    assert.deepEqual(out.refusals, []);
    assert.equal(out.proposals.length, 1);
    const p = out.proposals[0]!;
    assert.equal(p.state, "pending", JSON.stringify(p.checks));
    assert.equal(p.origin, "what-if");
    assert.equal(p.tagId, tag.id);
    assert.equal(p.value, current + 1);
    assert.match(p.reason, /What-if scenario "more-coolant".*asked by admin: less product above 30 °C/);
    const effect = PredictedEffect.parse(p.predictedEffect);
    assert.equal(effect.horizonS, 1800);
    assert.ok(effect.kpis.some((k) => k.id === "coolant" && k.delta.median > 0.4));
    assert.ok(effect.series.some((s) => s.id === tag.id && s.proposed.median.at(-1) === current + 1 && s.baseline.median.at(-1) === current));
    assert.ok(effect.assumptions.some((a) => /approval workflow/.test(a)));
    assert.deepEqual(effect.source, { kind: "what-if", jobId: job.id, scenario: "more-coolant" });
    const stored = await w.h()["proposals.get"]({ id: p.id }, w.admin());
    assert.equal(stored.state, "pending");
  });

  it("a viewer may study but not propose, nor cancel someone else's job", { timeout: 120_000 }, async () => {
    const viewer = as(await userSession(w.stack.runtime, w.stack.adminToken, "vera", "viewer"));
    const job = await w.h()["whatif.study.start"]({ scenarios: [{ name: "short", horizonS: 300, edits: [] }], from: { kind: "live" } }, viewer);
    await whatifStudiesOf(w.stack.runtime)!.settled(job.id);
    assert.equal((await w.h()["whatif.jobs.status"]({ jobId: job.id }, viewer)).state, "done");
    await assert.rejects(async () => w.h()["whatif.propose"]({ jobId: job.id }, viewer), (e: unknown) => e instanceof ApiError && e.code === "unauthorised");
    const other = await w.h()["whatif.study.start"]({ scenarios: [{ name: "other", horizonS: 7200, edits: [] }], from: { kind: "live" }, monteCarlo: { runs: 50, posterior: true, processNoise: true }, settings: { seed: 1, stepS: 1, fidelity: "exact" } }, w.admin());
    await assert.rejects(async () => w.h()["whatif.jobs.cancel"]({ jobId: other.id }, viewer), /started by admin: only they or an operator may cancel it/);
    assert.equal((await w.h()["whatif.jobs.cancel"]({ jobId: other.id }, w.admin())).state, "cancelled");
  });

  it("recommends on demand: the optimiser's proposal with its predicted effect, proposed as the optimiser", { timeout: 300_000 }, async (t) => {
    const job = await w.h()["whatif.recommend"]({ from: { kind: "live" } }, w.admin());
    assert.equal(job.kind, "recommendation");
    await whatifStudiesOf(w.stack.runtime)!.settled(job.id);
    const status = await w.h()["whatif.jobs.status"]({ jobId: job.id }, w.admin());
    assert.equal(status.state, "done", status.error);
    const r = await w.h()["whatif.jobs.result"]({ jobId: job.id, maxPoints: 100 }, w.admin());
    assert.equal(r.kind, "recommendation");
    if (r.kind !== "recommendation") return;
    const rec = r.recommendation;
    t.diagnostic(`${rec.improved ? rec.changes.map((c) => `${c.tagId} ${c.from} → ${c.to}`).join(", ") : "no change"}; ${rec.search.evaluations} candidates, ${rec.search.runs} runs, ${(rec.search.wallMs / 1000).toFixed(1)} s`);
    const effect = PredictedEffect.parse(rec.effect);
    assert.ok(effect.objective, "the objective, baseline and proposed");
    assert.ok(effect.constraints.length > 0 && effect.assumptions.some((a) => /nothing is written to the plant/.test(a)));
    for (const c of rec.changes) {
      const limits = (await w.h()["whatif.info"]({}, w.admin())).writable.find((x) => x.tagId === c.tagId)!;
      assert.ok(c.to >= limits.min && c.to <= limits.max, `${c.tagId} → ${c.to} within its limits`);
    }
    if (!rec.improved) {
      await assert.rejects(async () => w.h()["whatif.propose"]({ jobId: job.id }, w.admin()), /found nothing better/);
      return;
    }
    assert.ok(effect.objective!.proposed.median < effect.objective!.baseline.median, "improves the objective");
    assert.ok(effect.series.length > 0 && effect.series.every((x) => x.t.length <= 121));
    const out = await w.h()["whatif.propose"]({ jobId: job.id }, w.admin());
    assert.equal(out.proposals.length + out.refusals.length, rec.changes.length);
    for (const p of out.proposals) {
      assert.equal(p.origin, "optimiser");
      assert.deepEqual(PredictedEffect.parse(p.predictedEffect).source, { kind: "optimiser", jobId: job.id });
    }
  });

  it("the periodic recommender is an engineer's setting, audited", async () => {
    const operator = as(await userSession(w.stack.runtime, w.stack.adminToken, "otto", "operator"));
    await assert.rejects(async () => w.h()["whatif.recommender.set"]({ periodS: 600, autoPropose: false }, operator), (e: unknown) => e instanceof ApiError && e.code === "unauthorised");
    const on = await w.h()["whatif.recommender.set"]({ periodS: 600, autoPropose: true }, w.admin());
    assert.equal(on.periodS, 600);
    assert.ok(on.nextAt! > Date.now());
    assert.deepEqual(await w.h()["whatif.recommender.get"]({}, operator), on);
    const off = await w.h()["whatif.recommender.set"]({ periodS: null, autoPropose: false }, w.admin());
    assert.equal(off.nextAt, null);
    const audit = await w.h()["audit.list"]({ action: "whatif.recommender-changed", limit: 5 }, w.admin());
    assert.equal(audit.length, 2);
    assert.deepEqual(audit.map((e) => e.after), [{ periodS: 600, autoPropose: true }, { periodS: null, autoPropose: false }]);
  });

  it("a periodic recommendation with autoPropose hands what it finds to the workflow as the optimiser", { timeout: 300_000 }, async () => {
    const desk = whatifStudiesOf(w.stack.runtime)!;
    const schedule = new RecommenderSchedule(() => desk);
    schedule.set(3600, true);
    try {
      const before = (await w.h()["proposals.list"]({ limit: 500 }, w.admin())).filter((p) => p.proposedBy === "system:optimiser").length;
      await schedule.tick();
      const jobId = schedule.get().lastJobId!;
      const job = desk.job(jobId);
      assert.equal(job.state, "done", job.error);
      assert.equal(job.startedBy, "system:optimiser");
      const r = desk.result(jobId, undefined, 10);
      const mine = (await w.h()["proposals.list"]({ limit: 500 }, w.admin())).filter((p) => p.proposedBy === "system:optimiser");
      const expected = r.kind === "recommendation" && r.recommendation.improved ? r.recommendation.changes.length : 0;
      assert.ok(mine.length - before <= expected && (expected === 0 || mine.length > before), `${mine.length - before} new optimiser proposals for ${expected} changes`);
      assert.ok(mine.every((p) => p.origin === "optimiser"));
    } finally {
      schedule.close();
    }
  });
});
