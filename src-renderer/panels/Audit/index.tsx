/**
 * The audit viewer (engineers and above): the tamper-evident trail filtered by actor, action (or a prefix such
 * as "proposal."), target and time range, paged by sequence number; the chain verification result; export of
 * what the filter selects as CSV or JSON.
 */
import { useCallback, useEffect, useState } from "react";
import type { AuditEntry, ChainReport } from "../../../src-main/common/api/governance";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { hostNow } from "../../stores/workbench";
import { ProblemNote } from "../../components/ProblemNote";
import { problemOf, type Problem } from "../../components/refusal";
import { AuditTable } from "./AuditTable";
import { ChainStatus } from "./ChainStatus";
import { downloadText } from "./download";
import {
  ACTION_PREFIXES,
  currentStart,
  EMPTY_FORM,
  EXPORT_MIME,
  exportFileName,
  FIRST_PAGE,
  isFiltered,
  newestPage,
  nextPage,
  previousPage,
  toAuditFilter,
  type AuditFilterForm,
  type Paging,
} from "./filters";

const PAGE_SIZE = 100;

type Filter = Extract<ReturnType<typeof toAuditFilter>, { filter: unknown }>["filter"];

export default function AuditPanel() {
  const [form, setForm] = useState<AuditFilterForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<Filter>({});
  const [paging, setPaging] = useState<Paging>(FIRST_PAGE);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [loading, setLoading] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [chain, setChain] = useState<{ report: ChainReport | null; error: string | null; busy: boolean }>({ report: null, error: null, busy: false });
  const [exporting, setExporting] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    call(connectApi(), "audit.list", { ...filter, afterSeq: currentStart(paging), limit: PAGE_SIZE })
      .then((page) => {
        if (!current) return;
        setEntries(page);
        setProblem(null);
      })
      .catch((err: unknown) => current && setProblem(problemOf(err)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [filter, paging, reloads]);

  const verify = useCallback(() => {
    setChain((c) => ({ ...c, busy: true }));
    call(connectApi(), "audit.verify", {})
      .then((report) => setChain({ report, error: null, busy: false }))
      .catch((err: unknown) => setChain({ report: null, error: problemOf(err).message, busy: false }));
  }, []);
  useEffect(verify, [verify]);

  const apply = (next: AuditFilterForm) => {
    const r = toAuditFilter(next);
    if ("error" in r) {
      setFormError(r.error);
      return;
    }
    setFormError(null);
    setFilter(r.filter);
    setPaging(FIRST_PAGE);
    setReloads((n) => n + 1);
  };

  const exportAs = async (format: "csv" | "json") => {
    setExporting(true);
    try {
      const out = await call(connectApi(), "audit.export", { ...filter, format });
      downloadText(out.content, exportFileName(format, hostNow()), EXPORT_MIME[format]);
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setExporting(false);
    }
  };

  const next = nextPage(paging, entries, PAGE_SIZE);
  const previous = previousPage(paging);
  const field = (key: keyof AuditFilterForm) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
    "data-testid": `audit-filter-${key}`,
  });

  return (
    <section className="gov-panel audit-panel" data-testid="audit-panel">
      <ChainStatus report={chain.report} error={chain.error} busy={chain.busy} onVerify={verify} />
      <form
        className="gov-form audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply(form);
        }}
      >
        <label>
          Actor
          <input {...field("actor")} placeholder="username or system:…" />
        </label>
        <label>
          Action
          <input {...field("action")} list="audit-action-prefixes" placeholder="exact, or prefix ending in ." />
          <datalist id="audit-action-prefixes">
            {ACTION_PREFIXES.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label>
          Target
          <input {...field("target")} placeholder="proposal:…, user:…, tag:…" />
        </label>
        <label>
          From
          <input type="datetime-local" {...field("since")} />
        </label>
        <label>
          To
          <input type="datetime-local" {...field("until")} />
        </label>
        <button type="submit" className="gov-button primary" data-testid="audit-apply">
          Filter
        </button>
        <button
          type="button"
          className="ghost"
          onClick={() => {
            setForm(EMPTY_FORM);
            apply(EMPTY_FORM);
          }}
        >
          Clear
        </button>
        {formError ? <span className="gov-invalid" data-testid="audit-filter-error">{formError}</span> : null}
      </form>
      <div className="gov-bar">
        <span className="gov-dim" data-testid="audit-page-info">
          {loading ? "loading…" : entries.length === 0 ? "no entries" : `entries #${entries[0]!.seq} – #${entries[entries.length - 1]!.seq}`}
          {isFiltered(filter) ? " (filtered)" : ""}
        </span>
        <button type="button" className="ghost" disabled={!previous} onClick={() => previous && setPaging(previous)}>
          ‹ Previous
        </button>
        <button type="button" className="ghost" data-testid="audit-next" disabled={!next} onClick={() => next && setPaging(next)}>
          Next ›
        </button>
        {!isFiltered(filter) && chain.report ? (
          <button type="button" className="ghost" onClick={() => setPaging(newestPage(chain.report!.entries, PAGE_SIZE))}>
            Newest »
          </button>
        ) : null}
        <button type="button" className="ghost" onClick={() => setReloads((n) => n + 1)}>
          Reload
        </button>
        <span className="gov-spacer" />
        <button type="button" className="gov-button" data-testid="audit-export-csv" disabled={exporting} onClick={() => void exportAs("csv")}>
          Export CSV
        </button>
        <button type="button" className="gov-button" data-testid="audit-export-json" disabled={exporting} onClick={() => void exportAs("json")}>
          Export JSON
        </button>
      </div>
      <ProblemNote problem={problem} testId="audit-problem" />
      <div className="gov-scroll">
        <AuditTable entries={entries} firstBadSeq={chain.report?.firstBad?.seq ?? null} now={hostNow()} />
      </div>
    </section>
  );
}
