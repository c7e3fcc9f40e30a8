import { test } from "node:test";
import assert from "node:assert/strict";
import { hashPassword, verifyPassword } from "./password";

test("hash and verify", async () => {
  const h = await hashPassword("correct horse battery");
  assert.match(h, /^scrypt\$15\$8\$1\$[\w-]+\$[\w-]+$/);
  assert.equal(await verifyPassword("correct horse battery", h), true);
  assert.equal(await verifyPassword("correct horse batterY", h), false);
  assert.notEqual(await hashPassword("correct horse battery"), h, "salted");
});

test("malformed or hostile stored hashes never verify", async () => {
  for (const bad of ["", "bcrypt$x", "scrypt$30$8$1$AA$AA", "scrypt$15$8$1$$", "scrypt$a$b$c$d$e"]) {
    assert.equal(await verifyPassword("x", bad), false);
  }
});
