// The modeler page: bpmn-js Modeler + properties panel (our provider) + bpmnlint, drafts, save, deploy.
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import lintModule from 'bpmn-js-bpmnlint';
import spiffworkflow from './spiffworkflow.json';
import AnpeiPropertiesProvider from './provider.jsx';
import { catalogue, linterConfig } from './lint';
import { LANG, t, translateModule } from './i18n';
import { api, escape, when } from './api';
import { renderTemplates } from './templates';
import { ProblemList } from './problems';
import MakeRoomOnInsert from './make_room';
import { flushableDebounceModule, flushInputs } from './flush_inputs';
import bundledTemplates from './templates.generated.json';

const root = document.getElementById('modeler-app');
const status = root.querySelector('[data-status]');
const banner = root.querySelector('[data-banner]');
let draft = null;
let dirty = false;

const modeler = new Modeler({
  container: root.querySelector('[data-canvas]'),
  propertiesPanel: {
    parent: root.querySelector('[data-properties]'),
    layout: { groups: Object.fromEntries(['general', 'anpei-lane', 'anpei-user-task', 'anpei-service', 'anpei-condition',
      'anpei-timer', 'anpei-call', 'anpei-start'].map((id) => [id, { open: true }])) },
  },
  linting: { bpmnlint: linterConfig, active: true },
  additionalModules: [
    BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, flushableDebounceModule, lintModule, translateModule(),
    { __init__: ['anpeiPropertiesProvider', 'anpeiMakeRoom'], anpeiPropertiesProvider: ['type', AnpeiPropertiesProvider],
      anpeiMakeRoom: ['type', MakeRoomOnInsert] },
  ],
  moddleExtensions: { spiffworkflow },
});
window.anpeiModeler = modeler; // for the browser tests and the console

const problems = new ProblemList(root.querySelector('[data-problems]'), modeler);

function say(text, kind) {
  status.textContent = text;
  status.className = `anpei-status ${kind || ''}`;
}

function setDirty(value) {
  dirty = value;
  if (value) say(t('unsaved'), 'warn');
}

function showStale(info) {
  if (info && info.stale) {
    banner.hidden = false;
    banner.textContent = t('stale', info.latest_version ?? '?', info.base_version ?? (draft && draft.base_version) ?? '?');
  } else {
    banner.hidden = true;
  }
}

modeler.on('commandStack.changed', () => setDirty(true));
modeler.on('linting.completed', ({ issues }) => problems.setLint(issues));

async function importXml(xml) {
  const { warnings } = await modeler.importXML(xml);
  // Readable from the start: fit when the diagram is small, otherwise a legible scale from its top left corner.
  const canvas = modeler.get('canvas');
  canvas.zoom('fit-viewport');
  const { inner, outer } = canvas.viewbox();
  const scale = Math.max(0.7, Math.min(1, (outer.width - 60) / inner.width));
  canvas.viewbox({ x: inner.x - 110, y: inner.y - 20, width: outer.width / scale, height: outer.height / scale });
  if (warnings.length) console.warn(warnings);
}

async function openDraft() {
  const key = root.dataset.process;
  if (root.dataset.draft) return api('GET', `/drafts/${root.dataset.draft}`);
  if (key) return api('POST', `/processes/${encodeURIComponent(key)}/drafts`);
  const skeleton = root.querySelector('#new-process-xml');
  return api('POST', '/drafts', { xml: JSON.parse(skeleton.textContent) });
}

// The diagram as XML, with any value still being typed in the panel written first.
function currentXml() {
  flushInputs();
  return modeler.saveXML({ format: true });
}

async function save() {
  if (!draft) return null;
  say(t('saving'));
  const { xml } = await currentXml();
  const result = await api('PUT', `/drafts/${draft.id}`, { xml });
  dirty = false;
  say(t('saved', when(result.saved_at)), 'ok');
  problems.setServer(result.problems || []);
  showStale(result);
  return result;
}

async function check() {
  const { xml } = await currentXml();
  const result = await api('POST', '/validate', { xml });
  problems.setServer(result.problems || []);
  return result;
}

