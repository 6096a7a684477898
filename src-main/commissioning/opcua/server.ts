/** Where commissioning servers put their own nodes; the servers themselves are src-main/plc/loopback-server.ts. */
export { FASTEST_INTERVAL_MS, lowerSamplingFloors, startServer, type ServerIdentity, type StartedServer } from "../../plc/loopback-server";

/** Common first segment of string NodeIds (`ns=1;s=DemoCell.…` → `DemoCell`), where commissioning servers put their own nodes. */
export function rootPrefixOf(nodeIds: readonly string[], fallback: string): string {
  let prefix: string | undefined;
  for (const id of nodeIds) {
    const m = /^ns=\d+;s=([^.]+)\./.exec(id);
    if (!m || (prefix !== undefined && prefix !== m[1])) return fallback;
    prefix = m[1];
  }
  return prefix && /^[A-Za-z0-9_]+$/.test(prefix) ? prefix : fallback;
}
