// compare.js against the shared test vectors (tests/diff_vectors.json) and the golden diff
// cases, with the rules Python hands it. Run through pytest (tests/test_diff_rules.py), which
// writes Python's rules and cases and sets POLICYGEN_DIFF_RULES and POLICYGEN_DIFF_CASES.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const compareJs = require("../../site_overrides/assets/javascripts/compare.js");

function read(variable) {
  const file = process.env[variable];
  if (!file) throw new Error(`${variable} is not set: run this through ./dev test tests/test_diff_rules.py`);
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

const rules = compareJs.compile(read("POLICYGEN_DIFF_RULES"));
const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "diff_vectors.json"), "utf8"));

for (const vector of vectors.tokens) {
  test(`tokens: ${vector.name}`, () => {
    assert.deepEqual(compareJs.tokens(vector.text, vector.language, rules), vector.tokens);
  });
}

for (const vector of vectors.fold_space) {
  test(`fold space: ${JSON.stringify(vector.text)}`, () => {
    assert.equal(compareJs.foldSpace(vector.text, rules), vector.folded);
  });
}

for (const vector of vectors.texts) {
  test(`text: ${vector.name}`, () => {
    const text = (side) => side.text === undefined ? side.body : side.text;
    const got = compareJs.compareText(vector.old.body, vector.new.body, text(vector.old),
                                      text(vector.new), vector.language, rules);
    const expected = {kind: vector.kind, segments: vector.segments};
    if (vector.blocks) expected.blocks = vector.blocks;
    assert.deepEqual(got, expected);
  });
}

for (const vector of vectors.links) {
  test(`links: ${vector.name}`, () => {
    assert.deepEqual(compareJs.linkFields(vector.body), vector.fields);
  });
}

for (const golden of read("POLICYGEN_DIFF_CASES")) {
  test(`golden case: ${golden.name} (${golden.language})`, () => {
    assert.deepEqual(compareJs.compare(golden.old, golden.new, rules), golden.expected);
  });
}

// "translation not updated" comes from the later version's changes document, as on its
// redline page, and only for the pair that redline compares.
test("stale translations: marked from the changes document of the pair it describes", () => {
  const diff = () => ({sections: [{id: "scope"}, {id: "children"}], facts: []});
  const changes = {from: "2027-04-01", to: "2028-04-01", sections: [
    {id: "scope", translation_stale: false}, {id: "children", translation_stale: true}]};
  const stale = (d) => d.sections.map((s) => [s.id, s.translationStale]);
  assert.deepEqual(stale(compareJs.markStale(diff(), changes, "2027-04-01")),
                   [["scope", false], ["children", true]]);
  assert.deepEqual(stale(compareJs.markStale(diff(), changes, "2018-07-06")),
                   [["scope", false], ["children", false]]);
  assert.deepEqual(stale(compareJs.markStale(diff(), null, "2027-04-01")),
                   [["scope", false], ["children", false]]);
});
