// The form editor: the form JSON as a list of field cards (add, reorder, configure) with a live preview that the
// server renders with the task page's renderer (POST /modeler/api/forms/preview).
import { api, escape } from './api';
import { LANG, t } from './i18n';

const root = document.getElementById('form-editor-app');
const key = root.dataset.form;
const status = root.querySelector('[data-status]');
const editor = root.querySelector('[data-editor]');
let form = null;
let sources = [];
let previewTimer = null;
let previewSeq = 0;

const TYPES = ['text', 'textarea', 'integer', 'decimal', 'date', 'datetime', 'boolean', 'choice', 'multichoice',
  'id_number', 'mobile', 'email', 'file', 'table', 'hidden'];
const TYPE_LABELS = { text: ['单行文本', 'Text'], textarea: ['多行文本', 'Long text'], integer: ['整数', 'Integer'],
  decimal: ['小数', 'Decimal'], date: ['日期', 'Date'], datetime: ['日期时间', 'Date and time'], boolean: ['勾选', 'Checkbox'],
  choice: ['单选', 'Choice'], multichoice: ['多选', 'Multiple choice'], id_number: ['身份证号', 'ID number'],
  mobile: ['手机号', 'Mobile'], email: ['电子邮箱', 'E-mail'], file: ['文件', 'File'], table: ['表格', 'Table'],
  hidden: ['隐藏值', 'Hidden'] };
// options shown per type (besides name, type, label, help, required, required_if, visible_if)
const OPTIONS = {
  text: ['placeholder', 'min_length', 'max_length', 'pattern', 'pattern_message', 'readonly'],
  textarea: ['placeholder', 'min_length', 'max_length', 'readonly'],
  integer: ['min', 'max', 'readonly'], decimal: ['places', 'min', 'max', 'readonly'],
  date: ['date_min', 'date_max', 'after_field', 'readonly'], datetime: ['date_min', 'date_max', 'after_field', 'readonly'],
  boolean: ['readonly'], choice: ['choices', 'widget'], multichoice: ['choices'],
  id_number: ['readonly'], mobile: ['readonly'], email: ['readonly'],
  file: ['accept', 'max_mb', 'multiple'], table: ['min_rows', 'max_rows', 'columns'], hidden: ['value_type', 'max_length'],
};
const NUMERIC = ['min_length', 'max_length', 'min', 'max', 'places', 'max_mb', 'min_rows', 'max_rows'];
const OPTION_LABEL = { placeholder: ['提示文字', 'Placeholder'], min_length: 'minLength', max_length: 'maxLength', pattern: 'pattern',
  pattern_message: 'patternMessage', min: 'min', max: 'max', places: 'places', date_min: 'dateMin', date_max: 'dateMax',
  after_field: 'afterField', accept: 'accept', max_mb: 'maxMb', multiple: 'multiple', readonly: 'readonly',
  min_rows: 'minRows', max_rows: 'maxRows', value_type: 'valueType', widget: 'widget' };

const pick = (pair) => pair[LANG === 'en' ? 1 : 0];
const optionLabel = (name) => (Array.isArray(OPTION_LABEL[name]) ? pick(OPTION_LABEL[name]) : t(OPTION_LABEL[name]));

function say(text, kind) { status.textContent = text; status.className = `anpei-status ${kind || ''}`; }

function labelParts(label) {
  if (label && typeof label === 'object') return [label.zh || '', label.en || ''];
  return [label || '', ''];
}

function joinLabel(zh, en) {
  return en ? { zh, en } : zh;
}

function conditionText(cond) {
  if (!cond) return '';
  return Object.entries(cond).map(([field, value]) => `${field}=${Array.isArray(value) ? value.join('|') : value}`).join(', ');
}

function parseCondition(text) {
  const out = {};
  text.split(/[,，]/).map((s) => s.trim()).filter(Boolean).forEach((part) => {
    const [field, value] = part.split('=').map((s) => (s || '').trim());
    if (!field) return;
    const values = (value || '').split('|').map((v) => (v === 'true' ? true : v === 'false' ? false : v));
    out[field] = values.length > 1 ? values : values[0];
  });
  return Object.keys(out).length ? out : undefined;
}

function choicesText(choices) {
  return (choices || []).map((c) => {
    if (!Array.isArray(c)) return String(c);
    const [zh, en] = labelParts(c[1]);
    return `${c[0]}=${zh}${en ? `|${en}` : ''}`;
  }).join('\n');
}

