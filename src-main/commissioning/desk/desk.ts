/**
 * The workbench's commissioning desk: drives the simulated plant this workbench started (the embedded demo's
 * virtual plant) through the plant server's control folder over its own OPC UA session, and runs suites
 * against the plant server and the soft PLC. It never touches the twin's PLC connections (those stay governed)
 * and nothing else: without a virtual plant attached every call is refused.
 *
 * Errors: DeskUnavailable (no plant to commission), DeskInputError (an unknown signal, suite or test, a fault
 * the signal does not take: the message names it), DeskBusy (a run is in progress); anything else failed.
 */
import { join, resolve } from "node:path";
import type { ActiveFaultInfo, CommissioningStatus, FaultSpec, RunDetail, RunSummary, SuiteInfo } from "../../common/api/commissioning";
import type { EventName, EventPayload } from "../../common/api/contract";
import type { Scene } from "../../common/scene/schema";
import type { ActiveForce } from "../faults/fault-board";
import { defaultIoListFile, loadIoListFile } from "../files";
import type { IoList } from "../io/io-list";
import { connectClient, type ClientLink } from "../opcua/client";
import { plantControlClient, type PlantControlClient } from "../plant/plant-client";
import { commissioningRoot } from "../plant/plant-layout";
import { htmlReport } from "../report/html-report";
import { junitXml } from "../report/junit";
import { runCommissioning } from "../runner/commission";
import { readIoView, type IoView } from "./io-view";
import { RunJob } from "./run-job";
import { listSuites } from "./suite-catalog";

export interface DeskHost {
  scene: Scene;
  sceneFile: string;
  dataFolder: string;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  log(line: string): void;
}

/** A simulated plant this workbench started. */
export interface DeskTarget {
  source: "embedded-demo";
  plantEndpoint: string;
  plcEndpoint: string;
  /** Default: `<scene>.io.csv` beside the scene. */
  ioListFile?: string;
}

export class DeskUnavailable extends Error {
  override name = "DeskUnavailable";
}
export class DeskInputError extends RangeError {
  override name = "DeskInputError";
}
export class DeskBusy extends Error {
  override name = "DeskBusy";
}

const KEPT_RUNS = 10;

interface Attached {
  target: DeskTarget;
  ioListFile: string;
  ioList: IoList;
  root: string;
  link?: Promise<{ link: ClientLink; control: PlantControlClient }>;
}

export class CommissioningDesk {
  private attached: Attached | undefined;
  private readonly jobs: RunJob[] = [];
  private nextRun = 1;
  private closed = false;

  constructor(private readonly host: DeskHost) {}

  /** Attaches the virtual plant this workbench started; loads its IO list (throws naming the file and line). */
  attach(target: DeskTarget): void {
    const ioListFile = resolve(target.ioListFile ?? defaultIoListFile(this.host.sceneFile));
    const ioList = loadIoListFile(ioListFile);
    this.attached = { target, ioListFile, ioList, root: commissioningRoot(this.host.scene, ioList) };
    this.host.log(`commissioning desk: plant server ${target.plantEndpoint}, PLC ${target.plcEndpoint} (${target.source})`);
  }

  async status(): Promise<CommissioningStatus> {
    const run = this.latest()?.summary() ?? null;
    const base = { scene: this.host.scene.name, run };
    const a = this.attached;
    if (!a) return { ...base, available: false, reason: this.unavailableReason(), connected: false, plantTimeS: null, speed: null };
    const info = { ...base, available: true, source: a.target.source, ioListFile: a.ioListFile, plantEndpoint: a.target.plantEndpoint, plcEndpoint: a.target.plcEndpoint };
    try {
      const { timeS, speed } = await (await this.plant()).control.clock();
      return { ...info, connected: true, plantTimeS: timeS, speed };
    } catch (err) {
      return { ...info, connected: false, reason: `the plant server does not answer: ${(err as Error).message}`, plantTimeS: null, speed: null };
    }
  }

  async io(): Promise<IoView> {
    const a = this.require();
    return readIoView((await this.plant()).link, a.root, a.ioList);
  }

