/**
 * The condition language of commissioning suites: small, safe (parsed, never evaluated as code), and
 * readable by a commissioning engineer.
 *
 *   cell.state == 2 and not cell.interlockActive
 *   bufferTank.level in [1.1, 1.3]
 *   plant:feedPump.runCommand or abs(truth.tankLevel - 1.2) < 0.05
 *   fillingStation.itemsProduced >= $bottles + 3
 *
 * Tags are `asset.key` ids, optionally prefixed `plant:` (the value at the plant server) or `plc:` (at the
 * PLC); `$name` is a value captured by an earlier step. Operators: or, and, not, == != < <= > >=, `in [lo, hi]`,
 * + - * /, parentheses; functions abs, min, max. Booleans compare as 0/1. A tag without a value makes the
 * comparison unknown, which never counts as true.
 */

export type Side = "plant" | "plc";

export interface TagRef {
  /** `asset.key` */
  id: string;
  /** Explicit side (`plant:` / `plc:`); undefined lets the suite's tag directory choose. */
  side?: Side;
}

export type Expr =
  | { kind: "number"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "tag"; ref: TagRef }
  | { kind: "var"; name: string }
  | { kind: "not"; arg: Expr }
  | { kind: "neg"; arg: Expr }
  | { kind: "binary"; op: "or" | "and" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/"; left: Expr; right: Expr }
  | { kind: "in"; arg: Expr; low: Expr; high: Expr }
  | { kind: "call"; fn: "abs" | "min" | "max"; args: Expr[] };

export type Value = number | boolean | undefined;

export class ExpressionError extends Error {
  constructor(
    message: string,
    /** 1-based column in the expression text. */
    readonly column: number,
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

type Token = { t: "num"; v: number; at: number } | { t: "id"; v: string; at: number } | { t: "var"; v: string; at: number } | { t: "op"; v: string; at: number } | { t: "end"; at: number };

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const TAG = /(?:(plant|plc):)?([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?/y;
const OPS = ["==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ","];

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i + 1;
    NUMBER.lastIndex = i;
    const num = /[\d.]/.test(c) ? NUMBER.exec(text) : null;
    if (num) {
      out.push({ t: "num", v: Number(num[0]), at });
      i += num[0].length;
      continue;
    }
    if (c === "$") {
      WORD.lastIndex = i + 1;
      const w = WORD.exec(text);
      if (!w) throw new ExpressionError("expected a variable name after $", at);
      out.push({ t: "var", v: w[0], at });
      i += 1 + w[0].length;
      continue;
    }
    TAG.lastIndex = i;
    const id = /[A-Za-z_]/.test(c) ? TAG.exec(text) : null;
    if (id) {
      out.push({ t: "id", v: id[0], at });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected ${JSON.stringify(c)}${c === "=" ? " (compare with ==)" : c === "&" || c === "|" ? " (write and / or)" : ""}`, at);
    out.push({ t: "op", v: op, at });
    i += op.length;
  }
  out.push({ t: "end", at: text.length + 1 });
  return out;
}

/** Parses a condition or value expression; throws ExpressionError with the column. */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let k = 0;
  const peek = () => tokens[k]!;
  const isWord = (w: string) => peek().t === "id" && (peek() as { v: string }).v === w;
  const isOp = (o: string) => peek().t === "op" && (peek() as { v: string }).v === o;
  const expectOp = (o: string) => {
    if (!isOp(o)) throw new ExpressionError(`expected "${o}"${describe(peek())}`, peek().at);
    k++;
  };

  const or = (): Expr => {
    let left = and();
    while (isWord("or")) {
      k++;
      left = { kind: "binary", op: "or", left, right: and() };
    }
    return left;
  };
  const and = (): Expr => {
    let left = not();
    while (isWord("and")) {
      k++;
      left = { kind: "binary", op: "and", left, right: not() };
    }
    return left;
  };
  const not = (): Expr => {
    if (isWord("not")) {
      k++;
      return { kind: "not", arg: not() };
    }
    return comparison();
  };
  const comparison = (): Expr => {
    const left = sum();
    const tok = peek();
    if (tok.t === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(tok.v)) {
      k++;
      return { kind: "binary", op: tok.v as "==", left, right: sum() };
    }
    if (isWord("in")) {
      k++;
      expectOp("[");
      const low = sum();
      expectOp(",");
      const high = sum();
      expectOp("]");
      return { kind: "in", arg: left, low, high };
    }
    return left;
  };
  const sum = (): Expr => {
    let left = term();
    while (isOp("+") || isOp("-")) {
      const op = (tokens[k++] as { v: string }).v as "+" | "-";
      left = { kind: "binary", op, left, right: term() };
    }
    return left;
  };
  const term = (): Expr => {
    let left = unary();
    while (isOp("*") || isOp("/")) {
      const op = (tokens[k++] as { v: string }).v as "*" | "/";
      left = { kind: "binary", op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    if (isOp("-")) {
      k++;
      return { kind: "neg", arg: unary() };
    }
    return primary();
  };
  const primary = (): Expr => {
    const tok = peek();
    if (tok.t === "num") {
      k++;
      return { kind: "number", value: tok.v };
    }
    if (tok.t === "var") {
      k++;
      return { kind: "var", name: tok.v };
    }
    if (tok.t === "op" && tok.v === "(") {
      k++;
      const inner = or();
      expectOp(")");
      return inner;
    }
    if (tok.t === "id") {
      k++;
      if (tok.v === "true" || tok.v === "false") return { kind: "bool", value: tok.v === "true" };
      if (["and", "or", "not", "in"].includes(tok.v)) throw new ExpressionError(`"${tok.v}" needs a value before it`, tok.at);
      if (isOp("(")) {
        if (tok.v !== "abs" && tok.v !== "min" && tok.v !== "max") throw new ExpressionError(`unknown function ${tok.v} (known: abs, min, max)`, tok.at);
        k++;
        const args = [or()];
        while (isOp(",")) {
          k++;
          args.push(or());
        }
        expectOp(")");
        if (tok.v === "abs" ? args.length !== 1 : args.length < 2) throw new ExpressionError(`${tok.v} takes ${tok.v === "abs" ? "one argument" : "two or more arguments"}`, tok.at);
        return { kind: "call", fn: tok.v, args };
      }
      const m = /^(?:(plant|plc):)?(.+)$/.exec(tok.v)!;
      if (!m[2]!.includes(".")) throw new ExpressionError(`"${m[2]}" is not a tag: tags are written asset.key, e.g. bufferTank.level`, tok.at);
      return { kind: "tag", ref: { id: m[2]!, ...(m[1] ? { side: m[1] as Side } : {}) } };
    }
    throw new ExpressionError(`expected a value${describe(tok)}`, tok.at);
  };

  const expr = or();
  if (peek().t !== "end") throw new ExpressionError(`unexpected${describe(peek())} after a complete expression`, peek().at);
  return expr;
}

function describe(tok: Token): string {
  if (tok.t === "end") return " but the expression ended";
  return `, found "${tok.t === "num" ? tok.v : tok.t === "var" ? `$${tok.v}` : tok.v}"`;
}

/** Every tag an expression reads, in order of appearance, without duplicates. */
export function tagsOf(expr: Expr, out: TagRef[] = []): TagRef[] {
  const add = (ref: TagRef) => {
    if (!out.some((r) => r.id === ref.id && r.side === ref.side)) out.push(ref);
  };
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case "tag":
        add(e.ref);
        break;
      case "not":
      case "neg":
        walk(e.arg);
        break;
      case "binary":
        walk(e.left);
        walk(e.right);
        break;
      case "in":
        walk(e.arg);
        walk(e.low);
        walk(e.high);
        break;
      case "call":
        e.args.forEach(walk);
        break;
      default:
        break;
    }
  };
  walk(expr);
  return out;
}

/** Evaluates with tag values from `tag` and captured variables from `variable`. */
export function evaluate(expr: Expr, tag: (ref: TagRef) => Value, variable: (name: string) => Value): Value {
  const ev = (e: Expr): Value => {
    switch (e.kind) {
      case "number":
      case "bool":
        return e.value;
      case "tag":
        return tag(e.ref);
      case "var":
        return variable(e.name);
      case "not": {
        const v = ev(e.arg);
        return v === undefined ? undefined : !truthy(v);
      }
      case "neg": {
        const v = num(ev(e.arg));
        return v === undefined ? undefined : -v;
      }
      case "in": {
        const [v, lo, hi] = [num(ev(e.arg)), num(ev(e.low)), num(ev(e.high))];
        return v === undefined || lo === undefined || hi === undefined ? undefined : v >= lo && v <= hi;
      }
      case "call": {
        const args = e.args.map((a) => num(ev(a)));
        if (args.some((a) => a === undefined)) return undefined;
        const xs = args as number[];
        return e.fn === "abs" ? Math.abs(xs[0]!) : e.fn === "min" ? Math.min(...xs) : Math.max(...xs);
      }
      case "binary": {
        if (e.op === "and" || e.op === "or") {
          const l = ev(e.left);
          // Short-circuit as far as the known side decides it: false and unknown is false.
          if (l !== undefined && truthy(l) === (e.op === "or")) return e.op === "or";
          const r = ev(e.right);
          if (r !== undefined && truthy(r) === (e.op === "or")) return e.op === "or";
          return l === undefined || r === undefined ? undefined : e.op === "or" ? truthy(l) || truthy(r) : truthy(l) && truthy(r);
        }
        const l = num(ev(e.left));
        const r = num(ev(e.right));
        if (l === undefined || r === undefined) return undefined;
        switch (e.op) {
          case "==": return l === r;
          case "!=": return l !== r;
          case "<": return l < r;
          case "<=": return l <= r;
          case ">": return l > r;
          case ">=": return l >= r;
          case "+": return l + r;
          case "-": return l - r;
          case "*": return l * r;
          case "/": return r === 0 ? undefined : l / r;
        }
      }
    }
  };
  return ev(expr);
}

function num(v: Value): number | undefined {
  return v === undefined ? undefined : typeof v === "boolean" ? (v ? 1 : 0) : Number.isFinite(v) ? v : undefined;
}

function truthy(v: number | boolean): boolean {
  return typeof v === "boolean" ? v : v !== 0;
}

/** Text form of a tag reference as written in a suite. */
export function refText(ref: TagRef): string {
  return ref.side ? `${ref.side}:${ref.id}` : ref.id;
}