function parseChoices(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const at = line.indexOf('=');
    if (at < 0) return line;
    const [zh, en] = line.slice(at + 1).split('|');
    return [line.slice(0, at).trim(), joinLabel((zh || '').trim(), (en || '').trim())];
  });
}

function input(path, value, attrs) {
  return `<input data-path="${escape(path)}" value="${escape(value ?? '')}" ${attrs || ''}>`;
}

function fieldCard(field, path, index, count, inTable) {
  const [zh, en] = labelParts(field.label);
  const types = TYPES.filter((type) => !inTable || (type !== 'table' && type !== 'file'));
  const opts = (OPTIONS[field.type] || []).map((name) => option(field, path, name, inTable)).join('');
  return `<div class="field-card" data-card="${escape(path)}">
    <header><strong>${escape(zh || field.name || '')}</strong><code>${escape(field.name || '')}</code>
      <button type="button" class="secondary mini" data-move="${escape(path)}" data-dir="-1" ${index === 0 ? 'disabled' : ''} aria-label="${escape(t('moveUp'))}">↑</button>
      <button type="button" class="secondary mini" data-move="${escape(path)}" data-dir="1" ${index === count - 1 ? 'disabled' : ''} aria-label="${escape(t('moveDown'))}">↓</button>
      <button type="button" class="link mini" data-remove="${escape(path)}">${escape(t('remove'))}</button></header>
    <div class="grid2">
      <label class="f">${escape(t('fieldName'))}${input(`${path}.name`, field.name, 'required pattern="[a-z][a-z0-9_]*"')}</label>
      <label class="f">${escape(t('fieldType'))}<select data-path="${escape(path)}.type">${types.map((type) =>
        `<option value="${type}" ${type === field.type ? 'selected' : ''}>${escape(pick(TYPE_LABELS[type]))}</option>`).join('')}</select></label>
      <label class="f">${escape(t('labelZh'))}${input(`${path}.label.zh`, zh)}</label>
      <label class="f">${escape(t('labelEn'))}${input(`${path}.label.en`, en)}</label>
      <label class="f">${escape(t('help'))}${input(`${path}.help`, typeof field.help === 'object' ? (field.help || {}).zh : field.help)}</label>
      <label class="f check"><input type="checkbox" data-path="${escape(path)}.required" ${field.required ? 'checked' : ''}>${escape(t('requiredField'))}</label>
      <label class="f">${escape(t('requiredIf'))}${input(`${path}.required_if`, conditionText(field.required_if), 'placeholder="decision=return"')}</label>
      ${inTable ? '' : `<label class="f">${escape(t('visibleIf'))}${input(`${path}.visible_if`, conditionText(field.visible_if), 'placeholder="decision=return"')}</label>`}
      ${opts}
    </div></div>`;
}

function option(field, path, name, inTable) {
  const label = escape(optionLabel(name));
  if (name === 'readonly' || name === 'multiple') {
    return `<label class="f check"><input type="checkbox" data-path="${escape(path)}.${name}" ${field[name] ? 'checked' : ''}>${label}</label>`;
  }
  if (name === 'widget') {
    return `<label class="f">${label}<select data-path="${escape(path)}.widget">${['select', 'radio'].map((w) =>
      `<option value="${w}" ${field.widget === w ? 'selected' : ''}>${w === 'select' ? escape(pick(['下拉', 'Select'])) : escape(pick(['单选按钮', 'Radio']))}</option>`).join('')}</select></label>`;
  }
  if (name === 'value_type') {
    return `<label class="f">${label}<select data-path="${escape(path)}.value_type">${['', 'integer'].map((v) =>
      `<option value="${v}" ${(field.value_type || '') === v ? 'selected' : ''}>${v || 'str'}</option>`).join('')}</select></label>`;
  }
  if (name === 'accept') return `<label class="f">${label}${input(`${path}.accept`, (field.accept || []).join(', '), 'placeholder="application/pdf, image/jpeg"')}</label>`;
  if (name === 'choices') {
    const from = field.choices_from || '';
    return `<label class="f">${escape(t('choicesFrom'))}<select data-path="${escape(path)}.choices_from"><option value="">${escape(t('choicesStatic'))}</option>`
      + sources.map((s) => `<option value="${escape(s.key)}" ${s.key === from ? 'selected' : ''}>${escape(s.label)}</option>`).join('') + '</select></label>'
      + (from ? '' : `<label class="f" style="grid-column: 1 / -1">${escape(t('choices'))}<textarea rows="3" data-path="${escape(path)}.choices">${escape(choicesText(field.choices))}</textarea></label>`);
  }
  if (name === 'columns') {
    const columns = field.columns || [];
    return `<div class="columns" style="grid-column: 1 / -1"><strong>${escape(t('columns'))}</strong>`
      + columns.map((c, i) => fieldCard(c, `${path}.columns.${i}`, i, columns.length, true)).join('')
      + `<button type="button" class="secondary mini" data-add-column="${escape(path)}">＋ ${escape(t('addColumn'))}</button></div>`;
  }
  const numeric = NUMERIC.includes(name);
  return `<label class="f">${label}${input(`${path}.${name}`, field[name], numeric ? 'type="number"' : '')}</label>`;
}