  async force(tag: string, value: number | boolean): Promise<ActiveForce[]> {
    const signal = this.signal(tag);
    if (signal.dataType === "DoubleArray") throw new DeskInputError(`force ${tag}: an array signal cannot be forced; inject a stuck fault with a value instead`);
    const { control } = await this.plant();
    await refusalsAsInput(control.force({ [tag]: typeof value === "boolean" ? (value ? 1 : 0) : value }));
    return control.activeForces();
  }

  async unforce(tags?: readonly string[]): Promise<string[]> {
    tags?.forEach((t) => this.signal(t));
    const { control } = await this.plant();
    const before = await control.activeForces();
    await control.unforce(tags);
    return before.map((f) => f.tag).filter((t) => !tags || tags.includes(t));
  }

  async faults(): Promise<ActiveFaultInfo[]> {
    return (await this.io()).faults;
  }

  async injectFault(spec: FaultSpec): Promise<ActiveFaultInfo[]> {
    this.signal(spec.tag);
    const { control } = await this.plant();
    await refusalsAsInput(control.injectFaults([spec]));
    return this.faults();
  }

  async clearFaults(tags?: readonly string[]): Promise<string[]> {
    tags?.forEach((t) => this.signal(t));
    const { control } = await this.plant();
    const before = await control.activeFaults();
    await control.clearFaults(tags);
    return before.map((f) => f.spec.tag).filter((t) => !tags || tags.includes(t));
  }

  async dropConnection(seconds: number): Promise<void> {
    this.require();
    await refusalsAsInput((await this.plant()).control.dropConnections(seconds));
  }

  suites(): SuiteInfo[] {
    const a = this.require();
    return listSuites(this.host.sceneFile, this.host.scene, a.ioList).map((e) => e.info);
  }

  /** Starts a run in the background; progress and the end come as events. */
  async run(params: { suite: string; tests?: readonly string[]; ioCheckout: boolean; speed?: number }, by: string): Promise<RunSummary> {
    const a = this.require();
    const busy = this.jobs.find((j) => j.state === "running");
    if (busy) throw new DeskBusy(`${busy.id} (${busy.suite.name}, started by ${busy.by}) is still running: cancel it or wait for it to finish`);
    const entries = listSuites(this.host.sceneFile, this.host.scene, a.ioList);
    const entry = entries.find((e) => e.info.id === params.suite);
    if (!entry) throw new DeskInputError(`unknown suite "${params.suite}"; the suites beside the scene are: ${entries.map((e) => e.info.id).join(", ") || "none"}`);
    if (!entry.loaded) throw new DeskInputError(`suite "${params.suite}" cannot run: ${entry.info.problem}`);
    const unknown = (params.tests ?? []).filter((t) => !entry.info.tests.some((x) => x.name === t));
    if (unknown.length > 0) throw new DeskInputError(`suite "${params.suite}" has no test ${unknown.map((t) => JSON.stringify(t)).join(", ")}; its tests are: ${entry.info.tests.map((t) => JSON.stringify(t.name)).join(", ")}`);

    const { control } = await this.plant();
    const before = (await control.clock()).speed;
    const speed = params.speed ?? before;
    if (speed !== before) await control.setSpeed(speed);
    const job = new RunJob(`run-${this.nextRun++}`, { id: entry.info.id, name: entry.info.name }, by, speed);
    this.jobs.push(job);
    if (this.jobs.length > KEPT_RUNS) this.jobs.splice(0, this.jobs.length - KEPT_RUNS);
    this.host.emit("commissioning.runChanged", job.summary());
    const only = params.tests && params.tests.length > 0 ? params.tests : undefined;
    void runCommissioning({
      scene: this.host.scene,
      ioList: a.ioList,
      suites: [entry.loaded],
      plantEndpoint: a.target.plantEndpoint,
      plcEndpoint: a.target.plcEndpoint,
      pkiFolder: join(this.host.dataFolder, "pki", "commissioning"),
      ...(only ? { only } : {}),
      skipIoCheckout: only !== undefined || !params.ioCheckout,
      properties: { ioList: a.ioListFile, suite: entry.info.file, plc: a.target.source === "embedded-demo" ? "reference soft PLC (embedded demo)" : a.target.plcEndpoint, startedBy: by },
      signal: job.controller.signal,
      onEvent: (e) => {
        const progress = job.onEvent(e);
        if (progress) this.host.emit("commissioning.progress", progress);
      },
    })
      .then(
        (result) => job.finish(result),
        (err: unknown) => job.fail(err),
      )
      .then(async () => {
        if (speed !== before && !this.closed) await control.setSpeed(before).catch((err: unknown) => this.host.log(`commissioning: restoring plant speed ×${before}: ${String(err)}`));
        this.host.log(`commissioning ${job.id} ${job.state}`);
        this.host.emit("commissioning.runChanged", job.summary());
      });
    return job.summary();
  }

