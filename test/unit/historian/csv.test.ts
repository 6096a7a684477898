import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { importCsv, exportCsv, type CsvImportReport } from "../../../src-main/historian/csv";
import { CsvRecordReader, formatTime, formatValue, parseTime, parseValue, quote } from "../../../src-main/historian/csv-format";
import { QualityFlag, type HistorianSample } from "../../../src-main/historian/sample";
import { arbitraryRows, byTime, sample, T0, tempStore, withoutN } from "./fixtures";

async function parse(text: string, options: { chunk?: number } = {}): Promise<{ rows: HistorianSample[]; report: CsvImportReport }> {
  const rows: HistorianSample[] = [];
  const size = options.chunk ?? text.length;
  const chunks: string[] = [];
  for (let k = 0; k < text.length; k += size) chunks.push(text.slice(k, k + size));
  const report = await importCsv(Readable.from(chunks), {
    batchRows: 3,
    onSamples: (batch) => {
      for (const r of batch) rows.push(r);
    },
  });
  return { rows, report };
}

describe("CSV cells", () => {
  it("writes ISO 8601 UTC times with milliseconds and reads them back exactly, also sub-millisecond ones (property)", () => {
    assert.equal(formatTime(Date.UTC(2025, 4, 1, 12, 0, 0, 250)), "2025-05-01T12:00:00.250Z");
    assert.equal(formatTime(Date.UTC(2025, 4, 1) + 0.5), "2025-05-01T00:00:00.0005Z");
    assert.deepEqual(parseTime("2025-05-01T14:00:00.250+02:00"), { ok: true, value: Date.UTC(2025, 4, 1, 12, 0, 0, 250) });
    assert.deepEqual(parseTime("2025-05-01T12:00:00Z"), { ok: true, value: Date.UTC(2025, 4, 1, 12) });
    assert.equal(parseTime("2025-02-30T00:00:00Z").ok, false, "no 30 February");
    assert.equal(parseTime("2025-05-01 12:00:00").ok, false);
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 9_999 }), (ms, frac) => {
        const ts = ms + frac / 10_000;
        const text = formatTime(ts);
        assert.match(text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3,}Z$/);
        assert.deepEqual(parseTime(text), { ok: true, value: ts });
      }),
    );
  });

  it("encodes numbers, Booleans, arrays and null so that they read back the same (property)", () => {
    const value = fc.oneof(fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.double(), { maxLength: 6 }));
    fc.assert(
      fc.property(value, (v) => {
        const r = parseValue(formatValue(v));
        assert.ok(r.ok);
        assert.deepEqual(r.value, v);
      }),
    );
    assert.equal(formatValue([1, 2.5]), "[1,2.5]");
    assert.equal(quote(formatValue([1, 2.5])), '"[1,2.5]"');
    assert.deepEqual(parseValue("0x10"), { ok: false, expected: "a number, true or false, an array such as [1,2.5], or empty for no value" });
  });

  it("splits records with quoted commas, doubled quotes and line breaks, fed in any chunks, knowing each record's line", () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n\nlast,1';
    for (const size of [1, 2, 3, 7, 100]) {
      const records: [string[], number][] = [];
      const reader = new CsvRecordReader((fields, line) => records.push([fields, line]));
      for (let k = 0; k < text.length; k += size) reader.push(text.slice(k, k + size));
      assert.equal(reader.end(), null);
      assert.deepEqual(records, [
        [["a", "b"], 1],
        [["x, y", 'say "hi"'], 2],
        [["two\nlines", "z"], 3],
        [[""], 5],
        [["last", "1"], 6],
      ]);
    }
  });
});

