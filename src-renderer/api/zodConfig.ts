/**
 * Must be the first import of main.tsx. Zod compiles fast parsers with `new Function` unless told not to,
 * and it probes for that when a schema is built (at import time of the contract). Our CSP has no
 * 'unsafe-eval', so the probe would be reported as a CSP violation; jitless mode skips it.
 */
import { z } from "zod";

z.config({ jitless: true });
