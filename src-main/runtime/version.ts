import pkg from "../../package.json";

/** The workbench version, from package.json. */
export const VERSION: string = pkg.version;
