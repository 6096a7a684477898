/**
 * Hits of a search by name, each with its path from the Objects folder; choosing one selects the node.
 *
 * Test hooks: data-testid="as-search-results"; rows data-testid="as-hit" data-node-id.
 */
import type { SearchHit } from "../../../src-main/common/api/connections";

interface Props {
  query: string;
  hits: SearchHit[];
  truncated: boolean;
  selected: string | null;
  onSelect(nodeId: string): void;
  onClose(): void;
}

export function SearchResults({ query, hits, truncated, selected, onSelect, onClose }: Props) {
  return (
    <div className="as-search-results" data-testid="as-search-results">
      <header className="as-details-header">
        <span>
          {hits.length}
          {truncated ? "+" : ""} match{hits.length === 1 ? "" : "es"} for “{query}”
        </span>
        <span className="as-spacer" />
        <button type="button" className="ghost" aria-label="Close the search results" onClick={onClose}>
          ✕
        </button>
      </header>
      <ul>
        {hits.map((h) => (
          <li key={h.nodeId} className={`as-row as-hit${selected === h.nodeId ? " selected" : ""}`} data-testid="as-hit" data-node-id={h.nodeId} title={h.nodeId} onClick={() => onSelect(h.nodeId)}>
            <span className="as-name">{h.displayName || h.browseName}</span>
            {h.dataType ? <span className="as-type">{h.dataType}</span> : null}
            <span className="as-path">{h.path}</span>
          </li>
        ))}
      </ul>
      {truncated ? <p className="as-note">More nodes match: refine the name.</p> : null}
    </div>
  );
}
