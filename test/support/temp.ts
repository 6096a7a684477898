import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh temp folder, removed by the returned cleanup. */
export function tempFolder(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `twinbench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
