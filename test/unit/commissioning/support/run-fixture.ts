/** A commissioning run with every kind of outcome, for the report writers' tests. */
import type { RunResult } from "../../../../src-main/commissioning/runner/results";

export function sampleRun(): RunResult {
  return {
    startedAt: "2026-03-02T10:00:00.000Z",
    durationS: 42.5,
    scene: "Demo <process> cell & co",
    plantEndpoint: "opc.tcp://127.0.0.1:4841/twinbench",
    plcEndpoint: "opc.tcp://127.0.0.1:4842/twinbench",
    properties: { plantSpeed: "x10", defect: "missing-high-level-interlock" },
    suites: [
      {
        name: "Demo cell functional tests",
        file: "scenes/suites/demo-cell.yaml",
        kind: "functional",
        startedAt: "2026-03-02T10:00:01.250Z",
        durationS: 30.25,
        tests: [
          { name: "start-up runs the cell", classname: "commissioning.demo", status: "passed", durationS: 3.5, plantS: 35, line: 26, steps: [{ label: "write cell.startCommand = true", line: 30, status: "passed", startS: 10, durationS: 0 }] },
          {
            name: "high-high level interlock trips the feed pump",
            classname: "commissioning.demo",
            status: "failed",
            description: "LSHH-201 must trip P-101 <even> when LT-201 sticks",
            durationS: 8.25,
            plantS: 80,
            line: 59,
            steps: [
              { label: "inject bufferTank.level stuck at 1", line: 64, status: "passed", startS: 40, durationS: 0 },
              { label: "wait until cell.interlockActive and not feedPump.running (within 5 s)", line: 71, status: "failed", startS: 50, durationS: 5, message: "timed out after 5 s" },
              { label: "assert truth.tankLevel < 2.45", line: 76, status: "skipped", startS: 55, durationS: 0 },
            ],
            failure: {
              step: 1,
              message: 'Step 2 (line 71) "wait until cell.interlockActive and not feedPump.running (within 5 s)" failed: timed out after 5 s.\nExpected: cell.interlockActive within 5 s.\nSeen: cell.interlockActive = false throughout; bufferTank.levelHighHigh = true throughout.',
              expected: "cell.interlockActive and not feedPump.running within 5 s",
              seen: "cell.interlockActive = false throughout; bufferTank.levelHighHigh = true throughout",
              why: "LSHH-201 must trip the feed pump P-101 at once",
              faults: ["bufferTank.level stuck at 1"],
              atS: 55,
              stepStartS: 50,
              trends: [
                { tag: "plc:cell.interlockActive", points: [[45, 0], [50, 0], [55, 0]] },
                { tag: "plant:truth.tankLevel", unit: "m", points: [[45, 2.17], [48, null], [50, 2.2], [55, 2.26]] },
              ],
            },
          },
          { name: "a step the plant refused", classname: "commissioning.demo", status: "error", durationS: 0.5, plantS: 1, steps: [{ label: "set plant state nope = 1", status: "error", startS: 60, durationS: 0, message: "unknown state" }], failure: { step: 0, message: "The setup step 1 could not be carried out: unknown state.", expected: "", seen: "unknown state", faults: [], atS: 60, stepStartS: 60, trends: [] } },
        ],
      },
      {
        name: "Demo cell IO checkout",
        kind: "io-checkout",
        startedAt: "2026-03-02T10:00:32.000Z",
        durationS: 6.125,
        tests: [
          { name: "bufferTank.level (input, ns=1;s=DemoCell.BufferTank.Level)", classname: "commissioning.io-checkout", status: "passed", durationS: 0, plantS: 40, steps: [] },
          { name: "fillingStation.itemPositions (output, ns=1;s=X)", classname: "commissioning.io-checkout", status: "skipped", skipped: "an array output cannot be forced", durationS: 0, plantS: 0, steps: [] },
        ],
      },
    ],
  };
}
