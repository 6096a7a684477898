// The lint rules that keep the layers apart really fire: a forbidden import in each layer is reported,
// an allowed one is not. (A rule that never fires would let the layers merge silently.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ESLint } from "eslint";

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("layering lint rules", () => {
  it("the renderer may not import Node, Electron or main-process internals", async () => {
    const found = await restrictedImports(
      "src-renderer/probe.ts",
      `import fs from "node:fs"; import path from "path"; import { app } from "electron";
       import { TagTable } from "../src-main/runtime/tag-table"; export { fs, path, app, TagTable };`,
    );
    assert.equal(found.length, 4, found.join("\n"));
  });

  it("the renderer may import the common contract", async () => {
    const found = await restrictedImports("src-renderer/probe.ts", `import { requests } from "../src-main/common/api/contract"; export { requests };`);
    assert.deepEqual(found, []);
  });

  it("the main-process core may not import electron or React", async () => {
    const found = await restrictedImports(
      "src-main/runtime/probe.ts",
      `import { app } from "electron"; import React from "react"; import { Canvas } from "@react-three/fiber"; export { app, React, Canvas };`,
    );
    assert.equal(found.length, 3, found.join("\n"));
  });

  it("the Electron shell may import electron", async () => {
    assert.deepEqual(await restrictedImports("src-main/electron/probe.ts", `import { app } from "electron"; export { app };`), []);
  });

  it("common code stays pure: no Node built-ins, no other main-process folders", async () => {
    const found = await restrictedImports(
      "src-main/common/probe.ts",
      `import { readFileSync } from "fs"; import { TagTable } from "../runtime/tag-table"; export { readFileSync, TagTable };`,
    );
    assert.equal(found.length, 2, found.join("\n"));
  });

  it("common code in a subfolder may import its siblings in common, not the rest of src-main", async () => {
    assert.deepEqual(await restrictedImports("src-main/common/api/probe.ts", `import { Scene } from "../scene/schema"; export { Scene };`), []);
    const found = await restrictedImports("src-main/common/api/probe.ts", `import { TagTable } from "../../runtime/tag-table"; export { TagTable };`);
    assert.equal(found.length, 1, found.join("\n"));
  });

  it("workers may import their own folders by relative path", async () => {
    assert.deepEqual(await restrictedImports("src-workers/models/demo-cell/probe.ts", `import type { SignalSpec } from "../../plant/simulation-types"; export type { SignalSpec };`), []);
  });

  it("workers do not reach electron, UI libraries or OPC UA", async () => {
    const found = await restrictedImports(
      "src-workers/probe.ts",
      `import { app } from "electron"; import { create } from "zustand"; import { OPCUAClient } from "node-opcua"; export { app, create, OPCUAClient };`,
    );
    assert.equal(found.length, 3, found.join("\n"));
  });
});
