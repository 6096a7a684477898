/**
 * A request governance will not carry out, with the rule it breaks. The reasons are for people: each names
 * the tag or user and the rule, e.g. `bufferTank.temperatureSetpoint: step 12 °C exceeds maxStep 5 °C`.
 */
export class Refusal extends Error {
  constructor(
    /** The rule broken, e.g. `maxStep`, `twoPerson`, `lastAdmin`, `notFound`. */
    readonly rule: string,
    readonly reasons: readonly string[],
  ) {
    super(reasons.join("; "));
    this.name = "Refusal";
  }

  static of(rule: string, reason: string): Refusal {
    return new Refusal(rule, [reason]);
  }
}
