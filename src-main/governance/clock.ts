/** Time as governance sees it: Unix ms. Injected so that expiry, TTL and rate rules are tested without waiting. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
