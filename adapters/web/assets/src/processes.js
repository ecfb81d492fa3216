// The process owners' list: each process with its latest version and the user's own draft.
import { api, escape, when } from './api';
import { t } from './i18n';

async function main() {
  const box = document.querySelector('[data-process-list]');
  try {
    const list = await api('GET', '/processes');
    const rows = list.map((p) => `<tr><td><a href="/modeler/${encodeURIComponent(p.key)}">${escape(p.name)}</a><br><code class="muted">${escape(p.key)}</code></td>`
      + `<td>v${escape(p.latest_version)}</td>`
      + `<td>${p.my_draft ? `<a href="/modeler/drafts/${escape(p.my_draft.id)}">${escape(t('myDraft', when(p.my_draft.updated_at)))}</a>` : `<span class="muted">${escape(t('noDraft'))}</span>`}</td>`
      + `<td><a class="button" href="/modeler/${encodeURIComponent(p.key)}">${escape(t('edit'))}</a> `
      + `<a class="button secondary" href="/modeler/${encodeURIComponent(p.key)}/versions">${escape(t('versions'))}</a></td></tr>`).join('');
    box.innerHTML = `<div class="table-wrap"><table><thead><tr><th>${escape(t('newName'))}</th><th>${escape(t('latest'))}</th>`
      + `<th>${escape(t('myDraft', '').replace(/[（(].*$/, ''))}</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`;
  } catch (err) {
    box.innerHTML = `<p class="anpei-error">${escape(t('loadFailed', err.message))}</p>`;
  }
  const form = document.querySelector('[data-new-process]');
  form.addEventListener('submit', (e) => {
    const key = form.querySelector('[name=key]');
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(key.value)) {
      e.preventDefault();
      key.setCustomValidity(t('keyInvalid'));
      key.reportValidity();
    }
  });
  form.querySelector('[name=key]').addEventListener('input', (e) => e.target.setCustomValidity(''));
}

main();
