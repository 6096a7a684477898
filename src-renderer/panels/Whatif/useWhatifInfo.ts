/**
 * What the panel needs to build scenarios: whatif.info (KPIs, writable setpoints with limits, faults,
 * outputs) and the scene's scenarios, reloaded when one is saved or deleted (whatif.scenarios.changed).
 */
import { useCallback, useEffect, useState } from "react";
import type { Result } from "../../../src-main/common/api/contract";
import { whatifEvents } from "../../../src-main/common/api/whatif";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import type { WhatifInfo } from "./edits";

export type ScenarioList = Result<"whatif.scenarios.list">;

export interface WhatifCatalog {
  info: WhatifInfo | null;
  scenarios: ScenarioList["scenarios"];
  problems: ScenarioList["problems"];
  error: string | null;
  reload(): void;
}

export function useWhatifInfo(): WhatifCatalog {
  const [info, setInfo] = useState<WhatifInfo | null>(null);
  const [list, setList] = useState<ScenarioList>({ scenarios: [], problems: [] });
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    const client = connectApi();
    Promise.all([call(client, "whatif.info", {}), call(client, "whatif.scenarios.list", {})])
      .then(([i, l]) => {
        setInfo(i);
        setList(l);
        setError(null);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, []);

  useEffect(() => {
    reload();
    return connectApi().on("whatif.scenarios.changed", (raw) => {
      if (whatifEvents["whatif.scenarios.changed"].safeParse(raw).success) reload();
    });
  }, [reload]);

  return { info, scenarios: list.scenarios, problems: list.problems, error, reload };
}
