// Reading and writing the spiffworkflow extension elements the engine reads (adapters/engine/user_tasks.py).
// Every write goes through modeling.updateModdleProperties, so it is undoable and marks the diagram dirty.
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

export function extensionOf(bo, type) {
  const ext = bo && bo.extensionElements;
  return ext ? (ext.values || []).find((v) => is(v, type)) : undefined;
}

function ensureExtensionElements(element, bo, injector) {
  const modeling = injector.get('modeling');
  const bpmnFactory = injector.get('bpmnFactory');
  let ext = bo.extensionElements;
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    modeling.updateModdleProperties(element, bo, { extensionElements: ext });
  }
  return ext;
}

export function ensureExtension(element, bo, type, attrs, injector) {
  const existing = extensionOf(bo, type);
  if (existing) return existing;
  const ext = ensureExtensionElements(element, bo, injector);
  const created = injector.get('moddle').create(type, attrs || {});
  created.$parent = ext;
  injector.get('modeling').updateModdleProperties(element, ext, { values: [...(ext.values || []), created] });
  return created;
}

function removeExtension(element, bo, item, injector) {
  const ext = bo.extensionElements;
  if (!ext || !item) return;
  injector.get('modeling').updateModdleProperties(element, ext, { values: ext.values.filter((v) => v !== item) });
}

// --- spiffworkflow:properties/property name=… value=… -------------------------------------------------
export function getProperty(element, name) {
  const props = extensionOf(getBusinessObject(element), 'spiffworkflow:Properties');
  const prop = props && (props.properties || []).find((p) => p.name === name);
  return prop ? prop.value || '' : '';
}

export function setProperty(element, name, value, injector) {
  const bo = getBusinessObject(element);
  const modeling = injector.get('modeling');
  const props0 = extensionOf(bo, 'spiffworkflow:Properties');
  const current = props0 && (props0.properties || []).find((p) => p.name === name);
  if (!value) {
    if (!current) return;
    const rest = props0.properties.filter((p) => p !== current);
    if (rest.length) modeling.updateModdleProperties(element, props0, { properties: rest });
    else removeExtension(element, bo, props0, injector);
    return;
  }
  if (current) {
    modeling.updateModdleProperties(element, current, { value });
    return;
  }
  const props = ensureExtension(element, bo, 'spiffworkflow:Properties', { properties: [] }, injector);
  const prop = injector.get('moddle').create('spiffworkflow:Property', { name, value });
  prop.$parent = props;
  modeling.updateModdleProperties(element, props, { properties: [...(props.properties || []), prop] });
}

// --- body elements: preScript, postScript, instructionsForEndUser ------------------------------------------
export function getBody(element, type) {
  const item = extensionOf(getBusinessObject(element), type);
  return item ? item.value || '' : '';
}

export function setBody(element, type, value, injector) {
  const bo = getBusinessObject(element);
  const item = extensionOf(bo, type);
  if (!value) { removeExtension(element, bo, item, injector); return; }
  if (item) injector.get('modeling').updateModdleProperties(element, item, { value });
  else ensureExtension(element, bo, type, { value }, injector);
}

// --- spiffworkflow:serviceTaskOperator id=… with parameters -----------------------------------------------
export function getOperator(element) {
  return extensionOf(getBusinessObject(element), 'spiffworkflow:ServiceTaskOperator');
}

export function operatorParameters(operator) {
  return (operator && operator.parameterList && operator.parameterList.parameters) || [];
}

export function setOperator(element, name, params, injector) {
  const bo = getBusinessObject(element);
  const moddle = injector.get('moddle');
  const modeling = injector.get('modeling');
  const existing = getOperator(element);
  if (!name) { removeExtension(element, bo, existing, injector); return; }
  const old = {};
  operatorParameters(existing).forEach((p) => { old[p.id] = p.value; });
  const list = moddle.create('spiffworkflow:Parameters', { parameters: [] });
  list.parameters = (params || []).map((p) => {
    const param = moddle.create('spiffworkflow:Parameter', { id: p.name, type: p.type, value: old[p.name] || p.name });
    param.$parent = list;
    return param;
  });
  if (existing) {
    list.$parent = existing;
    modeling.updateModdleProperties(element, existing, { id: name, parameterList: list });
  } else {
    const op = ensureExtension(element, bo, 'spiffworkflow:ServiceTaskOperator', { id: name }, injector);
    list.$parent = op;
    modeling.updateModdleProperties(element, op, { parameterList: list });
  }
}

export function setParameterValue(element, param, value, injector) {
  injector.get('modeling').updateModdleProperties(element, param, { value });
}

// --- due rule: dueDate expression <-> (mode, variable, days, date) ----------------------------------------
const WORKING = /^add_working_days\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,\s*(\d+)\s*\)$/;
const LITERAL = /^['"](\d{4}-\d{2}-\d{2})['"]$/;

export function parseDue(expr) {
  const text = (expr || '').trim();
  if (!text) return { mode: 'none' };
  let m = WORKING.exec(text);
  if (m) return { mode: 'working', variable: m[1], days: Number(m[2]) };
  m = LITERAL.exec(text);
  if (m) return { mode: 'date', date: m[1] };
  return { mode: 'expression', expression: text };
}

export function formatDue(rule) {
  if (rule.mode === 'working') return `add_working_days(${rule.variable}, ${rule.days})`;
  if (rule.mode === 'date') return rule.date ? `'${rule.date}'` : '';
  if (rule.mode === 'expression') return rule.expression || '';
  return '';
}
