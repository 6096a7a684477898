/**
 * CSV out and in: the tags and range on the chart exported (long or wide, src-main/historian/CSV.md) and
 * saved through a Blob link; for engineers, a CSV file imported into the historian. Refusals are shown as
 * the host words them.
 */
import { useRef, useState } from "react";
import { HISTORY_IMPORT_MAX_CHARS } from "../../../src-main/common/api/history";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";

export interface CsvControlsProps {
  tagIds: readonly string[];
  from: number;
  to: number;
  canImport: boolean;
  /** Called after an import stored values (the chart asks again). */
  onImported(): void;
}

/** Saves text as a file the way a browser download does (no Node, no dialog API needed). */
function saveText(content: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL is no longer needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function CsvControls({ tagIds, from, to, canImport, onImported }: CsvControlsProps) {
  const [format, setFormat] = useState<"long" | "wide">("long");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; title?: string; bad: boolean } | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const exportCsv = async () => {
    setBusy(true);
    setStatus(null);
    try {
      const out = await call(connectApi(), "history.export", { tagIds: [...tagIds], from: Math.floor(from), to: Math.ceil(to), format });
      saveText(out.content, out.fileName);
      setStatus({ text: `${out.samples.toLocaleString()} values exported`, title: out.fileName, bad: false });
    } catch (err) {
      setStatus({ text: err instanceof Error ? err.message : String(err), bad: true });
    } finally {
      setBusy(false);
    }
  };

  const importCsv = async (f: File) => {
    setBusy(true);
    setStatus(null);
    try {
      const content = await f.text();
      if (content.length > HISTORY_IMPORT_MAX_CHARS) {
        throw new Error(`${f.name} holds ${content.length.toLocaleString()} characters; an import from here takes at most ${HISTORY_IMPORT_MAX_CHARS.toLocaleString()}`);
      }
      const r = await call(connectApi(), "history.import", { content, fileName: f.name.slice(0, 200) });
      const skipped = r.skippedLines > 0 ? `, ${r.skippedLines} line${r.skippedLines === 1 ? "" : "s"} skipped (${r.errors[0] ?? ""}${r.errorCount > 1 ? ` and ${r.errorCount - 1} more` : ""})` : "";
      setStatus({ text: `${f.name}: ${r.samples.toLocaleString()} values imported${skipped}`, bad: r.skippedLines > 0 });
      onImported();
    } catch (err) {
      setStatus({ text: err instanceof Error ? err.message : String(err), bad: true });
    } finally {
      setBusy(false);
      if (file.current) file.current.value = "";
    }
  };

  return (
    <div className="history-csv">
      <select className="dock-reopen" aria-label="CSV layout" data-testid="history-export-format" value={format} onChange={(e) => setFormat(e.target.value === "wide" ? "wide" : "long")}>
        <option value="long">long</option>
        <option value="wide">wide</option>
      </select>
      <button type="button" className="ghost" data-testid="history-export" disabled={busy || tagIds.length === 0} onClick={() => void exportCsv()}>
        Export CSV
      </button>
      {canImport ? (
        <>
          <button type="button" className="ghost" data-testid="history-import" disabled={busy} onClick={() => file.current?.click()}>
            Import…
          </button>
          <input
            ref={file}
            type="file"
            accept=".csv,text/csv"
            hidden
            data-testid="history-import-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void importCsv(f);
            }}
          />
        </>
      ) : null}
      {status ? (
        <span className={`history-status ${status.bad ? "bad" : ""}`} data-testid="history-csv-status" title={status.title ?? status.text}>
          {status.text}
        </span>
      ) : null}
    </div>
  );
}
