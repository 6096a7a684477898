/** Prefixes of the lines `twinbench start` prints, shared with the tests and benchmarks that read them. */
export const SCENE_LINE_PREFIX = "Scene: ";
/** The URL line: it stands alone on stdout. */
export const URL_LINE = /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+$/m;
