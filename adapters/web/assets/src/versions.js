// Version history: who/when/comment/running, compare two versions on the diagram, roll back, migrate instances.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { diff } from 'bpmn-js-differ';
import spiffworkflow from './spiffworkflow.json';
import { api, escape, when } from './api';
import { t, translateModule } from './i18n';

const root = document.getElementById('versions-app');
const key = root.dataset.process;
const status = root.querySelector('[data-status]');
let versions = [];
let dryRunBody = null;

function say(text, kind) { status.textContent = text; status.className = `anpei-status ${kind || ''}`; }

function viewer(container) {
  return new NavigatedViewer({ container, moddleExtensions: { spiffworkflow }, additionalModules: [translateModule()] });
}
const left = viewer(root.querySelector('[data-diagram-a]'));
const right = viewer(root.querySelector('[data-diagram-b]'));

function renderVersions() {
  const latest = Math.max(...versions.map((v) => v.version));
  const rows = versions.slice().sort((a, b) => b.version - a.version).map((v) => `<tr data-version="${v.version}">`
    + `<td>v${v.version}</td><td>${escape(v.deployed_by)}</td><td>${escape(when(v.deployed_at))}</td>`
    + `<td>${escape(v.comment || '')}</td><td>${escape(v.running ?? 0)}</td><td>`
    + (v.version > 1 ? `<button type="button" class="secondary mini" data-compare="${v.version}">${escape(t('compareWith', v.version - 1))}</button> ` : '')
    + (v.version !== latest ? `<button type="button" class="secondary mini" data-rollback="${v.version}">${escape(t('rollback'))}</button>` : '')
    + '</td></tr>').join('');
  root.querySelector('[data-versions]').innerHTML = `<table><thead><tr><th>${escape(t('version'))}</th><th>${escape(t('deployedBy'))}</th>`
    + `<th>${escape(t('deployedAt'))}</th><th>${escape(t('comment'))}</th><th>${escape(t('running'))}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
  const options = versions.map((v) => `<option value="${v.version}">v${v.version}</option>`).join('');
  const from = root.querySelector('#mig-from');
  const to = root.querySelector('#mig-to');
  from.innerHTML = options;
  to.innerHTML = options;
  to.value = String(latest);
  const older = versions.filter((v) => v.version < latest && v.running).map((v) => v.version);
  from.value = String(older.length ? Math.max(...older) : Math.max(1, latest - 1));
}

function mark(viewerInstance, ids, marker) {
  const canvas = viewerInstance.get('canvas');
  const registry = viewerInstance.get('elementRegistry');
  ids.forEach((id) => { if (registry.get(id)) canvas.addMarker(id, marker); });
}

async function compare(a, b) {
  const section = root.querySelector('[data-compare-section]');
  section.hidden = false;
  root.querySelector('[data-compare-title]').textContent = `${t('compare')} v${a} → v${b}`;
  const result = await api('GET', `/processes/${encodeURIComponent(key)}/compare?a=${a}&b=${b}`);
  await left.importXML(result.a_xml);
  await right.importXML(result.b_xml);
  left.get('canvas').zoom('fit-viewport');
  right.get('canvas').zoom('fit-viewport');
  // The server's lists name the property changes; bpmn-js-differ adds what it sees on the diagram (layout too).
  const local = diff(left.getDefinitions(), right.getDefinitions());
  const added = new Set([...(result.added || []), ...Object.keys(local._added)]);
  const removed = new Set([...(result.removed || []), ...Object.keys(local._removed)]);
  const changed = new Set([...(result.changed || []).map((c) => c.element_id), ...Object.keys(local._changed)]);
  mark(right, added, 'diff-added');
  mark(left, removed, 'diff-removed');
  mark(left, changed, 'diff-changed');
  mark(right, changed, 'diff-changed');
  const rows = [];
  [...added].forEach((id) => rows.push([t('added'), id, '', '', '']));
  [...removed].forEach((id) => rows.push([t('removed'), id, '', '', '']));
  (result.changed || []).forEach((c) => (c.changes || []).forEach((ch) =>
    rows.push([t('changed'), c.name || c.element_id, ch.property, ch.before, ch.after])));
  root.querySelector('[data-changes]').innerHTML = rows.length
    ? `<table class="changes"><thead><tr><th></th><th>${escape(t('element'))}</th><th>${escape(t('property'))}</th><th>${escape(t('before'))}</th><th>${escape(t('after'))}</th></tr></thead><tbody>`
      + rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c ?? '')}</td>`).join('')}</tr>`).join('') + '</tbody></table>'
    : `<p class="muted">${escape(t('noChanges'))}</p>`;
  section.scrollIntoView({ behavior: 'smooth' });
}

async function rollback(version) {
  const comment = window.prompt(t('rollbackComment'), `回滚到 v${version}`);
  if (!comment) return;
  const result = await api('POST', `/processes/${encodeURIComponent(key)}/versions/${version}/rollback`, { comment });
  say(t('rolledBack', version, result.version), 'ok');
  await load();
}

function migrationBody() {
  const form = root.querySelector('[data-migration-form]');
  const ids = form.instance_ids.value.split(/[,，\s]+/).filter(Boolean).map(Number);
  const mapping = {};
  form.mapping.value.split('\n').map((line) => line.trim()).filter(Boolean).forEach((line) => {
    const [oldId, newId] = line.split('=').map((s) => (s || '').trim());
    if (oldId && newId) mapping[oldId] = newId;
  });
  return { from_version: Number(form.from_version.value), to_version: Number(form.to_version.value),
    instance_ids: ids.length ? ids : null, mapping };
}

async function dryRun() {
  const error = root.querySelector('[data-migration-error]');
  error.textContent = '';
  dryRunBody = migrationBody();
  const result = await api('POST', `/processes/${encodeURIComponent(key)}/migrations/dry-run`, dryRunBody);
  const list = result.instances || [];
  const movable = list.filter((i) => i.can_move).length;
  root.querySelector('[data-migration-result]').innerHTML = `<table><thead><tr><th>${escape(t('instance'))}</th><th>${escape(t('canMove'))}</th><th>${escape(t('reasons'))}</th></tr></thead><tbody>`
    + list.map((i) => `<tr class="${i.can_move ? 'ok' : 'refused'}"><td><a href="/instances/${escape(i.id)}">#${escape(i.id)} ${escape(i.title || '')}</a></td>`
      + `<td>${escape(i.can_move ? t('yes') : t('no'))}</td><td>${escape((i.reasons || []).join('；'))}</td></tr>`).join('') + '</tbody></table>';
  const button = root.querySelector('[data-action="migrate"]');
  button.disabled = movable === 0;
  button.dataset.movable = String(movable);
}

async function migrate() {
  if (!dryRunBody || !window.confirm(t('executeConfirm', root.querySelector('[data-action="migrate"]').dataset.movable))) return;
  const result = await api('POST', `/processes/${encodeURIComponent(key)}/migrations`, dryRunBody);
  say(t('moved', result.moved, (result.refused || []).length), 'ok');
  await load();
  await dryRun();
}

async function load() {
  versions = await api('GET', `/processes/${encodeURIComponent(key)}/versions`);
  renderVersions();
}

function guard(fn) {
  return (...args) => Promise.resolve(fn(...args)).catch((err) => {
    say(err.message, 'error');
    const error = root.querySelector('[data-migration-error]');
    if (err.body && err.body.problems) error.textContent = err.body.problems.map((p) => p.message).join('；');
  });
}

root.addEventListener('click', (e) => {
  const target = e.target.closest('button');
  if (!target) return;
  if (target.dataset.compare) guard(compare)(Number(target.dataset.compare) - 1, Number(target.dataset.compare));
  if (target.dataset.rollback) guard(rollback)(Number(target.dataset.rollback));
  if (target.dataset.action === 'dry-run') guard(dryRun)();
  if (target.dataset.action === 'migrate') guard(migrate)();
});
guard(load)();
