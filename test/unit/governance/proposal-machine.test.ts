// The lifecycle as a state machine: only the declared steps exist, final states stay final, and every state
// is reachable from `proposed`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ProposalState } from "../../../src-main/common/api/governance";
import { assertTransition, canTransition, FINAL_STATES, IllegalTransition, TRANSITIONS } from "../../../src-main/governance/proposal-machine";

const STATES = ProposalState.options;

describe("proposal state machine", () => {
  it("every state is reachable from proposed, and every path ends in a final state", () => {
    const seen = new Set<string>(["proposed"]);
    const queue: ProposalState[] = ["proposed"];
    while (queue.length) {
      for (const next of TRANSITIONS[queue.shift()!]) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    assert.deepEqual([...seen].sort(), [...STATES].sort());
    assert.deepEqual([...FINAL_STATES].sort(), ["expired", "rejected", "rolled-back", "superseded"]);
  });

  it("only approved proposals can start a write, and nothing returns to pending", () => {
    for (const s of STATES) {
      assert.equal(canTransition(s, "applying"), s === "approved" || s === "modified-and-approved", s);
      assert.equal(canTransition(s, "pending"), s === "proposed", s);
    }
  });

  it("random walks never take an undeclared step (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...STATES), { maxLength: 20 }), (wanted) => {
        let state: ProposalState = "proposed";
        for (const to of wanted) {
          if (canTransition(state, to)) {
            assertTransition("p", state, to);
            state = to;
          } else {
            assert.throws(() => assertTransition("p", state, to), IllegalTransition);
          }
        }
      }),
    );
  });
});
