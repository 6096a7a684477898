/**
 * The scene file: what a plant is made of, how each asset is drawn, which OPC UA node each tag is bound to,
 * and the limits and approval rules of every writable setpoint.
 *
 * Pure TypeScript: used by the main process (loading, the simulated PLC), the CLI (validate-scene) and the
 * renderer (drawing). Objects are `strict` so that a misspelled field is an error, not silently ignored.
 */
import { z } from "zod";
import { EstimationSettingsSchema } from "./estimation";
import { ruleCrossIssues, TagRetention, ValidationRules } from "./validation";

export const SCENE_FORMAT_VERSION = 1;

/** Identifiers are used in tag ids (`asset.tag`) and in URLs, so they stay simple. */
const Identifier = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "an identifier: a letter, then letters, digits or _");

const Vec3 = z.tuple([z.number(), z.number(), z.number()]);
const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour as #rrggbb");

/** Level in the asset hierarchy (ISA-95 flavoured). A child sits strictly below its parent. */
export const AssetLevel = z.enum(["plant", "line", "machine", "component"]);
export type AssetLevel = z.infer<typeof AssetLevel>;
export const ASSET_LEVEL_RANK: Record<AssetLevel, number> = { plant: 0, line: 1, machine: 2, component: 3 };

export const TagDataType = z.enum(["Double", "Float", "Int32", "UInt32", "Boolean", "DoubleArray"]);
export type TagDataType = z.infer<typeof TagDataType>;

/** What a tag means to the twin; drives defaults in validation, trends and the write path. */
export const TagRole = z.enum(["measurement", "setpoint", "command", "state", "alarm", "counter", "heartbeat"]);
export type TagRole = z.infer<typeof TagRole>;

export const ApproverRole = z.enum(["operator", "engineer", "admin"]);

/** Limits and approval rules of a writable tag. Enforced by the main process, never only by the UI. */
export const WritePolicy = z
  .object({
    min: z.number(),
    max: z.number(),
    /** Largest change in one write, in engineering units. */
    maxStep: z.number().positive().optional(),
    /** Largest rate of change, engineering units per second. */
    maxRatePerS: z.number().positive().optional(),
    approveRole: ApproverRole.default("engineer"),
    /** Two different users, neither the proposer, must approve. */
    twoPerson: z.boolean().default(false),
    /** Changes no larger than this are approved automatically. Off unless given. */
    autoApproveBand: z.number().nonnegative().optional(),
  })
  .strict()
  .refine((p) => p.min < p.max, { message: "write.min must be less than write.max", path: ["max"] });
export type WritePolicy = z.infer<typeof WritePolicy>;

/** Changes smaller than `value` are not reported: absolute in engineering units, percent of the node's EURange. */
export const TagDeadband = z
  .object({ type: z.enum(["absolute", "percent"]), value: z.number().nonnegative() })
  .strict()
  .refine((d) => d.type !== "percent" || d.value <= 100, { message: "a percent deadband is at most 100", path: ["value"] });

