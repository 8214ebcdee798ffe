// The closing lines of `npm test`, from jest's JSON results: the totals, and each failed test with the start of
// its failure, so a CI log cut to its tail still says what failed and why.
const fs = require("node:fs");
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of process.argv.slice(2)) {
  let results;
  try {
    results = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    failed++;
    failures.push(`${file}: no results (jest did not finish)`);
    continue;
  }
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests;
  for (const suite of results.testResults) {
    const failedTests = suite.assertionResults.filter((t) => t.status === "failed");
    if (failedTests.length === 0 && suite.status === "failed") {
      failures.push(`${suite.name}: ${(suite.message || "suite failed").slice(0, 1500)}`);
    }
    for (const t of failedTests) {
      const message = t.failureMessages.join("\n").replace(/\u001b\[[0-9;]*m/g, "");
      failures.push(`${suite.name} › ${t.fullName}\n${message.split("\n").slice(0, 25).join("\n")}`);
    }
  }
}
for (const f of failures) console.log(`FAILED ${f}\n`);
console.log(`jest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
