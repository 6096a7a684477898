/** The estimator configuration schemas live with the scene schema (a scene declares its estimation). */
export * from "../../src-main/common/scene/estimation-model";