export const Tag = z
  .object({
    /** OPC UA NodeId, e.g. `ns=1;s=DemoCell.BufferTank.Level`. */
    nodeId: z.string().regex(/^(ns=\d+;|nsu=[^;]+;)?[isgb]=.+$/, "an OPC UA NodeId such as ns=1;s=Name"),
    /** Connection id from `connections`; defaults to the first connection. */
    connection: Identifier.optional(),
    dataType: TagDataType,
    role: TagRole,
    description: z.string().optional(),
    unit: z.string().optional(),
    /** Engineering range [low, high]; also the default validation range. */
    range: z.tuple([z.number(), z.number()]).optional(),
    access: z.enum(["read", "readWrite"]).default("read"),
    /** Requested OPC UA sampling interval, milliseconds. */
    samplingMs: z.number().int().min(0).max(3_600_000).default(100),
    /** Server-side filter of small changes (a percent deadband needs the node's EURange on the server). */
    deadband: TagDeadband.optional(),
    /** Values the server queues between publishes; it also bounds what a short outage can deliver afterwards. */
    queueSize: z.number().int().min(1).max(10_000).optional(),
    /** Shown in the trend chart when the workbench opens. */
    trend: z.boolean().default(false),
    write: WritePolicy.optional(),
    /** Validation rules of the historian (validation.ts); defaults from the tag when left out. */
    validation: ValidationRules.optional(),
    /** How long the historian keeps this tag's values (validation.ts); the store's defaults otherwise. */
    history: TagRetention.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.range && !(t.range[0] < t.range[1])) {
      ctx.addIssue({ code: "custom", path: ["range"], message: "range must be [low, high] with low < high" });
    }
    if (t.access === "readWrite" && (t.role === "setpoint" || t.role === "command") && !t.write) {
      ctx.addIssue({
        code: "custom",
        path: ["write"],
        message: "a writable setpoint or command needs a write policy (min, max, approveRole)",
      });
    }
    if (t.deadband && (t.dataType === "Boolean" || t.dataType === "DoubleArray")) {
      ctx.addIssue({ code: "custom", path: ["deadband"], message: `a deadband applies to numeric scalars only, not to ${t.dataType}` });
    }
    if (t.write && t.access !== "readWrite") {
      ctx.addIssue({ code: "custom", path: ["access"], message: "a tag with a write policy must have access: readWrite" });
    }
  });
export type Tag = z.infer<typeof Tag>;

/** How the 3D view draws an asset. Live bindings name tags of the same asset by their short key. */
export const Geometry = z.discriminatedUnion("shape", [
  z
    .object({
      shape: z.literal("tank"),
      position: Vec3,
      radius: z.number().positive(),
      height: z.number().positive(),
      color: Color.default("#8aa4bf"),
      /** Tag key whose value fills the tank, scaled by `fillRange`. */
      fillTag: z.string().optional(),
      fillRange: z.tuple([z.number(), z.number()]).optional(),
      fillColor: Color.default("#2f7fd8"),
    })
    .strict(),
  z
    .object({
      shape: z.literal("pump"),
      position: Vec3,
      size: z.number().positive(),
      rotationY: z.number().default(0),
      color: Color.default("#6b7785"),
      /** Boolean tag key: running (green) or stopped (grey). */
      runningTag: z.string().optional(),
      /** Tag key of shaft speed, turns the impeller. */
      speedTag: z.string().optional(),
      /** Boolean tag key that marks a trip (red). */
      faultTag: z.string().optional(),
    })
    .strict(),
  z
    .object({
      shape: z.literal("box"),
      position: Vec3,
      size: Vec3,
      rotationY: z.number().default(0),
      color: Color.default("#9aa5b1"),
      /** Tag key whose value tints the box from `colorRange[0]` (cold) to `colorRange[1]` (hot). */
      colorTag: z.string().optional(),
      colorRange: z.tuple([z.number(), z.number()]).optional(),
    })
    .strict(),
  z
    .object({
      shape: z.literal("conveyor"),
      position: Vec3,
      length: z.number().positive(),
      width: z.number().positive(),
      rotationY: z.number().default(0),
      color: Color.default("#3d4650"),
      /** DoubleArray tag key: positions of items along the belt, metres from its start. */
      itemsTag: z.string().optional(),
      itemColor: Color.default("#e0a030"),
    })
    .strict(),
  z
    .object({
      shape: z.literal("pipe"),
      /** Polyline of points, metres. */
      points: z.array(Vec3).min(2),
      radius: z.number().positive().default(0.05),
      color: Color.default("#a0a8b0"),
      /** Tag key of flow through the pipe: coloured when flowing. */
      flowTag: z.string().optional(),
    })
    .strict(),
]);
export type Geometry = z.infer<typeof Geometry>;

export const ModelBinding = z
  .object({
    /** Physics model type from the model library, e.g. `centrifugalPump`. */
    type: z.string().min(1),
    /** Known parameters. */
    params: z.record(z.string(), z.number()).default({}),
    /** Latent (hidden) parameters the estimator infers: initial guess and its standard deviation. */
    latent: z
      .record(
        z.string(),
        z.object({ initial: z.number(), sigma: z.number().nonnegative(), unit: z.string().optional() }).strict(),
      )
      .default({}),
  })
  .strict();

