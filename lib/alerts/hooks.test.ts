import assert from "node:assert/strict";
import { test } from "node:test";
import { runUrl } from "@/lib/history/links";
import { runLink } from "./hooks";

test("an alert's run link is the history's own link to that run", () => {
  for (const id of ["0b6f7c1e-8a4d-4c1e-9f1a-2d3e4f5a6b7c", "00000000-0000-4000-8000-000000000000"]) assert.equal(runLink(id), runUrl(id));
});
