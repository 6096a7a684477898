/**
 * Test doubles and a ready governance for the governance tests: a settable plant, a recording PlcWriter, a
 * clock that moves only when told, and users of every role. Real SQLite files in a temp folder.
 */
import { readFileSync } from "node:fs";
import { parseScene } from "../../../../src-main/common/scene/parse";
import type { Scene } from "../../../../src-main/common/scene/schema";
import type { AuthContext } from "../../../../src-main/governance/auth";
import type { Role } from "../../../../src-main/common/api/governance";
import { openGovernance, type Governance, type GovernanceOptions } from "../../../../src-main/governance/index";
import type { ScryptCost } from "../../../../src-main/governance/passwords";
import type { ConnectionHealth, PlantConditions, PlcWriter, PlcWriteResult, WriteValue } from "../../../../src-main/governance/plc-writer";
import { Refusal } from "../../../../src-main/governance/refusal";
import { tempFolder } from "../../../support/temp";

/** Cheap scrypt for tests (the production default is checked in passwords.test.ts). */
export const TEST_COST: ScryptCost = { N: 2 ** 12, r: 8, p: 1 };
export const PASSWORD = "correct horse battery";

export function demoScene(): Scene {
  const r = parseScene(readFileSync("scenes/demo-cell.scene.yaml", "utf8"));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scene;
}

/** Starting values of the demo cell's writable setpoints (as the simulation starts them). */
export const DEMO_VALUES: Record<string, WriteValue> = {
  "cell.startCommand": false,
  "cell.stopCommand": false,
  "bufferTank.levelSetpoint": 1.2,
  "bufferTank.temperatureSetpoint": 55,
  "heatExchanger.coolantFlowSetpoint": 6,
  "fillingStation.fillVolumeSetpoint": 1.0,
};

/** A plant whose state the test sets. */
export class FakePlant implements PlantConditions {
  values = new Map<string, WriteValue | null>(Object.entries(DEMO_VALUES));
  link: ConnectionHealth = { health: "up", detail: "plc1 connected" };
  stale: string[] = [];
  anomalies: string[] = [];

  connectionState(): ConnectionHealth {
    return this.link;
  }
  staleInputs(): string[] {
    return this.stale;
  }
  anomalyOnRelated(): string[] {
    return this.anomalies;
  }
  currentValue(tagId: string): WriteValue | null {
    return this.values.get(tagId) ?? null;
  }
}

export interface WriteCall {
  tagId: string;
  nodeId: string;
  value: WriteValue;
}

/**
 * A PlcWriter that records every call and answers as told: by default the PLC takes the value and reads it
 * back, and the plant then holds it. A test double for assertions about who reached the write.
 */
export class SpyWriter implements PlcWriter {
  calls: WriteCall[] = [];
  /** Called at the moment of each write (e.g. to inspect the database then). */
  onWrite: (call: WriteCall) => void = () => {};
  answer: (call: WriteCall) => Promise<PlcWriteResult> = async (c) => ({ written: c.value, readBack: c.value, confirmed: true, statusName: "Good" });

  constructor(private readonly plant?: FakePlant) {}

  async write(tagId: string, nodeId: string, value: WriteValue): Promise<PlcWriteResult> {
    const call = { tagId, nodeId, value };
    this.calls.push(call);
    this.onWrite(call);
    const result = await this.answer(call);
    if (result.readBack !== null) this.plant?.values.set(tagId, result.readBack);
    return result;
  }
}

export class FakeClock {
  constructor(public t = Date.UTC(2026, 0, 15, 8, 0, 0)) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestGovernance {
  gov: Governance;
  plant: FakePlant;
  writer: SpyWriter;
  clock: FakeClock;
  folder: string;
  /** Logged-in users by role, created with PASSWORD (admin is the first-run admin). */
  as: Record<Role, AuthContext> & { second: Record<Role, AuthContext> };
  close(): void;
}

export const ROLE_LIST: Role[] = ["viewer", "operator", "engineer", "admin"];

/** A governance on a fresh data folder with one admin (`admin`) and two users of each other role. */
export async function openTestGovernance(options: Partial<GovernanceOptions> = {}): Promise<TestGovernance> {
  const temp = tempFolder("governance");
  const plant = new FakePlant();
  const writer = new SpyWriter(plant);
  const clock = new FakeClock();
  const gov = openGovernance({
    dataFolder: temp.path,
    scene: demoScene(),
    sceneFile: "scenes/demo-cell.scene.yaml",
    writer,
    conditions: plant,
    clock: clock.now,
    passwordCost: TEST_COST,
    ...options,
  });
  const login = async (username: string) => gov.auth.resolve((await gov.auth.login(username, PASSWORD)).token, false)!;
  await gov.auth.setupAdmin({ username: "admin", password: PASSWORD });
  const admin = await login("admin");
  const as = {} as TestGovernance["as"];
  as.second = {} as Record<Role, AuthContext>;
  for (const role of ROLE_LIST) {
    const a = role === "admin" ? "admin" : `${role}1`;
    const b = `${role}2`;
    if (role !== "admin") await gov.users.create({ kind: "user", userId: admin.user.id, username: "admin", role: "admin" }, { username: a, password: PASSWORD, role });
    await gov.users.create({ kind: "user", userId: admin.user.id, username: "admin", role: "admin" }, { username: b, password: PASSWORD, role });
    as[role] = role === "admin" ? admin : await login(a);
    as.second[role] = await login(b);
  }
  return {
    gov,
    plant,
    writer,
    clock,
    folder: temp.path,
    as,
    close: () => {
      gov.close();
      temp.remove();
    },
  };
}

/** Runs `f`, expecting a Refusal; returns it. */
export async function refused(f: () => unknown): Promise<Refusal> {
  try {
    await f();
  } catch (err) {
    if (err instanceof Refusal) return err;
    throw err;
  }
  throw new Error("expected a refusal, but the call succeeded");
}
