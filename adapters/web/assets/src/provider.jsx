// Our properties provider for bpmn-js-properties-panel 5: everything the engine reads, as selects and fields.
import { SelectEntry, TextFieldEntry, TextAreaEntry, CheckboxEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';
import { marked } from 'marked';
import { catalogue } from './lint';
import { t } from './i18n';
import { formatDue, getBody, getOperator, getProperty, operatorParameters, parseDue, setBody, setOperator,
  setParameterValue, setProperty } from './ext';

const dueOverride = new Map(); // element id -> chosen due mode before its expression is complete

function withCurrent(options, value, label) {
  if (value && !options.some((o) => o.value === value)) options.push({ value, label: label || value });
  return options;
}

function escapeHtml(text) {
  return (text || '').replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

export function markdown(text) {
  return marked.parse(escapeHtml(text), { async: false });
}

function entry(id, component, element, extra) {
  return { id, component, element, isEdited: () => false, ...(extra || {}) };
}

// --- lane → role ------------------------------------------------------------------------------------
function LaneRole({ element }) {
  const modeling = useService('modeling');
  const options = [{ value: '', label: t('chooseRole') }, ...catalogue.roles.map((r) => ({ value: r.name, label: r.name }))];
  const name = getBusinessObject(element).name || '';
  return <SelectEntry element={element} id="anpei-lane-role" label={t('role')} description={t('roleHint')}
    getValue={() => name} setValue={(value) => modeling.updateProperties(element, { name: value })}
    getOptions={() => withCurrent(options, name)} />;
}

// --- user task -------------------------------------------------------------------------------------
function FormKey({ element }) {
  const injector = useService('injector');
  const value = getProperty(element, 'formKey');
  const options = [{ value: '', label: t('chooseForm') },
    ...catalogue.forms.map((f) => ({ value: f.key, label: `${f.title}（${f.key}）` }))];
  const link = value ? <a class="anpei-form-link" href={`/modeler/forms/${encodeURIComponent(value)}`}
    target="_blank" rel="noopener">{t('editForm')} ↗</a> : null;
  return <SelectEntry element={element} id="anpei-formKey" label={t('form')} description={link}
    getValue={() => value} setValue={(v) => setProperty(element, 'formKey', v, injector)}
    getOptions={() => withCurrent(options, value)} />;
}

function dueRule(element) {
  const rule = parseDue(getProperty(element, 'dueDate'));
  const override = dueOverride.get(element.id);
  if (override && rule.mode === 'none') return { mode: override };
  return rule;
}

function writeDue(element, rule, injector) {
  dueOverride.set(element.id, rule.mode);
  setProperty(element, 'dueDate', formatDue(rule), injector);
}

function dateVariables() {
  return catalogue.variables && catalogue.variables.length ? catalogue.variables : ['class_end'];
}

function DueMode({ element }) {
  const injector = useService('injector');
  const rule = dueRule(element);
  const options = [['none', t('dueNone')], ['working', t('dueWorking')], ['date', t('dueDate')],
    ['expression', t('dueExpression')]].map(([value, label]) => ({ value, label }));
  const written = formatDue(rule);
  return <SelectEntry element={element} id="anpei-due-mode" label={t('dueRule')}
    description={written ? t('dueResult', written) : null}
    getValue={() => rule.mode} getOptions={() => options}
    setValue={(mode) => {
      if (mode === 'working') writeDue(element, { mode, variable: rule.variable || dateVariables()[0], days: rule.days || 5 }, injector);
      else if (mode === 'date') writeDue(element, { mode, date: new Date().toISOString().slice(0, 10) }, injector);
      else if (mode === 'expression') writeDue(element, { mode, expression: formatDue(rule) }, injector);
      else { dueOverride.delete(element.id); setProperty(element, 'dueDate', '', injector); }
    }} />;
}

function DueVariable({ element }) {
  const injector = useService('injector');
  const rule = dueRule(element);
  const options = withCurrent(dateVariables().map((v) => ({ value: v, label: v })), rule.variable);
  return <SelectEntry element={element} id="anpei-due-variable" label={t('dueVariable')}
    getValue={() => rule.variable} getOptions={() => options}
    setValue={(variable) => writeDue(element, { ...rule, variable }, injector)} />;
}

function DueDays({ element }) {
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  const rule = dueRule(element);
  return <TextFieldEntry element={element} id="anpei-due-days" label={t('dueDays')} debounce={debounce}
    getValue={() => String(rule.days)}
    validate={(v) => (/^\d{1,3}$/.test(v || '') && Number(v) > 0 ? null : t('dueDays') + ' 1–999')}
    setValue={(v) => { if (/^\d{1,3}$/.test(v || '') && Number(v) > 0) writeDue(element, { ...rule, days: Number(v) }, injector); }} />;
}

function DueCalendar({ element }) {
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  const rule = dueRule(element);
  return <TextFieldEntry element={element} id="anpei-due-date" label={t('dueCalendar')} debounce={debounce}
    getValue={() => rule.date || ''} validate={(v) => (/^\d{4}-\d{2}-\d{2}$/.test(v || '') ? null : 'YYYY-MM-DD')}
    setValue={(v) => { if (/^\d{4}-\d{2}-\d{2}$/.test(v || '')) writeDue(element, { mode: 'date', date: v }, injector); }} />;
}

function DueExpression({ element }) {
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  return <TextFieldEntry element={element} id="anpei-due-expression" label={t('dueExpression')} debounce={debounce}
    getValue={() => getProperty(element, 'dueDate')}
    setValue={(v) => writeDue(element, { mode: 'expression', expression: v }, injector)} />;
}

function Candidate({ element }) {
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  return <TextFieldEntry element={element} id="anpei-candidate" label={t('candidate')} description={t('candidateHint')}
    debounce={debounce} getValue={() => getProperty(element, 'candidateOrganisation')}
    setValue={(v) => setProperty(element, 'candidateOrganisation', (v || '').trim(), injector)} />;
}

function Instructions({ element }) {
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  const value = getBody(element, 'spiffworkflow:InstructionsForEndUser');
  const preview = value ? <div class="anpei-md-preview"><strong>{t('preview')}</strong>
    <div class="anpei-md" dangerouslySetInnerHTML={{ __html: markdown(value) }} /></div> : null;
  return <TextAreaEntry element={element} id="anpei-instructions" label={t('instructions')} debounce={debounce}
    rows={4} description={preview} getValue={() => value}
    setValue={(v) => setBody(element, 'spiffworkflow:InstructionsForEndUser', v, injector)} />;
}

// --- code (scripts, conditions, timers) with the allowed names offered ---------------------------------
function insertAt(id, text) {
  const area = document.getElementById(`bio-properties-panel-${id}`);
  if (!area) return;
  const start = area.selectionStart ?? area.value.length;
  const end = area.selectionEnd ?? start;
  area.value = area.value.slice(0, start) + text + area.value.slice(end);
  area.selectionStart = area.selectionEnd = start + text.length;
  area.dispatchEvent(new Event('input', { bubbles: true }));
  area.focus();
}

function Offer({ id }) {
  const functions = catalogue.functions || [];
  const variables = catalogue.variables || [];
  return <div class="anpei-offer">
    {functions.length ? <div>{t('functionsHint')} {functions.map((f) =>
      <button type="button" class="anpei-chip" title={f.doc || f.signature}
        onClick={() => insertAt(id, f.signature || `${f.name}()`)}>{f.name}</button>)}</div> : null}
    {variables.length ? <div>{t('variablesHint')} {variables.map((v) =>
      <button type="button" class="anpei-chip var" onClick={() => insertAt(id, v)}>{v}</button>)}</div> : null}
  </div>;
}

function CodeArea({ element, id, label, getValue, setValue, hint }) {
  const debounce = useService('debounceInput');
  return <TextAreaEntry element={element} id={id} label={label} monospace rows={4} debounce={debounce}
    description={<div>{hint ? <div>{hint}</div> : null}<Offer id={id} /></div>}
    getValue={getValue} setValue={setValue} />;
}

function Script({ element, id, type, label }) {
  const injector = useService('injector');
  return <CodeArea element={element} id={id} label={label} getValue={() => getBody(element, type)}
    setValue={(v) => setBody(element, type, v, injector)} />;
}

function PreScript({ element }) {
  return <Script element={element} id="anpei-prescript" type="spiffworkflow:PreScript" label={t('preScript')} />;
}

function PostScript({ element }) {
  return <Script element={element} id="anpei-postscript" type="spiffworkflow:PostScript" label={t('postScript')} />;
}

function Condition({ element }) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const bo = getBusinessObject(element);
  return <CodeArea element={element} id="anpei-condition" label={t('condition')} hint={t('conditionHint')}
    getValue={() => (bo.conditionExpression && bo.conditionExpression.body) || ''}
    setValue={(v) => modeling.updateProperties(element, {
      conditionExpression: v ? bpmnFactory.create('bpmn:FormalExpression', { body: v }) : undefined })} />;
}

// --- service task ---------------------------------------------------------------------------------------
function Operator({ element }) {
  const injector = useService('injector');
  const op = getOperator(element);
  const value = (op && op.id) || '';
  const options = withCurrent([{ value: '', label: t('chooseOperator') },
    ...catalogue.operators.map((o) => ({ value: o.name, label: o.label ? `${o.label}（${o.name}）` : o.name }))], value);
  return <SelectEntry element={element} id="anpei-operator" label={t('operator')} getValue={() => value}
    getOptions={() => options} setValue={(name) => {
      const known = catalogue.operators.find((o) => o.name === name);
      setOperator(element, name, known ? known.params : operatorParameters(op).map((p) => ({ name: p.id, type: p.type })), injector);
    }} />;
}

function ResultVariable({ element }) {
  const modeling = useService('modeling');
  const debounce = useService('debounceInput');
  const op = getOperator(element);
  return <TextFieldEntry element={element} id="anpei-result" label={t('resultVariable')} debounce={debounce}
    getValue={() => (op && op.resultVariable) || ''}
    setValue={(v) => modeling.updateModdleProperties(element, op, { resultVariable: v || undefined })} />;
}

function Parameter({ element, param, spec }) {
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  const type = (spec && spec.type) || param.type || 'str';
  const label = t('parameter', param.id, type) + (spec && spec.required ? ` · ${t('required')}` : '');
  return <TextFieldEntry element={element} id={`anpei-param-${param.id}`} label={label} debounce={debounce}
    getValue={() => param.value || ''} setValue={(v) => setParameterValue(element, param, v, injector)} />;
}

// --- timers, call activity, start event --------------------------------------------------------------
const TIMER_KINDS = ['timeDuration', 'timeDate', 'timeCycle'];

function timerOf(element) {
  return (getBusinessObject(element).eventDefinitions || []).find((d) => is(d, 'bpmn:TimerEventDefinition'));
}

function timerKind(def) {
  return TIMER_KINDS.find((k) => def[k]) || 'timeDuration';
}

function writeTimer(element, def, kind, body, injector) {
  const props = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
  props[kind] = injector.get('bpmnFactory').create('bpmn:FormalExpression', { body });
  injector.get('modeling').updateModdleProperties(element, def, props);
}

function TimerType({ element }) {
  const injector = useService('injector');
  const def = timerOf(element);
  const kind = timerKind(def);
  const expr = def[kind];
  const options = [['timeDuration', t('timerDuration')], ['timeDate', t('timerDate')], ['timeCycle', t('timerCycle')]]
    .map(([value, label]) => ({ value, label }));
  return <SelectEntry element={element} id="anpei-timer-type" label={t('timerType')} getValue={() => kind}
    getOptions={() => options} setValue={(k) => writeTimer(element, def, k, (expr && expr.body) || '', injector)} />;
}

function TimerValue({ element }) {
  const injector = useService('injector');
  const def = timerOf(element);
  const kind = timerKind(def);
  return <CodeArea element={element} id="anpei-timer-value" label={t('timerValue')} hint={t('timerHint')}
    getValue={() => (def[kind] && def[kind].body) || ''}
    setValue={(v) => writeTimer(element, def, kind, v, injector)} />;
}

function TimerHelper({ element }) {
  const injector = useService('injector');
  const def = timerOf(element);
  let variable = dateVariables()[0];
  let days = 5;
  return <div class="bio-properties-panel-entry anpei-timer-helper">
    <label class="bio-properties-panel-label">{t('timerHelper')}</label>
    <div class="anpei-inline">
      <select onChange={(e) => { variable = e.target.value; }}>{dateVariables().map((v) => <option value={v}>{v}</option>)}</select>
      <span>+</span><input type="number" min="1" max="999" value="5" onInput={(e) => { days = Number(e.target.value) || 1; }} />
      <span>{t('dueDays')}</span>
      <button type="button" class="anpei-chip" onClick={() => writeTimer(element, def, 'timeDate',
        `add_working_days(${variable}, ${days}) + 'T17:00:00+08:00'`, injector)}>{t('timerApply')}</button>
    </div>
  </div>;
}

function CalledElement({ element }) {
  const modeling = useService('modeling');
  const value = getBusinessObject(element).calledElement || '';
  const options = withCurrent([{ value: '', label: t('chooseProcess') },
    ...catalogue.processes.map((p) => ({ value: p.key, label: `${p.name}（${p.key}）` }))], value);
  return <SelectEntry element={element} id="anpei-called" label={t('calledElement')} getValue={() => value}
    getOptions={() => options} setValue={(v) => modeling.updateProperties(element, { calledElement: v || undefined })} />;
}

function StartPage({ element }) {
  const injector = useService('injector');
  const debounce = useService('debounceInput');
  return <TextFieldEntry element={element} id="anpei-start-page" label={t('startPage')} debounce={debounce}
    getValue={() => getProperty(element, 'startPage')} setValue={(v) => setProperty(element, 'startPage', v, injector)} />;
}

function CalledOnly({ element }) {
  const injector = useService('injector');
  return <CheckboxEntry element={element} id="anpei-called-only" label={t('calledOnly')}
    getValue={() => getProperty(element, 'calledOnly') === 'true'}
    setValue={(v) => setProperty(element, 'calledOnly', v ? 'true' : '', injector)} />;
}

// --- groups -------------------------------------------------------------------------------------------
function groupsFor(element) {
  const bo = getBusinessObject(element);
  const groups = [];
  if (is(element, 'bpmn:Lane')) {
    groups.push({ id: 'anpei-lane', label: t('groupLane'), entries: [entry('anpei-lane-role', LaneRole, element)] });
  }
  if (is(element, 'bpmn:UserTask') || is(element, 'bpmn:ManualTask')) {
    const rule = dueRule(element);
    const entries = [entry('anpei-formKey', FormKey, element), entry('anpei-due-mode', DueMode, element)];
    if (rule.mode === 'working') entries.push(entry('anpei-due-variable', DueVariable, element), entry('anpei-due-days', DueDays, element));
    if (rule.mode === 'date') entries.push(entry('anpei-due-date', DueCalendar, element));
    if (rule.mode === 'expression') entries.push(entry('anpei-due-expression', DueExpression, element));
    entries.push(entry('anpei-candidate', Candidate, element), entry('anpei-instructions', Instructions, element));
    groups.push({ id: 'anpei-user-task', label: t('groupUserTask'), entries });
  }
  if (is(element, 'bpmn:ServiceTask')) {
    const op = getOperator(element);
    const known = op && catalogue.operators.find((o) => o.name === op.id);
    const entries = [entry('anpei-operator', Operator, element)];
    if (op) {
      entries.push(entry('anpei-result', ResultVariable, element));
      operatorParameters(op).forEach((param) => entries.push({ ...entry(`anpei-param-${param.id}`, Parameter, element),
        param, spec: known && (known.params || []).find((p) => p.name === param.id) }));
    }
    groups.push({ id: 'anpei-service', label: t('groupService'), entries });
  }
  if (is(element, 'bpmn:Activity') && !is(element, 'bpmn:SubProcess') || is(element, 'bpmn:Event')) {
    groups.push({ id: 'anpei-scripts', label: t('groupScripts'),
      entries: [entry('anpei-prescript', PreScript, element), entry('anpei-postscript', PostScript, element)] });
  }
  if (is(element, 'bpmn:SequenceFlow') && bo.sourceRef && (is(bo.sourceRef, 'bpmn:ExclusiveGateway') || is(bo.sourceRef, 'bpmn:InclusiveGateway') || bo.conditionExpression)) {
    groups.push({ id: 'anpei-condition', label: t('groupCondition'), entries: [entry('anpei-condition', Condition, element)] });
  }
  if (is(element, 'bpmn:Event') && timerOf(element)) {
    groups.push({ id: 'anpei-timer', label: t('groupTimer'), entries: [entry('anpei-timer-type', TimerType, element),
      entry('anpei-timer-value', TimerValue, element), entry('anpei-timer-helper', TimerHelper, element)] });
  }
  if (is(element, 'bpmn:CallActivity')) {
    groups.push({ id: 'anpei-call', label: t('groupCall'), entries: [entry('anpei-called', CalledElement, element)] });
  }
  if (is(element, 'bpmn:StartEvent')) {
    groups.push({ id: 'anpei-start', label: t('groupStart'),
      entries: [entry('anpei-start-page', StartPage, element), entry('anpei-called-only', CalledOnly, element)] });
  }
  return groups;
}

// Base groups kept from the BPMN provider: general (name, id), documentation, message, multi-instance.
const KEEP = ['general', 'documentation', 'message', 'multiInstance', 'signal', 'error', 'escalation'];

export default function AnpeiPropertiesProvider(propertiesPanel) {
  propertiesPanel.registerProvider(400, this);
}

AnpeiPropertiesProvider.prototype.getGroups = function getGroups(element) {
  return (groups) => {
    const kept = groups.filter((g) => KEEP.includes(g.id));
    const general = kept.findIndex((g) => g.id === 'general');
    kept.splice(general + 1, 0, ...groupsFor(element));
    return kept;
  };
};
AnpeiPropertiesProvider.$inject = ['propertiesPanel'];
