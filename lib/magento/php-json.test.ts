import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { phpJsonEncode, topLevelIntegerKeys } from "./php-json";

describe("phpJsonEncode (json_encode with JSON_UNESCAPED_SLASHES)", () => {
  it("encodes floats like PHP (§13.2)", () => {
    assert.equal(phpJsonEncode([1.5, 2.0, -10.0, 0.1]), "[1.5,2,-10,0.1]");
    assert.equal(phpJsonEncode(0.1 + 0.2), "0.30000000000000004");
  });

  it("switches to PHP's exponent form at PHP's thresholds, not JavaScript's", () => {
    assert.equal(phpJsonEncode(1e25), "1.0e+25");
    assert.equal(phpJsonEncode(1.5e-7), "1.5e-7");
    assert.equal(phpJsonEncode(0.0001), "0.0001");
    assert.equal(phpJsonEncode(0.00001), "1.0e-5");
    assert.equal(phpJsonEncode(123456.789), "123456.789");
    assert.equal(phpJsonEncode(-0), "-0");
    assert.equal(phpJsonEncode(1777550400), "1777550400");
  });

  it("leaves slashes alone and escapes non-ASCII as lowercase \\u", () => {
    assert.equal(phpJsonEncode({ url: "https://a/b", name: "Café 😀" }), '{"url":"https://a/b","name":"Caf\\u00e9 \\ud83d\\ude00"}');
    assert.equal(phpJsonEncode('q"\\\n\t\u0001\u007f'), '"q\\"\\\\\\n\\t\\u0001\u007f"');
  });

  it("keeps insertion order and PHP's empty-container forms", () => {
    assert.equal(phpJsonEncode({ b: 1, a: [true, null], c: {} }), '{"b":1,"a":[true,null],"c":{}}');
    assert.equal(phpJsonEncode([]), "[]");
  });

  it("refuses what PHP cannot encode", () => {
    assert.throws(() => phpJsonEncode(Number.NaN));
    assert.throws(() => phpJsonEncode("\ud800"));
  });
});

describe("topLevelIntegerKeys (PHP int vs float on decode)", () => {
  it("tells integer literals from floats, exponents and strings", () => {
    const keys = topLevelIntegerKeys('{"a":1,"b":1.0,"c":1.7e9,"d":"1","e":-3,"f":{"g":1},"h":[1],"i":"x\\"y","j":0}');
    assert.deepEqual([...keys].sort(), ["a", "e", "j"]);
  });

  it("ignores nested keys and tolerates whitespace", () => {
    const keys = topLevelIntegerKeys(' { "o" : { "iat" : 1 } , "iat" : 2 , "s": "{\\"exp\\":1}" } ');
    assert.deepEqual([...keys], ["iat"]);
  });

  it("last duplicate wins", () => {
    assert.deepEqual([...topLevelIntegerKeys('{"iat":1,"iat":1.5}')], []);
    assert.deepEqual([...topLevelIntegerKeys('{"iat":1.5,"iat":1}')], ["iat"]);
  });
});
