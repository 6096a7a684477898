/**
 * A strict little XML reader and a structural check of JUnit XML against the schema CI servers read
 * (Jenkins xUnit's junit-10.xsd): which elements may contain which, which attributes are allowed and
 * required, plus what the XSD cannot say but a CI server relies on: counts that add up, numeric times.
 * No network, no dependencies.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses well-formed XML (elements, attributes, text, entities, CDATA, comments, the declaration); throws on anything else. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (message: string): never => {
    const line = source.slice(0, i).split("\n").length;
    throw new Error(`XML line ${line}: ${message}`);
  };
  const skipMisc = () => {
    for (;;) {
      while (/\s/.test(source[i] ?? "")) i++;
      if (source.startsWith("<?", i)) {
        const end = source.indexOf("?>", i);
        if (end < 0) fail("unterminated processing instruction");
        i = end + 2;
      } else if (source.startsWith("<!--", i)) {
        const end = source.indexOf("-->", i);
        if (end < 0) fail("unterminated comment");
        i = end + 3;
      } else return;
    }
  };
  const decode = (text: string): string =>
    text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);|&/g, (m, e: string | undefined) => {
      if (!e) return fail("a bare & (must be escaped as &amp;)");
      if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
      if (e.startsWith("#")) return String.fromCodePoint(Number(e.slice(1)));
      return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[e as "amp"];
    });
  const element = (): XmlElement => {
    if (source[i] !== "<") fail("expected an element");
    i++;
    const name = /^[A-Za-z_][\w.-]*/.exec(source.slice(i))?.[0] ?? fail("expected an element name");
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      while (/\s/.test(source[i] ?? "")) i++;
      if (source.startsWith("/>", i)) {
        i += 2;
        return { name, attributes, children: [], text: "" };
      }
      if (source[i] === ">") {
        i++;
        break;
      }
      const attr = /^([A-Za-z_][\w.-]*)\s*=\s*"([^"<]*)"/.exec(source.slice(i)) ?? fail(`malformed attribute in <${name}>`);
      if (Object.hasOwn(attributes, attr[1]!)) fail(`duplicate attribute ${attr[1]} in <${name}>`);
      attributes[attr[1]!] = decode(attr[2]!);
      i += attr[0].length;
    }
    const children: XmlElement[] = [];
    let text = "";
    for (;;) {
      if (i >= source.length) fail(`<${name}> is not closed`);
      if (source.startsWith("</", i)) {
        const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(source.slice(i)) ?? fail("malformed end tag");
        if (close[1] !== name) fail(`</${close[1]}> closes <${name}>`);
        i += close[0].length;
        return { name, attributes, children, text };
      }
      if (source.startsWith("<![CDATA[", i)) {
        const end = source.indexOf("]]>", i);
        if (end < 0) fail("unterminated CDATA");
        text += source.slice(i + 9, end);
        i = end + 3;
      } else if (source.startsWith("<!--", i)) {
        i = source.indexOf("-->", i) + 3;
      } else if (source[i] === "<") {
        children.push(element());
      } else {
        const end = source.indexOf("<", i);
        const raw = source.slice(i, end < 0 ? source.length : end);
        if (raw.includes(">") && raw.includes("]]>")) fail("]]> in text");
        text += decode(raw);
        i += raw.length;
      }
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i < source.length) fail("content after the root element");
  return root;
}

interface Rule {
  attributes: string[];
  required: string[];
  children: string[];
  /** Element holds text (mixed content). */
  text?: boolean;
}

