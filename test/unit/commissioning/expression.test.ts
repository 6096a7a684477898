// The suites' condition language: what it accepts, how it evaluates (with unknown values), and the column
// of each mistake.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { evaluate, ExpressionError, parseExpression, tagsOf, type Value } from "../../../src-main/commissioning/suite/expression";

function run(text: string, tags: Record<string, Value>, vars: Record<string, Value> = {}): Value {
  return evaluate(parseExpression(text), (ref) => tags[ref.side ? `${ref.side}:${ref.id}` : ref.id], (n) => vars[n]);
}

describe("conditions", () => {
  const tags = { "cell.state": 2, "cell.interlockActive": false, "bufferTank.level": 1.2, "plant:feedPump.runCommand": true, "fillingStation.itemsProduced": 7 };

  it("compares, combines and ranges", () => {
    assert.equal(run("cell.state == 2 and not cell.interlockActive", tags), true);
    assert.equal(run("bufferTank.level in [1.1, 1.3]", tags), true);
    assert.equal(run("bufferTank.level in [1.3, 1.4] or cell.state != 2", tags), false);
    assert.equal(run("plant:feedPump.runCommand", tags), true);
    assert.equal(run("abs(bufferTank.level - 1.25) < 0.1", tags), true);
    assert.equal(run("max(cell.state, 3) * 2 / 3 >= 2", tags), true);
    assert.equal(run("-bufferTank.level < -1", tags), true);
    assert.equal(run("fillingStation.itemsProduced >= $bottles + 3", tags, { bottles: 4 }), true);
    assert.equal(run("cell.interlockActive == false", tags), true, "Booleans compare as 0/1");
    assert.equal(run("not (cell.state == 2 or cell.state == 3)", tags), false);
  });

  it("an unknown value never makes a condition true, but a known side may decide it", () => {
    assert.equal(run("missing.tag > 1", tags), undefined);
    assert.equal(run("not missing.tag", tags), undefined);
    assert.equal(run("missing.tag and cell.interlockActive", tags), false);
    assert.equal(run("missing.tag or cell.state == 2", tags), true);
    assert.equal(run("bufferTank.level / 0 > 1", tags), undefined);
  });

  it("lists the tags it reads, once each, with their side", () => {
    assert.deepEqual(tagsOf(parseExpression("a.b > 1 and plant:a.b < 2 or a.b == 3 and plc:c.d")), [{ id: "a.b" }, { id: "a.b", side: "plant" }, { id: "c.d", side: "plc" }]);
  });

  it("names each mistake and its column", () => {
    const err = (text: string) => {
      try {
        parseExpression(text);
      } catch (e) {
        assert.ok(e instanceof ExpressionError);
        return `${e.column}: ${e.message}`;
      }
      assert.fail(`${text} parsed`);
    };
    assert.equal(err("cell.state = 2"), '12: unexpected "=" (compare with ==)');
    assert.equal(err("cell.state == 2 && x.y"), '17: unexpected "&" (write and / or)');
    assert.equal(err("level > 1"), '1: "level" is not a tag: tags are written asset.key, e.g. bufferTank.level');
    assert.equal(err("a.b in [1, 2"), "13: expected \"]\" but the expression ended");
    assert.equal(err("a.b > "), "7: expected a value but the expression ended");
    assert.equal(err("sqrt(a.b)"), "1: unknown function sqrt (known: abs, min, max)");
    assert.equal(err("a.b > 1 c.d"), '9: unexpected, found "c.d" after a complete expression');
    assert.equal(err("and a.b"), '1: "and" needs a value before it');
  });

  it("numbers written in a condition read back as themselves", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const text = `a.b == ${Math.abs(x)}`;
        assert.equal(run(text, { "a.b": Math.abs(x) }), true);
      }),
    );
  });
});
