// Only the governance layer may write to a live PLC: the plant layer exports writing through PlcWriter
// alone, the typed writer is imported by plc-writer.ts only, and the link hands its writer out once.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import * as plant from "../../../src-main/plant";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe("write capability", () => {
  it("typed-write.ts is imported by plc-writer.ts and nothing else", () => {
    const importers = [...sourceFiles("src-main"), ...sourceFiles("src-workers"), ...sourceFiles("src-renderer")].filter((f) => /from "[^"]*\/typed-write"|from "\.\/typed-write"/.test(readFileSync(f, "utf8")));
    assert.deepEqual(importers.map((f) => relative(".", f)), ["src-main/plant/plc-writer.ts"]);
  });

  it("no plant module but plc-writer.ts exports a writer (write…, …Writer); pure coercion helpers are not writers", () => {
    const writers = sourceFiles("src-main/plant")
      .filter((f) => !f.endsWith("plc-writer.ts") && !f.endsWith("typed-write.ts"))
      .flatMap((f) => [...readFileSync(f, "utf8").matchAll(/export (?:async )?(?:function|class|const) ((?:write|Write)\w*|\w*Writer)\b/g)].map((m) => `${relative(".", f)}: ${m[1]}`));
    assert.deepEqual(writers, []);
  });

  it("the plant layer's public face has no write function; the writer comes from PlantLink.takeWriter() only", () => {
    assert.deepEqual(Object.keys(plant).filter((k) => /writ/i.test(k)), []);
    assert.equal(typeof plant.PlantLink.prototype.takeWriter, "function");
    const link = new plant.PlantLink({ pkiFolder: "/nonexistent", connections: [], tags: [], onSamples: () => {} });
    link.takeWriter();
    assert.throws(() => link.takeWriter(), /already been taken \(it belongs to the governance layer\)/);
  });
});