/** junit-10.xsd, element by element. */
const SCHEMA: Record<string, Rule> = {
  testsuites: { attributes: ["name", "time", "tests", "failures", "disabled", "errors"], required: [], children: ["testsuite"] },
  testsuite: {
    attributes: ["name", "tests", "failures", "errors", "time", "disabled", "skipped", "skips", "timestamp", "hostname", "id", "package", "assertions", "file", "skip", "log", "url"],
    required: ["tests"],
    children: ["testsuite", "properties", "testcase", "system-out", "system-err"],
  },
  properties: { attributes: [], required: [], children: ["property"] },
  property: { attributes: ["name", "value"], required: ["name", "value"], children: [] },
  testcase: {
    attributes: ["name", "assertions", "time", "timestamp", "classname", "status", "class", "file", "line", "log", "group", "url"],
    required: ["name"],
    children: ["skipped", "error", "failure", "system-out", "system-err"],
  },
  failure: { attributes: ["type", "message"], required: [], children: [], text: true },
  error: { attributes: ["type", "message"], required: [], children: [], text: true },
  skipped: { attributes: ["type", "message"], required: [], children: [], text: true },
  "system-out": { attributes: [], required: [], children: [], text: true },
  "system-err": { attributes: [], required: [], children: [], text: true },
};

/** Every way `xml` breaks the schema or its own counts; empty when it is valid. */
export function junitProblems(xml: string): string[] {
  const problems: string[] = [];
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    return [(err as Error).message];
  }
  if (root.name !== "testsuites" && root.name !== "testsuite") problems.push(`root element is <${root.name}>, expected <testsuites> or <testsuite>`);
  const visit = (el: XmlElement, path: string) => {
    const rule = SCHEMA[el.name];
    if (!rule) return problems.push(`${path}: <${el.name}> is not a JUnit element`);
    for (const a of Object.keys(el.attributes)) if (!rule.attributes.includes(a)) problems.push(`${path}: attribute ${a} is not allowed on <${el.name}>`);
    for (const a of rule.required) if (el.attributes[a] === undefined) problems.push(`${path}: <${el.name}> lacks the required attribute ${a}`);
    if (!rule.text && el.text.trim() !== "") problems.push(`${path}: <${el.name}> may not hold text`);
    for (const [k, child] of el.children.entries()) {
      if (!rule.children.includes(child.name)) problems.push(`${path}: <${child.name}> may not appear in <${el.name}>`);
      visit(child, `${path}/${child.name}[${k}]`);
    }
    if (el.attributes.time !== undefined && !/^\d+(\.\d+)?$/.test(el.attributes.time)) problems.push(`${path}: time "${el.attributes.time}" is not a non-negative decimal number of seconds`);
    for (const count of ["tests", "failures", "errors", "skipped"]) {
      if (el.attributes[count] !== undefined && !/^\d+$/.test(el.attributes[count]!)) problems.push(`${path}: ${count} "${el.attributes[count]}" is not a count`);
    }
    if (el.name === "testsuite") checkCounts(el, path, problems);
    if (el.name === "testcase") {
      const verdicts = el.children.filter((c) => ["failure", "error", "skipped"].includes(c.name));
      if (verdicts.length > 1) problems.push(`${path}: a test case has one verdict, this one has ${verdicts.map((c) => c.name).join(" and ")}`);
    }
    return undefined;
  };
  visit(root, root.name);
  if (root.name === "testsuites") {
    const suites = root.children.filter((c) => c.name === "testsuite");
    for (const count of ["tests", "failures", "errors"]) {
      const total = suites.reduce((n, s) => n + Number(s.attributes[count] ?? 0), 0);
      if (root.attributes[count] !== undefined && Number(root.attributes[count]) !== total) problems.push(`testsuites: ${count}=${root.attributes[count]} but its suites add up to ${total}`);
    }
  }
  return problems;
}

function checkCounts(suite: XmlElement, path: string, problems: string[]): void {
  const cases = suite.children.filter((c) => c.name === "testcase");
  const has = (name: string) => cases.filter((c) => c.children.some((x) => x.name === name)).length;
  const expected: Record<string, number> = { tests: cases.length, failures: has("failure"), errors: has("error"), skipped: has("skipped") };
  for (const [attr, n] of Object.entries(expected)) {
    if (suite.attributes[attr] !== undefined && Number(suite.attributes[attr]) !== n) problems.push(`${path}: ${attr}=${suite.attributes[attr]} but it holds ${n}`);
  }
}