  cancel(runId: string): boolean {
    const job = this.job(runId);
    if (job.state !== "running" || job.controller.signal.aborted) return false;
    job.controller.abort();
    return true;
  }

  result(runId?: string): RunDetail | null {
    return (runId ? this.job(runId) : this.latest())?.detail() ?? null;
  }

  runs(): RunSummary[] {
    return this.jobs.map((j) => j.summary()).reverse();
  }

  report(runId: string, format: "html" | "junit"): { fileName: string; mimeType: string; content: string } {
    const job = this.job(runId);
    if (!job.result) throw new DeskInputError(job.state === "running" ? `${runId} is still running: its report is written when it ends` : `${runId} has no results (${job.summary().error ?? job.state})`);
    const base = `commissioning-${job.suite.id}-${runId}`;
    return format === "html"
      ? { fileName: `${base}.html`, mimeType: "text/html", content: htmlReport(job.result) }
      : { fileName: `${base}.xml`, mimeType: "application/xml", content: junitXml(job.result) };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.jobs) if (j.state === "running") j.controller.abort();
    const link = this.attached?.link;
    this.attached = undefined;
    if (link) await link.then((l) => l.link.close()).catch(() => {});
  }

  private latest(): RunJob | undefined {
    return this.jobs.find((j) => j.state === "running") ?? this.jobs[this.jobs.length - 1];
  }

  private job(runId: string): RunJob {
    const job = this.jobs.find((j) => j.id === runId);
    if (!job) throw new DeskInputError(`unknown run ${runId}; the runs kept are: ${this.jobs.map((j) => j.id).join(", ") || "none"}`);
    return job;
  }

  private require(): Attached {
    if (!this.attached) throw new DeskUnavailable(this.unavailableReason());
    return this.attached;
  }

  private unavailableReason(): string {
    return this.closed
      ? "the commissioning desk is closed"
      : `commissioning drives only a simulated plant this workbench started: "${this.host.scene.name}" is served by a PLC at ${this.host.scene.connections[0]?.endpoint ?? "?"}; run twinbench start without --endpoint for the virtual plant, or twinbench commission for a PLC under test`;
  }

  private signal(tag: string) {
    const a = this.require();
    const s = a.ioList.signals.find((x) => x.tag === tag);
    if (!s) {
      const known = a.ioList.signals.map((x) => x.tag);
      throw new DeskInputError(`unknown signal "${tag}": the IO list ${a.ioListFile} has no such tag (it has ${known.length}: ${known.slice(0, 8).join(", ")}${known.length > 8 ? ", …" : ""})`);
    }
    return s;
  }

  /** The desk's own session on the plant server, opened on first use and reopened after a failed first connect. */
  private plant(): Promise<{ link: ClientLink; control: PlantControlClient }> {
    const a = this.require();
    if (!a.link) {
      const pkiFolder = join(this.host.dataFolder, "pki", "commissioning", "desk");
      a.link = connectClient(a.target.plantEndpoint, { name: "twinbench-commissioning-desk", pkiFolder }).then((link) => ({ link, control: plantControlClient(link, a.root) }));
      a.link.catch(() => (a.link = undefined));
    }
    return a.link;
  }
}

/** The plant server refuses a bad fault or force with BadInvalidArgument and its reason: that is the caller's input. */
async function refusalsAsInput<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    const m = /BadInvalidArgument \((.*)\)$/s.exec((err as Error).message);
    if (m) throw new DeskInputError(m[1]!);
    throw err;
  }
}