function render() {
  const [tzh, ten] = labelParts(form.title);
  const [dzh, den] = labelParts(form.description);
  const fields = form.fields || [];
  editor.innerHTML = `<div class="field-card"><div class="grid2">
      <label class="f">${escape(t('formTitleZh'))}${input('title.zh', tzh)}</label>
      <label class="f">${escape(t('formTitleEn'))}${input('title.en', ten)}</label>
      <label class="f">${escape(t('descriptionZh'))}<textarea rows="2" data-path="description.zh">${escape(dzh)}</textarea></label>
      <label class="f">${escape(t('descriptionEn'))}<textarea rows="2" data-path="description.en">${escape(den)}</textarea></label>
    </div></div>
    <h2>${escape(t('fields'))}</h2>
    ${fields.map((f, i) => fieldCard(f, `fields.${i}`, i, fields.length, false)).join('')}
    <p><select data-new-type>${TYPES.map((type) => `<option value="${type}">${escape(pick(TYPE_LABELS[type]))}</option>`).join('')}</select>
      <button type="button" data-add-field>＋ ${escape(t('addField'))}</button></p>`;
}

function resolve(path) {
  const parts = path.split('.');
  let target = form;
  for (let i = 0; i < parts.length - 1; i += 1) target = target[/^\d+$/.test(parts[i]) ? Number(parts[i]) : parts[i]];
  return [target, parts[parts.length - 1]];
}

function setPath(path, element) {
  const parts = path.split('.');
  if (parts[parts.length - 2] === 'label' || parts[0] === 'title' || parts[0] === 'description') {
    const ownerPath = parts.slice(0, -1).join('.');
    const [owner, prop] = resolve(ownerPath);
    const [zh, en] = labelParts(owner[prop]);
    const next = parts[parts.length - 1] === 'zh' ? [element.value, en] : [zh, element.value];
    owner[prop] = joinLabel(next[0], next[1]);
    return false;
  }
  const [owner, prop] = resolve(path);
  let value = element.type === 'checkbox' ? element.checked : element.value;
  if (prop === 'required_if' || prop === 'visible_if') value = parseCondition(value);
  else if (prop === 'choices') value = parseChoices(value);
  else if (prop === 'accept') value = value.split(/[,，\s]+/).filter(Boolean);
  else if (prop === 'help') value = value || undefined;
  else if (NUMERIC.includes(prop)) value = value === '' ? undefined : Number(value);
  else if (value === '' || value === false) value = undefined;
  if (value === undefined || (Array.isArray(value) && !value.length && prop !== 'choices')) delete owner[prop];
  else owner[prop] = value;
  if (prop === 'type' || prop === 'choices_from') {
    if (prop === 'type' && (value === 'choice' || value === 'multichoice') && !owner.choices && !owner.choices_from) owner.choices = [];
    if (prop === 'type' && value === 'table' && !owner.columns) owner.columns = [{ name: 'item', type: 'text', label: t('fields') }];
    if (prop === 'choices_from' && value) delete owner.choices;
    if (prop === 'choices_from' && !value && !owner.choices) owner.choices = [];
    return true; // the card's options change
  }
  return prop === 'name';
}

function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(preview, 300);
}

