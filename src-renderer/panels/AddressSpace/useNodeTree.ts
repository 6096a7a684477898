/**
 * The lazily loaded tree of one connection's address space: children are asked for when a node is first
 * expanded and kept (collapse and expand again costs nothing; "reload" forgets them). Changing the
 * connection starts afresh.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { BrowsedNode } from "../../../src-main/common/api/connections";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";

export const ROOT = "i=85";

export type Children = { status: "loading" } | { status: "loaded"; nodes: BrowsedNode[] } | { status: "failed"; error: string };

export interface NodeTree {
  children: ReadonlyMap<string, Children>;
  expanded: ReadonlySet<string>;
  toggle(nodeId: string): void;
  reload(): void;
}

export function useNodeTree(connection: string | null): NodeTree {
  const [children, setChildren] = useState<Map<string, Children>>(new Map());
  const [expanded, setExpanded] = useState<Set<string>>(new Set([ROOT]));
  const generation = useRef(0);
  // What has been asked for, read by toggle() without making it depend on every load.
  const known = useRef(children);
  known.current = children;

  const load = useCallback(
    (nodeId: string) => {
      if (!connection) return;
      const mine = generation.current;
      setChildren((m) => new Map(m).set(nodeId, { status: "loading" }));
      call(connectApi(), "browse.children", { connection, nodeId })
        .then((r) => mine === generation.current && setChildren((m) => new Map(m).set(nodeId, { status: "loaded", nodes: r.children })))
        .catch((err: unknown) => mine === generation.current && setChildren((m) => new Map(m).set(nodeId, { status: "failed", error: err instanceof Error ? err.message : String(err) })));
    },
    [connection],
  );

  const reload = useCallback(() => {
    generation.current++;
    setChildren(new Map());
    setExpanded(new Set([ROOT]));
    load(ROOT);
  }, [load]);

  useEffect(reload, [reload]);

  const toggle = useCallback(
    (nodeId: string) => {
      setExpanded((s) => {
        const next = new Set(s);
        if (next.has(nodeId)) next.delete(nodeId);
        else next.add(nodeId);
        return next;
      });
      const state = known.current.get(nodeId);
      if (!state || state.status === "failed") load(nodeId);
    },
    [load],
  );

  return { children, expanded, toggle, reload };
}