describe("CSV export and import", () => {
  for (const format of ["long", "wide"] as const) {
    it(`round-trips stored rows through the ${format} format (property)`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitraryRows({ tags: ["a.x", "a.y", "b.z"], maxLength: 50 }), async (rows) => {
          const { store, folder, done } = tempStore();
          try {
            store.insert(rows);
            const file = join(folder, `export-${format}.csv`);
            const tagIds = ["a.x", "a.y", "b.z"];
            await exportCsv(store, file, { tagIds, from: -Infinity, to: Infinity, format });
            const { rows: back, report } = await parse(readFileSync(file, "utf8"), { chunk: 97 });
            assert.deepEqual(report.errors, []);
            assert.equal(report.samples, rows.length);
            for (const tagId of tagIds) {
              assert.deepEqual(
                back.filter((r) => r.tagId === tagId),
                withoutN(store.samples(tagId)),
                `${tagId} comes back as stored`,
              );
            }
            // And into a second store, with the same result.
            const second = tempStore();
            try {
              second.store.insert(back);
              for (const tagId of tagIds) assert.deepEqual(withoutN(second.store.samples(tagId)), byTime(rows.filter((r) => r.tagId === tagId)));
            } finally {
              second.done();
            }
          } finally {
            done();
          }
        }),
        { numRuns: 25 },
      );
    });
  }

  it("writes the documented layout: header, ISO times, quality, flags by name", async () => {
    const { store, folder, done } = tempStore();
    try {
      store.insert([
        sample("tank.level", T0, 1.25, { serverTs: T0 + 2 }),
        sample("tank.level", T0 + 100, 2.9, { flags: QualityFlag.range | QualityFlag.quarantined }),
        sample("pump.running", T0, true),
        sample("line.items", T0 + 100, [0.5, 1]),
        sample("pump.running", T0 + 100, null, { quality: "bad", status: "BadNoCommunication" }),
      ]);
      const long = join(folder, "long.csv");
      await exportCsv(store, long, { tagIds: ["tank.level", "pump.running", "line.items"], from: T0, to: T0 + 100, format: "long" });
      assert.equal(
        readFileSync(long, "utf8"),
        [
          "tag,time,value,quality,status,serverTime,connection,flags",
          "tank.level,2025-03-01T08:00:00.000Z,1.25,good,Good,2025-03-01T08:00:00.002Z,plc1,",
          "pump.running,2025-03-01T08:00:00.000Z,true,good,Good,,plc1,",
          "tank.level,2025-03-01T08:00:00.100Z,2.9,good,Good,,plc1,range|quarantined",
          "pump.running,2025-03-01T08:00:00.100Z,,bad,BadNoCommunication,,plc1,",
          'line.items,2025-03-01T08:00:00.100Z,"[0.5,1]",good,Good,,plc1,',
          "",
        ].join("\n"),
      );
      const wide = join(folder, "wide.csv");
      await exportCsv(store, wide, { tagIds: ["tank.level", "pump.running"], from: T0, to: T0 + 100, format: "wide", detail: "basic" });
      assert.equal(
        readFileSync(wide, "utf8"),
        [
          "time,tank.level,tank.level#quality,pump.running,pump.running#quality",
          "2025-03-01T08:00:00.000Z,1.25,good,true,good",
          "2025-03-01T08:00:00.100Z,2.9,good,,bad",
          "",
        ].join("\n"),
      );
    } finally {
      done();
    }
  });

  it("reports every malformed line with its line number, column and what was expected, and keeps the good lines", async () => {
    const text = [
      "tag,time,value,quality",
      "tank.level,2025-03-01T08:00:00.000Z,1.25,good",
      "tank.level,2025-03-01T08:00:00.100Z,abc,good",
      "tank.level,yesterday,1.3,ok",
      "tank.level,2025-03-01T08:00:00.300Z,1.35",
      "tank.level,2025-03-01T08:00:00.400Z,1.4,uncertain",
      "",
    ].join("\n");
    const { rows, report } = await parse(text);
    assert.deepEqual(
      rows.map((r) => [r.sourceTs - T0, r.value, r.quality]),
      [
        [0, 1.25, "good"],
        [400, 1.4, "uncertain"],
      ],
    );
    assert.deepEqual(report.errors, [
      { line: 3, column: 3, columnName: "value", message: 'expected a number, true or false, an array such as [1,2.5], or empty for no value; got "abc"' },
      { line: 4, column: 2, columnName: "time", message: 'expected an ISO 8601 time such as 2024-05-01T12:00:00.000Z; got "yesterday"' },
      { line: 4, column: 4, columnName: "quality", message: 'expected good, uncertain or bad; got "ok"' },
      { line: 5, column: null, columnName: null, message: "expected 4 fields (as in the header), got 3" },
    ]);
    assert.equal(report.lines, 5);
    assert.equal(report.skippedLines, 3);
    assert.equal(report.samples, 2);
  });

  it("reads wide files made by hand: value columns only, missing cells, a byte-order mark", async () => {
    const text = "\uFEFFtime,tank.level,pump.running\n2025-03-01T08:00:00.000Z,1.25,\n2025-03-01T08:00:00.100Z,,TRUE\n2025-03-01T08:00:00.200Z,1.3,false\n";
    const { rows, report } = await parse(text);
    assert.deepEqual(report.errors, []);
    assert.equal(report.format, "wide");
    assert.deepEqual(rows, [
      sample("tank.level", T0, 1.25, { connection: "" }),
      sample("pump.running", T0 + 100, true, { connection: "" }),
      sample("tank.level", T0 + 200, 1.3, { connection: "" }),
      sample("pump.running", T0 + 200, false, { connection: "" }),
    ]);
  });

  it("refuses a file it cannot interpret and names the problem", async () => {
    assert.deepEqual((await parse("when,level\n1,2\n")).report.errors, [
      { line: 1, column: 1, columnName: "when", message: "expected a header: long format (tag,time,value,…) or wide format (time,<tag id>,…)" },
    ]);
    assert.deepEqual((await parse("tag,value\n")).report.errors.map((e) => e.message), ["missing column(s) time: a long CSV needs tag, time and value"]);
    assert.deepEqual((await parse("")).report.errors.map((e) => e.message), ["the file is empty: expected a header line"]);
    const unterminated = await parse('tag,time,value\na.b,2025-03-01T08:00:00.000Z,1\na.b,2025-03-01T08:00:01.000Z,"2\n');
    assert.equal(unterminated.rows.length, 1);
    assert.deepEqual(unterminated.report.errors, [{ line: 3, column: null, columnName: null, message: "a quoted field never ends (missing closing quote)" }]);
  });

  it("imports from a file path", async () => {
    const { folder, done } = tempStore();
    try {
      const file = join(folder, "in.csv");
      writeFileSync(file, "tag,time,value\ntank.level,2025-03-01T08:00:00.000Z,1\n");
      const rows: HistorianSample[] = [];
      const report = await importCsv(file, { onSamples: (b) => void rows.push(...b), defaultConnection: "file" });
      assert.equal(report.samples, 1);
      assert.deepEqual(rows, [sample("tank.level", T0, 1, { connection: "file" })]);
    } finally {
      done();
    }
  });
});
