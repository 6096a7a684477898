/**
 * A scene's `estimation` block: which assets' models join the estimator, auxiliary components, the
 * connections between ports, which tags drive and which measure the model (with sensor noise), and the
 * filter, prognosis and anomaly settings. Pure zod, part of the scene schema.
 */
import { z } from "zod";
import {
  AnomalySettingsSchema,
  ComponentInstanceSchema,
  FilterSettingsSchema,
  LatentSettingSchema,
  PrognosisSettingsSchema,
} from "./estimation-model";

const Identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "an identifier");
const PortRef = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/, "a port as <component>.<port>");
const TagRef = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/, "a tag id as <asset>.<tag>");

/** The scene's `estimation` block. */
export const EstimationSettingsSchema = z
  .object({
    /** Scene assets whose `model` joins the estimator (assets without a model are an error). */
    assets: z.array(Identifier).min(1),
    /** Auxiliary components that are not assets (a drive's speed, a supply temperature). */
    components: z.array(ComponentInstanceSchema).default([]),
    /** Extra known parameters per asset (e.g. the demo's degradationSpeedup). */
    params: z.record(Identifier, z.record(z.string(), z.number())).default({}),
    /** Extra latent settings per asset: parameters to estimate (e.g. wearRateFactor), prior overrides. */
    latent: z.record(Identifier, z.record(z.string(), LatentSettingSchema)).default({}),
    connections: z.array(z.object({ from: PortRef, to: PortRef }).strict()).default([]),
    inputs: z.array(z.object({ tag: TagRef, to: z.array(PortRef).min(1) }).strict()).default([]),
    constants: z.array(z.object({ to: PortRef, value: z.number() }).strict()).default([]),
    measurements: z.array(z.object({ tag: TagRef, from: PortRef, sigma: z.number().positive(), cutoff: z.number().optional() }).strict()).min(1),
    filter: FilterSettingsSchema.prefault({}),
    prognosis: PrognosisSettingsSchema.prefault({}),
    anomaly: AnomalySettingsSchema.prefault({}),
  })
  .strict();

export type EstimationSettings = z.input<typeof EstimationSettingsSchema>;
