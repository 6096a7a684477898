/**
 * Child process of the crash test: writes live samples as fast as the historian takes them, until killed.
 * After every commit it prints `committed <rows>`, and after every accepted offer `offered <rows>`, with a
 * synchronous write, so the parent knows what was durable before its SIGKILL.
 *
 *   node --import tsx crash-writer.ts <folder> <batchRows> <capacityRows> <startTs>
 */
import { writeSync } from "node:fs";
import type { TagSample } from "../../../src-main/common/api/contract";
import { Historian, type HistorianTag } from "../../../src-main/historian/historian";

const [folder, batchArg, capacityArg, startArg] = process.argv.slice(2);
if (!folder || !batchArg || !capacityArg || !startArg) throw new Error("usage: crash-writer.ts <folder> <batchRows> <capacityRows> <startTs>");
const TAGS = 20;
const PUBLISH = 1_000;
const tags: HistorianTag[] = Array.from({ length: TAGS }, (_, k) => ({ id: `crash${k}.value`, index: k, connection: "plc1", range: [-2, 2], role: "measurement", samplingMs: 10 }));

const say = (line: string) => writeSync(1, `${line}\n`);
const historian = Historian.open({
  folder,
  tags,
  pruneEveryMs: 0,
  writer: { batchRows: Number(batchArg), capacityRows: Number(capacityArg), maxDelayMs: 20, onCommit: (_n, total) => say(`committed ${total}`) },
});

let step = 0;
let offered = 0;
say("ready");
for (;;) {
  const publish: TagSample[] = [];
  while (publish.length < PUBLISH) {
    const ts = Number(startArg) + Math.floor(step / TAGS) * 10;
    publish.push({ i: step % TAGS, v: Math.sin(step / 1_000), q: "good", status: "Good", ts, rx: ts });
    step++;
  }
  await historian.writer.whenRoom(publish.length);
  if (!historian.receive(publish).stored) throw new Error("refused although there was room");
  offered += publish.length;
  say(`offered ${offered}`);
  // Let the writer's timers run between publishes, as a live process would.
  await new Promise((resolve) => setImmediate(resolve));
}
