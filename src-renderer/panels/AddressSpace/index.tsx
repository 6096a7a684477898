/**
 * The address-space browser (engineers): a connection's nodes as a lazily loaded tree, a search by name, the
 * selected node's attributes read from the server, and "Bind to tag…" to point a scene tag at it.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import type { NodeDetails as Details, SearchHit } from "../../../src-main/common/api/connections";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { roleAtLeast } from "../../stores/auth";
import { useWorkbench } from "../../stores/workbench";
import { BindTagDialog } from "./BindTagDialog";
import { errorText } from "./format";
import { NodeDetails } from "./NodeDetails";
import { NodeTree } from "./NodeTree";
import { SearchResults } from "./SearchResults";
import { useNodeTree } from "./useNodeTree";

export default function AddressSpacePanel() {
  const connections = useWorkbench(useShallow((s) => (s.plantStatus?.connections ?? []).map((c) => `${c.id}|${c.state}`)));
  const role = useWorkbench((s) => s.user?.role);
  const [chosen, setChosen] = useState<string | null>(null);
  const connection = chosen ?? connections[0]?.split("|")[0] ?? null;
  const state = connections.find((c) => c.startsWith(`${connection}|`))?.split("|")[1];
  const tree = useNodeTree(connection);

  const [selected, setSelected] = useState<string | null>(null);
  const [details, setDetails] = useState<{ node: Details | null; error: string | null; loading: boolean }>({ node: null, error: null, loading: false });
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState<{ query: string; hits: SearchHit[]; truncated: boolean; error?: string; busy: boolean } | null>(null);
  const [binding, setBinding] = useState(false);
  const reading = useRef(0);

  const read = useCallback(
    (nodeId: string) => {
      if (!connection) return;
      const mine = ++reading.current;
      setDetails((d) => ({ node: d.node?.nodeId === nodeId ? d.node : null, error: null, loading: true }));
      call(connectApi(), "node.read", { connection, nodeId })
        .then((node) => mine === reading.current && setDetails({ node, error: null, loading: false }))
        .catch((err: unknown) => mine === reading.current && setDetails({ node: null, error: errorText(err), loading: false }));
    },
    [connection],
  );

  const select = (nodeId: string) => {
    setSelected(nodeId);
    read(nodeId);
  };

  // Another connection: another address space.
  useEffect(() => {
    setSelected(null);
    setSearch(null);
    setDetails({ node: null, error: null, loading: false });
  }, [connection]);

  const runSearch = () => {
    const name = query.trim();
    if (!connection || !name) return;
    setSearch({ query: name, hits: [], truncated: false, busy: true });
    call(connectApi(), "browse.search", { connection, name })
      .then((r) => setSearch({ query: name, hits: r.hits, truncated: r.truncated, busy: false }))
      .catch((err: unknown) => setSearch({ query: name, hits: [], truncated: false, error: errorText(err), busy: false }));
  };

  return (
    <section className="as-panel" data-testid="address-space-panel">
      <header className="as-bar">
        <h3>Address space</h3>
        <select value={connection ?? ""} onChange={(e) => setChosen(e.target.value)} aria-label="Connection" data-testid="as-connection">
          {connections.map((c) => {
            const [id, s] = c.split("|");
            return (
              <option key={id} value={id}>
                {id} ({s})
              </option>
            );
          })}
        </select>
        <form
          className="as-search"
          onSubmit={(e) => {
            e.preventDefault();
            runSearch();
          }}
        >
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search by name" maxLength={100} data-testid="as-search" />
          <button type="submit" className="ghost" disabled={!query.trim() || search?.busy} data-testid="as-search-run">
            {search?.busy ? "Searching…" : "Search"}
          </button>
        </form>
        <span className="as-spacer" />
        <button type="button" className="ghost" onClick={tree.reload} title="Forget the loaded nodes and browse again">
          Reload
        </button>
      </header>
      {state && state !== "connected" ? <p className="as-note as-warn">{connection} is {state}: browsing needs a connected session.</p> : null}
      <div className="as-body">
        <div className="as-left">
          {search ? (
            search.error ? (
              <p className="as-note as-error" data-testid="as-search-error">
                {search.error}
              </p>
            ) : (
              <SearchResults query={search.query} hits={search.hits} truncated={search.truncated} selected={selected} onSelect={select} onClose={() => setSearch(null)} />
            )
          ) : null}
          <NodeTree tree={tree} selected={selected} onSelect={select} />
        </div>
        <div className="as-right">
          <NodeDetails
            node={details.node}
            error={details.error}
            loading={details.loading}
            canBind={roleAtLeast(role, "engineer")}
            onRefresh={() => selected && read(selected)}
            onBind={() => setBinding(true)}
          />
        </div>
      </div>
      {binding && details.node && connection ? <BindTagDialog connection={connection} node={details.node} onClose={() => setBinding(false)} /> : null}
    </section>
  );
}