export const Asset = z
  .object({
    id: Identifier,
    name: z.string().min(1),
    level: AssetLevel,
    /** Id of the parent asset; absent only for the root. */
    parent: Identifier.optional(),
    description: z.string().optional(),
    geometry: z.array(Geometry).default([]),
    model: ModelBinding.optional(),
    /** Keyed by short tag name; the tag's full id is `<asset id>.<key>`. */
    tags: z.record(Identifier, Tag).default({}),
  })
  .strict();
export type Asset = z.infer<typeof Asset>;

/**
 * Who the twin says it is to a server. A password never goes into the scene file (it is shared, often kept
 * in git): `passwordEnv` names the environment variable that holds it.
 */
export const ConnectionIdentity = z.discriminatedUnion("type", [
  z.object({ type: z.literal("anonymous") }).strict(),
  z
    .object({
      type: z.literal("username"),
      user: z.string().min(1).max(200),
      passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "the name of an environment variable (letters, digits, _)"),
      password: z.never({ error: "never put a password in the scene file: name the environment variable that holds it with passwordEnv" }).optional(),
    })
    .strict(),
]);
export type ConnectionIdentity = z.infer<typeof ConnectionIdentity>;

export const Connection = z
  .object({
    id: Identifier,
    /** opc.tcp:// URL. The CLI's --endpoint replaces the first connection's endpoint. */
    endpoint: z.string().regex(/^opc\.tcp:\/\/[^\s]+$/, "an opc.tcp:// URL"),
    securityMode: z.enum(["None", "Sign", "SignAndEncrypt"]).default("None"),
    securityPolicy: z.string().default("None"),
    /** Anonymous unless given. */
    identity: ConnectionIdentity.optional(),
    /** Publishing interval of every subscription of this connection, ms; derived from each tag's sampling otherwise. */
    publishingMs: z.number().int().min(10).max(3_600_000).optional(),
  })
  .strict();

export const Scene = z
  .object({
    /** Scene format version. */
    scene: z.literal(SCENE_FORMAT_VERSION),
    name: z.string().min(1),
    description: z.string().optional(),
    connections: z.array(Connection).min(1),
    /** Which built-in simulation can play this plant (for `twinbench plc`). */
    simulation: z.object({ model: z.string().min(1), seed: z.number().int().default(1) }).strict().optional(),
    loop: z.object({ rateHz: z.number().positive().max(1000).default(20) }).strict().default({ rateHz: 20 }),
    /** Camera start for the 3D view. */
    view: z
      .object({ camera: Vec3.default([6, 5, 8]), target: Vec3.default([0, 0.5, 0]) })
      .strict()
      .default({ camera: [6, 5, 8], target: [0, 0.5, 0] }),
    assets: z.array(Asset).min(1),
    /** How the twin estimates what no sensor sees: composed models, inputs, measurements, filter, prognosis. */
    estimation: EstimationSettingsSchema.optional(),
  })
  .strict()
  .superRefine((scene, ctx) => {
    // Validation rules that need the rest of the tag or other tags (a drift rule names its reference tag).
    const tagIds = new Set(scene.assets.flatMap((a) => Object.keys(a.tags).map((key) => `${a.id}.${key}`)));
    scene.assets.forEach((asset, i) => {
      for (const [key, tag] of Object.entries(asset.tags)) {
        if (!tag.validation) continue;
        for (const issue of ruleCrossIssues({ id: `${asset.id}.${key}`, dataType: tag.dataType, range: tag.range }, tag.validation, tagIds)) {
          ctx.addIssue({ code: "custom", path: ["assets", i, "tags", key, ...issue.path], message: issue.message });
        }
      }
    });
  });
export type Scene = z.infer<typeof Scene>;
export type SceneInput = z.input<typeof Scene>;
