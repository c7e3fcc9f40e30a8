/**
 * PHP's JSON behaviour, reproduced byte for byte where the wire depends on it.
 *
 * - `phpJsonEncode` = `json_encode($v, JSON_UNESCAPED_SLASHES)` (webhook bodies, JWT payloads) or
 *   plain `json_encode($v)` (Magento's REST renderer, which escapes `/`).
 * - `phpFloat` = PHP's `serialize_precision = -1` double formatting (`php_gcvt` mode 0):
 *   whole floats lose their fraction (`10.0` → `10`) and tiny/huge values use `1.0e-5` style.
 * - `phpRound` = PHP's `round()` (half away from zero, with pre-rounding).
 * - `parsePhpJson` = `json_decode($s, true)` keeping PHP's int/float distinction, which the JWT
 *   verifier needs (`is_int` rejects `1.7e9` and `1777550400.0`).
 */

/** Object members set to `undefined` are skipped, which is how omitted nullable getters are modelled. */
export type PhpJson = null | boolean | number | string | PhpJson[] | { [key: string]: PhpJson | undefined };

export interface EncodeOptions {
  /** JSON_UNESCAPED_SLASHES: true for the module's own encoders, false for Magento's REST output. */
  unescapedSlashes: boolean;
}

export function phpFloat(value: number): string {
  if (!Number.isFinite(value)) throw new Error("PHP json_encode cannot encode INF/NAN");
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const negative = value < 0;
  // toExponential() without an argument yields the shortest round-trip digits, like zend_dtoa mode 0.
  const [mantissa, exponent] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const decpt = Number(exponent) + 1;
  let out: string;
  if (decpt < 0 ? decpt < -3 : decpt > 17) {
    const e = decpt - 1;
    const frac = digits.length > 1 ? digits.slice(1) : "0";
    out = `${digits[0]}.${frac}e${e < 0 ? "-" : "+"}${Math.abs(e)}`;
  } else if (decpt <= 0) {
    out = `0.${"0".repeat(-decpt)}${digits}`;
  } else if (digits.length <= decpt) {
    out = digits + "0".repeat(decpt - digits.length);
  } else {
    out = `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  return negative ? `-${out}` : out;
}

export function phpRound(value: number, places = 0): number {
  const factor = 10 ** places;
  // PHP pre-rounds to 15 significant digits so 1.005 * 100 rounds to 101 as a human expects.
  const scaled = Number((value * factor).toPrecision(15));
  const rounded = Math.sign(scaled) * Math.round(Math.abs(scaled));
  return rounded / factor;
}

function escapeString(s: string, opts: EncodeOptions): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "/") out += opts.unescapedSlashes ? "/" : "\\/";
    else if (code === 0x08) out += "\\b";
    else if (code === 0x0c) out += "\\f";
    else if (code === 0x0a) out += "\\n";
    else if (code === 0x0d) out += "\\r";
    else if (code === 0x09) out += "\\t";
    else if (code < 0x20 || code > 0x7e) {
      // UTF-16 code units are exactly what PHP emits (astral chars become surrogate pairs); 0x7f is
      // left raw by PHP, everything above ASCII is escaped in lowercase hex.
      out += code === 0x7f ? ch : `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

export function phpJsonEncode(value: PhpJson, opts: EncodeOptions = { unescapedSlashes: true }): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return phpFloat(value);
  if (typeof value === "string") return escapeString(value, opts);
  if (Array.isArray(value)) return `[${value.map((v) => phpJsonEncode(v, opts)).join(",")}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    parts.push(`${escapeString(k, opts)}:${phpJsonEncode(v, opts)}`);
  }
  return `{${parts.join(",")}}`;
}

/** A decoded value where numbers remember whether PHP would have produced an int or a float. */
export type Decoded =
  | null
  | boolean
  | string
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | Decoded[]
  | { kind: "object"; entries: Map<string, Decoded> };

const INT_RE = /^-?(0|[1-9]\d*)$/;

/** `json_decode($s, true)`; returns undefined where PHP returns null for invalid input. */
export function parsePhpJson(text: string): Decoded | undefined {
  let pos = 0;
  const ws = () => {
    while (pos < text.length && " \t\n\r".includes(text[pos])) pos++;
  };
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at ${pos}`);
  };
  const value = (): Decoded => {
    ws();
    const ch = text[pos];
    if (ch === "{") {
      pos++;
      const entries = new Map<string, Decoded>();
      ws();
      if (text[pos] === "}") {
        pos++;
        return { kind: "object", entries };
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail();
        const key = str();
        ws();
        if (text[pos++] !== ":") fail();
        entries.set(key, value());
        ws();
        const sep = text[pos++];
        if (sep === "}") return { kind: "object", entries };
        if (sep !== ",") fail();
      }
    }
    if (ch === "[") {
      pos++;
      const items: Decoded[] = [];
      ws();
      if (text[pos] === "]") {
        pos++;
        return items;
      }
      for (;;) {
        items.push(value());
        ws();
        const sep = text[pos++];
        if (sep === "]") return items;
        if (sep !== ",") fail();
      }
    }
    if (ch === '"') return str();
    for (const [lit, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(lit, pos)) {
        pos += lit.length;
        return v;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!m) fail();
    const raw = m![0];
    pos += raw.length;
    const n = Number(raw);
    // PHP turns integers beyond PHP_INT_MAX into floats; beyond 2^53 we cannot be exact anyway.
    return INT_RE.test(raw) && Number.isSafeInteger(n) ? { kind: "int", value: n } : { kind: "float", value: n };
  };
  const str = (): string => {
    const start = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === "\\") pos++;
      else if (text.charCodeAt(pos) < 0x20) fail();
      pos++;
    }
    if (pos >= text.length) fail();
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  try {
    const result = value();
    ws();
    return pos === text.length ? result : undefined;
  } catch {
    return undefined;
  }
}

/** `$array['key'] ?? null` on a decoded associative array (lists have only numeric keys). */
export function member(d: Decoded | undefined, key: string): Decoded | undefined {
  if (d && typeof d === "object" && !Array.isArray(d) && d.kind === "object") return d.entries.get(key);
  return undefined;
}

/** PHP `is_array()` after `json_decode(..., true)`: objects and lists both qualify. */
export function isPhpArray(d: Decoded | undefined): boolean {
  return Array.isArray(d) || (d !== null && typeof d === "object" && d.kind === "object");
}
