// Prints vitest's totals from its JSON report as one closing line: "N passed, N failed, N skipped".
import fs from "node:fs";

const report = JSON.parse(fs.readFileSync(new URL("../.data/test-report.json", import.meta.url), "utf8"));
const line = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`;
console.log(`tests: ${line}`);
if (report.numTotalTests === 0 || report.numFailedTests > 0) process.exit(1);
