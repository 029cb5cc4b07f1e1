// Package syntaxcheck holds the offline PowerShell syntax check: check.mjs
// parses .ps1 files with the tree-sitter PowerShell grammar (npm packages
// pinned in package.json and package-lock.json), and the test in this
// package runs it on every .ps1 file of the repository.
//
// Setup, once per checkout (CI does it in .ci/run):
//
//	npm ci --prefix internal/powershell/syntaxcheck
//
// Without node or those packages the test skips, unless ROTPLAY_PS_SYNTAX
// is "require", which makes it fail instead. The grammar is not
// Microsoft's parser: it catches broken syntax (unbalanced braces,
// unterminated strings), not semantics.
package syntaxcheck
