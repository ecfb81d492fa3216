// Element templates (bpmn-js element-template JSON, our spiffworkflow bindings): a list beside the canvas;
// clicking one starts creating the pre-configured shape, which the user places in a lane or on a flow.
import { LANG, t } from './i18n';
import { escape } from './api';

function applyBinding(bo, prop, moddle) {
  const binding = prop.binding || {};
  const value = prop.value;
  if (value === undefined || value === '') return;
  if (binding.type === 'property') { bo.set(binding.name, value); return; }
  let ext = bo.extensionElements;
  if (!ext) { ext = moddle.create('bpmn:ExtensionElements', { values: [] }); ext.$parent = bo; bo.extensionElements = ext; }
  if (binding.type === 'spiffworkflow:property') {
    let props = ext.values.find((v) => v.$type === 'spiffworkflow:Properties');
    if (!props) { props = moddle.create('spiffworkflow:Properties', { properties: [] }); props.$parent = ext; ext.values.push(props); }
    const item = moddle.create('spiffworkflow:Property', { name: binding.name, value });
    item.$parent = props;
    props.properties.push(item);
  } else if (binding.type === 'spiffworkflow:instructionsForEndUser') {
    const item = moddle.create('spiffworkflow:InstructionsForEndUser', { value });
    item.$parent = ext;
    ext.values.push(item);
  } else if (binding.type === 'spiffworkflow:serviceTaskOperator') {
    const item = moddle.create('spiffworkflow:ServiceTaskOperator', { id: value });
    item.$parent = ext;
    ext.values.push(item);
  }
}

export function createFromTemplate(modeler, template) {
  const elementFactory = modeler.get('elementFactory');
  const moddle = modeler.get('moddle');
  const type = (template.elementType && template.elementType.value) || template.appliesTo[0];
  const shape = elementFactory.createShape({ type });
  (template.properties || []).forEach((prop) => applyBinding(shape.businessObject, prop, moddle));
  return shape;
}

export function renderTemplates(container, modeler, templates) {
  container.innerHTML = `<h3>${escape(t('templates'))}</h3><p class="muted small">${escape(t('templatesHint'))}</p>`;
  const list = document.createElement('ul');
  list.className = 'anpei-templates';
  templates.forEach((template) => {
    const name = LANG === 'en' && template['x-anpei-name-en'] ? template['x-anpei-name-en'] : template.name;
    const desc = LANG === 'en' && template['x-anpei-description-en'] ? template['x-anpei-description-en'] : template.description;
    const li = document.createElement('li');
    li.innerHTML = `<button type="button" draggable="true" data-template="${escape(template.id)}" title="${escape(desc || '')}">`
      + `<span class="anpei-tpl-icon ${template.appliesTo[0] === 'bpmn:ServiceTask' ? 'service' : 'user'}"></span>${escape(name)}</button>`;
    const button = li.querySelector('button');
    const start = (event) => {
      event.preventDefault();
      modeler.get('create').start(event, createFromTemplate(modeler, template));
    };
    button.addEventListener('click', start);
    button.addEventListener('dragstart', start);
    list.appendChild(li);
  });
  container.appendChild(list);
}
