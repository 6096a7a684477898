/**
 * The shape of one area's API implementation: a handler per method of that area's contract, given the
 * parsed params and the caller (null before a login; the governance guard has already checked the role).
 */
import type { z } from "zod";
import type { AuthContext } from "../../governance/auth";

type MethodSpec = { params: z.ZodType; result: z.ZodType };

export type AreaHandlers<R extends Record<string, MethodSpec>> = {
  [M in keyof R]: (params: z.output<R[M]["params"]>, caller: AuthContext | null) => z.output<R[M]["result"]> | Promise<z.output<R[M]["result"]>>;
};
