/**
 * A commissioning run: connects the rig to a plant server and a PLC, runs each suite's tests and IO checkout,
 * and returns the results for the JUnit and HTML reports (and the UI, through `onEvent`).
 */
import type { Scene } from "../../common/scene/schema";
import type { IoList } from "../io/io-list";
import { commissioningRoot } from "../plant/plant-layout";
import type { Suite } from "../suite/suite-parse";
import { runIoCheckout } from "./io-checkout-runner";
import type { RunResult, SuiteResult } from "./results";
import { connectRig } from "./rig";
import { runFunctionalSuite, type RunEvent } from "./suite-runner";
import type { TagDirectory } from "./tag-directory";

export interface CommissionOptions {
  scene: Scene;
  ioList: IoList;
  suites: readonly { suite: Suite; directory: TagDirectory; file?: string }[];
  plantEndpoint: string;
  plcEndpoint: string;
  /** PKI root of the rig's client sessions. */
  pkiFolder: string;
  /** Run only the tests with these names (the IO checkout runs unless `skipIoCheckout`). */
  only?: readonly string[];
  skipIoCheckout?: boolean;
  pollMs?: number;
  properties?: Record<string, string>;
  onEvent?: (event: RunEvent) => void;
  /** Cancels the run (see runFunctionalSuite). */
  signal?: AbortSignal;
}

export async function runCommissioning(options: CommissionOptions): Promise<RunResult> {
  const started = new Date();
  const t0 = performance.now();
  const rig = await connectRig({ plantEndpoint: options.plantEndpoint, plcEndpoint: options.plcEndpoint, root: commissioningRoot(options.scene, options.ioList), pkiFolder: options.pkiFolder });
  const suites: SuiteResult[] = [];
  try {
    for (const { suite, directory, file } of options.suites) {
      if (suite.tests.length > 0) {
        suites.push(
          await runFunctionalSuite({
            suite,
            rig,
            directory,
            ...(file ? { file } : {}),
            ...(options.only ? { only: options.only } : {}),
            ...(options.pollMs ? { pollMs: options.pollMs } : {}),
            ...(options.onEvent ? { onEvent: options.onEvent } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          }),
        );
      }
      if (suite.ioCheckout && !options.skipIoCheckout) {
        suites.push(
          await runIoCheckout({
            ioList: options.ioList,
            options: suite.ioCheckout,
            rig,
            suiteName: suite.name,
            ...(file ? { file } : {}),
            ...(options.pollMs ? { pollMs: options.pollMs } : {}),
            ...(options.onEvent ? { onEvent: options.onEvent } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          }),
        );
      }
    }
  } finally {
    await rig.close();
  }
  return {
    startedAt: started.toISOString(),
    durationS: (performance.now() - t0) / 1000,
    scene: options.scene.name,
    plantEndpoint: options.plantEndpoint,
    plcEndpoint: options.plcEndpoint,
    properties: { plantSpeed: `x${rig.speed}`, ...options.properties },
    suites,
  };
}