function openDeployDialog() {
  flushInputs(); // a value just typed counts for the problems shown in the dialog
  const dialog = root.querySelector('[data-deploy-dialog]');
  const field = dialog.querySelector('textarea');
  const error = dialog.querySelector('[data-error]');
  error.textContent = '';
  const errors = problems.errorCount();
  dialog.querySelector('[data-summary]').textContent = errors ? t('deployBlocked', errors) : '';
  dialog.showModal();
  field.focus();
}

async function deploy(comment) {
  const dialog = root.querySelector('[data-deploy-dialog]');
  const error = dialog.querySelector('[data-error]');
  try {
    const saved = await save();
    if (saved && (saved.problems || []).some((p) => p.severity !== 'warning')) {
      error.textContent = t('deployBlocked', problems.errorCount());
      return;
    }
    const result = await api('POST', `/drafts/${draft.id}/deploy`, { comment });
    dialog.close();
    say(t('deployed', result.version), 'ok');
    root.dataset.deployedVersion = result.version;
    // the draft is consumed by the deployment: open a fresh one on the new version
    draft = await api('POST', `/processes/${encodeURIComponent(root.dataset.process || draft.process_key)}/drafts`);
    root.dataset.draftId = draft.id;
    showStale(draft);
    dirty = false;
  } catch (err) {
    if (err.body && err.body.problems) problems.setServer(err.body.problems);
    error.textContent = err.message;
  }
}

function wireToolbar() {
  const on = (name, fn) => root.querySelector(`[data-action="${name}"]`).addEventListener('click', (e) => {
    e.preventDefault();
    Promise.resolve(fn()).catch((err) => {
      if (err.body && err.body.problems) problems.setServer(err.body.problems);
      say(err.message, 'error');
    });
  });
  on('save', save);
  on('check', check);
  on('deploy', openDeployDialog);
  on('download', async () => {
    const { xml } = await currentXml();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
    link.download = `${(draft && draft.process_key) || 'process'}.bpmn`;
    link.click();
    URL.revokeObjectURL(link.href);
  });
  const upload = root.querySelector('[data-upload]');
  on('upload', () => upload.click());
  upload.addEventListener('change', async () => {
    const file = upload.files[0];
    if (!file) return;
    const text = await file.text();
    try {
      await importXml(text);
    } catch (err) {
      say(t('uploadBad', err.message), 'error');
      return;
    }
    await save();
    say(t('uploadDone'), 'ok');
    upload.value = '';
  });
  on('discard', async () => {
    if (!draft || !window.confirm(t('discardConfirm'))) return;
    await api('DELETE', `/drafts/${draft.id}`);
    dirty = false;
    window.location.reload();
  });
  const dialog = root.querySelector('[data-deploy-dialog]');
  dialog.querySelector('[data-cancel]').addEventListener('click', () => dialog.close());
  dialog.querySelector('form').addEventListener('submit', (e) => {
    e.preventDefault();
    const comment = dialog.querySelector('textarea').value.trim();
    if (!comment) { dialog.querySelector('[data-error]').textContent = t('deployCommentMissing'); return; }
    deploy(comment);
  });
  window.addEventListener('beforeunload', (e) => { if (dirty) { e.preventDefault(); e.returnValue = t('leave'); } });
}

async function main() {
  wireToolbar();
  try {
    const data = await api('GET', '/catalogue');
    Object.assign(catalogue, data);
    const templates = (data.templates && data.templates.length) ? data.templates : bundledTemplates;
    renderTemplates(root.querySelector('[data-templates]'), modeler, templates);
    draft = await openDraft();
    root.dataset.draftId = draft.id;
    await importXml(draft.xml);
    showStale(draft);
    dirty = false;
    say(draft.updated_at ? t('saved', when(draft.updated_at)) : '', 'ok');
    root.dataset.ready = 'true';
  } catch (err) {
    say(t('loadFailed', err.message), 'error');
    root.dataset.ready = 'failed';
  }
}

document.documentElement.classList.add(`lang-${LANG}`);
main();
export { escape };
