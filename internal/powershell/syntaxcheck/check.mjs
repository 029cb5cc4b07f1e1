// Offline PowerShell syntax check for rotplay's scripts: parses each file
// given with the tree-sitter PowerShell grammar and reports every syntax
// error as FILE:LINE:COL. Exit status 0 when all parse, 1 otherwise, 2 on
// bad usage. It is a third-party grammar, not Microsoft's parser: it finds
// broken syntax (unbalanced braces, unterminated strings), not semantics.
import { readFileSync } from "node:fs";
import Parser from "tree-sitter";
import PowerShell from "tree-sitter-powershell";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check.mjs FILE.ps1...");
  process.exit(2);
}
const parser = new Parser();
parser.setLanguage(PowerShell);

// problems lists the ERROR and MISSING nodes under node.
function problems(node, out) {
  if (node.isError || node.isMissing) {
    const what = node.isMissing ? `missing ${node.type}` : "syntax error";
    out.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1}: ${what}`);
    return out;
  }
  if (node.hasError) {
    for (const child of node.children) problems(child, out);
  }
  return out;
}

let failed = 0;
for (const file of files) {
  const tree = parser.parse(readFileSync(file, "utf8"));
  const found = problems(tree.rootNode, []);
  for (const p of found) console.log(`${file}:${p}`);
  if (found.length > 0) failed++;
}
if (failed > 0) {
  console.log(`${failed} of ${files.length} files have syntax errors`);
  process.exit(1);
}
console.log(`${files.length} files parse`);
