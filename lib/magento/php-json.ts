/**
 * PHP `json_encode`/`json_decode` semantics that matter on the Magento wire.
 *
 * Token payloads must be byte-identical to what PHP's `json_encode(..., JSON_UNESCAPED_SLASHES)`
 * produces (wire-protocol §3.1), and Magento's verifier tells JSON integers from floats (`1.7e9`
 * and `1.0` are floats in PHP even though JavaScript's `JSON.parse` cannot tell them apart).
 */

export type PhpJsonValue = null | boolean | number | string | PhpJsonValue[] | { [key: string]: PhpJsonValue };

const HEX = "0123456789abcdef";

function u4(code: number): string {
  return "\\u" + HEX[(code >> 12) & 15] + HEX[(code >> 8) & 15] + HEX[(code >> 4) & 15] + HEX[code & 15];
}

/** PHP escapes every non-ASCII code unit as lowercase `\uXXXX` (surrogate pairs for astral chars). */
function encodeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw new Error("malformed UTF-16 (lone surrogate) cannot be JSON-encoded by PHP");
      out += u4(c) + u4(next);
      i++;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) throw new Error("malformed UTF-16 (lone surrogate) cannot be JSON-encoded by PHP");
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += "\\\\";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x0c:
        out += "\\f";
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      default:
        out += c < 0x20 || c > 0x7f ? u4(c) : s[i];
    }
  }
  return out + '"';
}

/**
 * PHP (serialize_precision -1) prints the shortest round-trip digits, switching to `d.ddde±N`
 * when the decimal exponent is below -4 or above 17 digits — unlike JavaScript's 1e21 / 1e-7.
 */
function encodeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error("PHP json_encode cannot encode NaN or Infinity");
  if (Number.isSafeInteger(n)) return Object.is(n, -0) ? "-0" : String(n);
  const [mantissa, expPart] = n.toExponential().split("e");
  const exp = Number(expPart);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const decpt = exp + 1; // position of the decimal point relative to the digit string
  let body: string;
  if (decpt < -3 || decpt > 17) {
    body = digits[0] + "." + (digits.length > 1 ? digits.slice(1) : "0") + "e" + (exp < 0 ? "-" : "+") + Math.abs(exp);
  } else if (decpt <= 0) {
    body = "0." + "0".repeat(-decpt) + digits;
  } else if (decpt >= digits.length) {
    body = digits + "0".repeat(decpt - digits.length);
  } else {
    body = digits.slice(0, decpt) + "." + digits.slice(decpt);
  }
  return (negative ? "-" : "") + body;
}

/** `json_encode($value, JSON_UNESCAPED_SLASHES)` for PHP arrays built in insertion order. */
export function phpJsonEncode(value: PhpJsonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return encodeNumber(value);
  if (typeof value === "string") return encodeString(value);
  if (Array.isArray(value)) return "[" + value.map(phpJsonEncode).join(",") + "]";
  // A JavaScript object stands for a PHP associative array or stdClass; an empty one encodes as `{}`
  // (stdClass). An empty PHP array is `[]`, so pass an empty JavaScript array for that.
  const entries = Object.entries(value);
  return "{" + entries.map(([k, v]) => encodeString(k) + ":" + phpJsonEncode(v)).join(",") + "}";
}

const INTEGER_LEXEME = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * Keys of a top-level JSON object whose value is written as an integer literal (what PHP's
 * `json_decode` turns into an `int`). `text` must already be valid JSON (parse it first).
 * For duplicate keys the last occurrence wins, as in both PHP and JavaScript.
 */
export function topLevelIntegerKeys(text: string): Set<string> {
  const result = new Set<string>();
  let i = 0;
  const skipWs = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  // Skips one value and returns its raw text; strings are skipped with escape awareness.
  const skipValue = (): string => {
    const start = i;
    let depth = 0;
    while (i < text.length) {
      const ch = text[i];
      if (ch === '"') {
        readString();
        if (depth === 0) break;
        continue;
      }
      if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") {
        if (depth === 0) break;
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && (ch === "," || " \t\r\n".includes(ch))) break;
      i++;
    }
    return text.slice(start, i);
  };

  skipWs();
  if (text[i] !== "{") return result;
  i++;
  for (;;) {
    skipWs();
    if (text[i] === "}" || i >= text.length) return result;
    if (text[i] === ",") {
      i++;
      continue;
    }
    const key = readString();
    skipWs();
    i++; // colon
    skipWs();
    const raw = skipValue();
    if (INTEGER_LEXEME.test(raw)) result.add(key);
    else result.delete(key);
  }
}
