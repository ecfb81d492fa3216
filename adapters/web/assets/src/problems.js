// One list of problems from the editor's rules (bpmnlint) and the server's deploy check, each a line that
// selects its element, and each server problem a marker on the diagram (bpmnlint draws its own markers).
import { escape } from './api';
import { t } from './i18n';

export class ProblemList {
  constructor(container, modeler) {
    this.container = container;
    this.modeler = modeler;
    this.lint = [];
    this.server = [];
    this.overlays = [];
    container.addEventListener('click', (e) => {
      const line = e.target.closest('[data-element]');
      if (line && line.dataset.element) this.select(line.dataset.element);
    });
    this.render();
  }

  setLint(issues) {
    this.lint = [];
    Object.entries(issues || {}).forEach(([id, list]) => list.forEach((issue) => this.lint.push({
      element_id: id, message: issue.message, severity: issue.category === 'error' ? 'error' : 'warning',
      code: issue.rule, source: 'lint' })));
    this.render();
  }

  setServer(list) {
    this.server = (list || []).map((p) => ({ ...p, source: 'server' }));
    this.mark();
    this.render();
  }

  errorCount() {
    return [...this.lint, ...this.server].filter((p) => p.severity !== 'warning').length;
  }

  select(id) {
    const registry = this.modeler.get('elementRegistry');
    const element = registry.get(id);
    if (!element) return;
    this.modeler.get('selection').select(element);
    this.modeler.get('canvas').scrollToElement(element);
  }

  mark() {
    const overlays = this.modeler.get('overlays');
    const canvas = this.modeler.get('canvas');
    const registry = this.modeler.get('elementRegistry');
    this.overlays.forEach(({ overlay, id }) => { overlays.remove(overlay); if (registry.get(id)) canvas.removeMarker(id, 'anpei-server-problem'); });
    this.overlays = [];
    const byElement = {};
    this.server.forEach((p) => { if (p.element_id && registry.get(p.element_id)) (byElement[p.element_id] ||= []).push(p); });
    Object.entries(byElement).forEach(([id, list]) => {
      canvas.addMarker(id, 'anpei-server-problem');
      const html = `<div class="anpei-server-badge" title="${escape(list.map((p) => p.message).join('\n'))}">${list.length}</div>`;
      const overlay = overlays.add(id, 'anpei-server', { position: { top: -12, left: -12 }, html });
      this.overlays.push({ overlay, id });
    });
  }

  render() {
    const all = [...this.server, ...this.lint];
    const errors = all.filter((p) => p.severity !== 'warning').length;
    const registry = this.modeler.get('elementRegistry');
    const nameOf = (id) => {
      const element = id && registry.get(id);
      const bo = element && element.businessObject;
      return bo ? (bo.name || id) : t('whole');
    };
    const lines = all.map((p) => `<li class="anpei-problem ${p.severity === 'warning' ? 'warning' : 'error'}" data-element="${escape(p.element_id || '')}" data-source="${p.source}" tabindex="0" role="button">`
      + `<span class="sev">${p.severity === 'warning' ? '⚠' : '✖'}</span><span class="where">${escape(nameOf(p.element_id))}</span>`
      + `<span class="msg">${escape(p.message)}</span><span class="src">${escape(p.source === 'server' ? t('fromServer') : t('inBrowser'))}</span></li>`).join('');
    this.container.innerHTML = `<h3>${escape(t('problems'))} <small>${escape(all.length ? t('problemCount', errors, all.length - errors) : t('noProblems'))}</small></h3>`
      + (lines ? `<ul>${lines}</ul>` : '');
    this.container.dataset.errors = String(errors);
  }
}