async function preview() {
  const seq = ++previewSeq;
  const box = root.querySelector('[data-preview]');
  const problems = root.querySelector('[data-preview-problems]');
  try {
    const result = await api('POST', '/forms/preview', { definition: form });
    if (seq !== previewSeq) return;
    box.innerHTML = result.html || '';
    problems.innerHTML = (result.problems || []).map((p) => `<div>${escape(p.field ? `${p.field}：` : '')}${escape(p.message)}</div>`).join('');
    root.dataset.previewed = String(seq);
  } catch (err) {
    if (seq !== previewSeq) return;
    problems.textContent = err.message;
  }
}

function wire() {
  editor.addEventListener('input', (e) => {
    const path = e.target.dataset.path;
    if (!path || e.target.tagName === 'SELECT' || e.target.type === 'checkbox') return;
    setPath(path, e.target);
    schedulePreview();
  });
  editor.addEventListener('change', (e) => {
    const path = e.target.dataset.path;
    if (!path) return;
    const rerender = setPath(path, e.target);
    if (rerender || e.target.tagName === 'SELECT') render();
    schedulePreview();
  });
  editor.addEventListener('click', (e) => {
    const button = e.target.closest('button');
    if (!button) return;
    if (button.dataset.move) {
      const [list, index] = resolve(button.dataset.move);
      const i = Number(index);
      const j = i + Number(button.dataset.dir);
      [list[i], list[j]] = [list[j], list[i]];
    } else if (button.dataset.remove) {
      const [list, index] = resolve(button.dataset.remove);
      list.splice(Number(index), 1);
    } else if (button.dataset.addColumn) {
      const [owner, prop] = resolve(button.dataset.addColumn);
      const table = owner[prop];
      table.columns = table.columns || [];
      table.columns.push({ name: `col${table.columns.length + 1}`, type: 'text', label: `${t('fields')} ${table.columns.length + 1}` });
    } else if (button.hasAttribute('data-add-field')) {
      const type = editor.querySelector('[data-new-type]').value;
      const fields = form.fields || (form.fields = []);
      const field = { name: `${type}_${fields.length + 1}`, type, label: pick(TYPE_LABELS[type]) };
      if (type === 'choice' || type === 'multichoice') field.choices = [['yes', pick(['是', 'Yes'])], ['no', pick(['否', 'No'])]];
      if (type === 'table') field.columns = [{ name: 'item', type: 'text', label: pick(['项目', 'Item']) }];
      fields.push(field);
    } else {
      return;
    }
    render();
    schedulePreview();
  });
  root.querySelector('[data-action="save-form"]').addEventListener('click', async () => {
    try {
      const process = root.querySelector('[data-save-into]').value || null;
      const result = await api('PUT', `/forms/${encodeURIComponent(key)}`, { definition: form, process });
      const problems = (result && result.problems) || [];
      if (problems.length) say(problems.map((p) => p.message).join('；'), 'error');
      else say(t('formSavedIn', (result.saved_in || []).join('、')), 'ok');
    } catch (err) {
      say(err.body && err.body.problems ? err.body.problems.map((p) => `${p.field || ''} ${p.message}`).join('；') : err.message, 'error');
    }
  });
}

// Which process draft receives the form: preset when exactly one process uses it, otherwise the owner chooses.
function fillSaveInto(processes, usedBy) {
  const select = root.querySelector('[data-save-into]');
  const first = usedBy.length === 1 ? '' : `<option value="">${escape(t('chooseProcess'))}</option>`;
  const ordered = [...processes].sort((a, b) => Number(usedBy.includes(b.key)) - Number(usedBy.includes(a.key)));
  select.innerHTML = first + ordered.map((p) => `<option value="${escape(p.key)}"${usedBy.length === 1 && p.key === usedBy[0] ? ' selected' : ''}>`
    + `${escape(p.name)}（${escape(p.key)}）</option>`).join('');
}

async function main() {
  wire();
  try {
    const [data, catalogue] = await Promise.all([api('GET', `/forms/${encodeURIComponent(key)}`),
      api('GET', '/catalogue').catch(() => ({}))]);
    form = data.definition;
    sources = catalogue.choice_sources || [];
    if (data.used_by && data.used_by.length) root.querySelector('[data-used-by]').textContent = t('usedBy', data.used_by.join('、'));
    fillSaveInto(data.processes || [], data.used_by || []);
    render();
    say('');
    await preview();
    root.dataset.ready = 'true';
  } catch (err) {
    say(t('loadFailed', err.message), 'error');
  }
}

main();
