// Builds the modeler bundles into ../static/build and the element-template catalogue into bpmn/.
// `npm run build` (scripts/setup runs it after `npm ci` when the lock file or the sources changed).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const out = path.resolve(here, '../static/build');
const repo = path.resolve(here, '../../..');

// Element templates: one JSON per template in templates/, gathered into one catalogue file that the server
// returns with the modeler's catalogue (bpmn/element_templates.json) and bundled as a fallback.
const templates = fs.readdirSync(path.join(here, 'templates')).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(here, 'templates', f), 'utf8')));
const catalogue = JSON.stringify(templates, null, 2) + '\n';
fs.writeFileSync(path.join(here, 'src/templates.generated.json'), catalogue);
const target = path.join(repo, 'bpmn/element_templates.json');
if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== catalogue) fs.writeFileSync(target, catalogue);

fs.rmSync(out, { recursive: true, force: true });
await esbuild.build({
  entryPoints: {
    modeler: 'src/modeler.js', versions: 'src/versions.js', form_editor: 'src/form_editor.js',
    processes: 'src/processes.js', 'modeler-style': 'css/modeler.css',
  },
  absWorkingDir: here,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['chrome100', 'firefox100', 'safari15'],
  outdir: out,
  jsx: 'automatic',
  jsxImportSource: '@bpmn-io/properties-panel/preact',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
  alias: { react: '@bpmn-io/properties-panel/preact/compat', 'react-dom': '@bpmn-io/properties-panel/preact/compat' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
console.log('modeler assets built into', path.relative(repo, out));
