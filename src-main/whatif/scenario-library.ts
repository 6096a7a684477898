/**
 * The scenarios of a scene: those declared with it (`<scene>.whatif.yaml`, read-only here) and those saved
 * from the panel (ScenarioStore, one YAML file each in the data folder). A saved scenario overrides a
 * declared one of the same name.
 */
import { existsSync } from "node:fs";
import { ApiError } from "../common/api/contract";
import type { Scenario } from "../common/whatif/schema";
import { ScenarioError } from "../common/whatif/validate";
import type { WhatifContext } from "./context";
import { ScenarioStore, scenarioFolder } from "./store";

export interface ScenarioEntry {
  name: string;
  description?: string;
  horizonS: number;
  edits: number;
  origin: "scene" | "saved";
}

export class ScenarioLibrary {
  private readonly store: ScenarioStore;

  constructor(
    private readonly ctx: WhatifContext,
    dataFolder: string,
  ) {
    this.store = new ScenarioStore(scenarioFolder(dataFolder, ctx.scene.name), ctx);
  }

  list(): { scenarios: ScenarioEntry[]; problems: { file: string; message: string }[] } {
    const saved = this.store.list();
    const byName = new Map<string, ScenarioEntry>();
    for (const s of this.ctx.declarations.scenarios) byName.set(s.name, entry(s, "scene"));
    for (const s of saved.scenarios) {
      const full = this.store.load(s.name);
      byName.set(s.name, entry(full, "saved"));
    }
    return {
      scenarios: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)),
      problems: saved.problems.map((p) => ({ file: p.file, message: p.problems.map((x) => `${x.line ? `line ${x.line}: ` : ""}${x.path || "(top level)"}: ${x.message}`).join("; ") })),
    };
  }

  get(name: string): { scenario: Scenario; origin: "scene" | "saved" } {
    if (this.isSaved(name)) return { scenario: this.store.load(name), origin: "saved" };
    const declared = this.ctx.declarations.scenarios.find((s) => s.name === name);
    if (declared) return { scenario: structuredClone(declared), origin: "scene" };
    const known = this.list().scenarios.map((s) => s.name);
    throw new ApiError("failed", `no scenario named "${name}"; known: ${known.join(", ") || "none"}`);
  }

  /** Saves a scenario; refused, naming the edit and the limit, when it breaks the scene's write policy. */
  save(scenario: Scenario): string {
    try {
      return this.store.save(scenario);
    } catch (err) {
      if (err instanceof ScenarioError) throw new ApiError("refused", err.message);
      throw err;
    }
  }

  /** Deletes a saved scenario; a declared one stays (it is part of the scene). */
  remove(name: string): boolean {
    if (!this.isSaved(name) && this.ctx.declarations.scenarios.some((s) => s.name === name)) {
      throw new ApiError("refused", `scenario "${name}" is declared with the scene (its what-if declarations file), not saved here: edit that file to remove it`);
    }
    return this.store.remove(name);
  }

  private isSaved(name: string): boolean {
    return existsSync(this.store.fileOf(name));
  }
}

function entry(s: Scenario, origin: "scene" | "saved"): ScenarioEntry {
  const e: ScenarioEntry = { name: s.name, horizonS: s.horizonS, edits: s.edits.length, origin };
  if (s.description !== undefined) e.description = s.description;
  return e;
}
