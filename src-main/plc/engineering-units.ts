/**
 * Scene unit strings → OPC UA EUInformation (UN/CEFACT Recommendation 20 codes, as OPC UA Part 8 asks),
 * so that a generic client (UaExpert, a historian) recognises the unit and not only its text.
 */
import { makeEUInformation, standardUnits, type EUInformation } from "node-opcua";

/** Units node-opcua's `standardUnits` does not have, by their UN/CEFACT common code. */
const EXTRA: Record<string, () => EUInformation> = {
  "mm/s": () => makeEUInformation("C16", "mm/s", "millimetre per second"),
  L: () => makeEUInformation("LTR", "L", "litre"),
  l: () => makeEUInformation("LTR", "L", "litre"),
  "L/min": () => makeEUInformation("L2", "L/min", "litre per minute"),
  "m³/s": () => makeEUInformation("MQS", "m³/s", "cubic metre per second"),
  "kg/h": () => makeEUInformation("E93", "kg/h", "kilogram per hour"),
  "1": () => makeEUInformation("C62", "1", "one (dimensionless)"),
  h: () => makeEUInformation("HUR", "h", "hour"),
  kWh: () => makeEUInformation("KWH", "kWh", "kilowatt hour"),
};

/** Scene spellings of the units node-opcua already knows (several spellings for one unit). */
const STANDARD: Record<string, keyof typeof standardUnits> = {
  m: "metre",
  mm: "millimetre",
  cm: "centimetre",
  "m/s": "metre_per_second",
  "m/s²": "metre_per_second_squared",
  "km/h": "kilometre_per_hour",
  "°C": "degree_celsius",
  degC: "degree_celsius",
  "°F": "degree_fahrenheit",
  K: "kelvin",
  kW: "kilowatt",
  W: "watt",
  MW: "megawatt",
  A: "ampere",
  V: "volt",
  bar: "bar",
  mbar: "millibar",
  Pa: "pascal",
  kPa: "kilopascal",
  MPa: "megapascal",
  hPa: "hectopascal",
  "m³/h": "cubic_metre_per_hour",
  "m3/h": "cubic_metre_per_hour",
  "m³/min": "cubic_meter_per_minute",
  "m³": "cubic_metre",
  m3: "cubic_metre",
  rpm: "revolutions_per_minute",
  "r/min": "revolutions_per_minute",
  "1/min": "revolutions_per_minute",
  "r/s": "revolutions_per_second",
  Hz: "hertz",
  kHz: "kilohertz",
  s: "second",
  ms: "millisecond",
  min: "minute",
  "%": "percent",
  ppm: "part_per_million",
  kg: "kilogram",
  g: "gram",
  "kg/s": "kilogram_per_second",
  N: "newton",
  J: "joule",
  "°": "degree",
};

/**
 * EUInformation of a scene unit. A unit with no UN/CEFACT code (e.g. `items`, `m²K/kW`) gets unitId -1,
 * which Part 8 reserves for "no unitId available", rather than an id made up from its text.
 */
export function engineeringUnits(unit: string): EUInformation {
  const trimmed = unit.trim();
  const standard = STANDARD[trimmed];
  if (standard) return standardUnits[standard];
  const extra = EXTRA[trimmed];
  if (extra) return extra();
  const eu = makeEUInformation("", trimmed, trimmed);
  eu.unitId = -1;
  return eu;
}
