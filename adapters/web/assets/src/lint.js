// The in-browser rule set (bpmnlint 11): what our engine can run and what a person must fill in.
// Rules read the catalogue (roles, forms, operators, processes) the page loaded from the server.
import { is } from 'bpmnlint-utils';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import labelRequired from 'bpmnlint/rules/label-required';
import noDuplicateFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import fakeJoin from 'bpmnlint/rules/fake-join';
import { LANG } from './i18n';

export const catalogue = { roles: [], forms: [], operators: [], processes: [], functions: [], variables: [] };

const M = {
  implicitSplit: ['此处有多条流出连线但没有网关：请加一个排他网关或并行网关来分支', 'Several outgoing flows without a gateway: add an exclusive or parallel gateway to split'],
  label: ['请填写名称，办理人在待办中看到的就是它', 'Enter a name: it is what people see in their inbox'],
  duplicate: ['重复的连线：请删除其中一条', 'Duplicate flow: delete one of them'],
  startRequired: ['流程缺少开始事件', 'The process has no start event'],
  endRequired: ['流程缺少结束事件', 'The process has no end event'],
  fakeJoin: ['多条连线直接汇入任务：请先用网关汇合', 'Several flows enter a task directly: join them with a gateway first'],
  unsupported: ['引擎不支持“%s”：请换成人工任务、服务任务、网关、定时或消息事件', 'The engine does not run "%s": use a user task, service task, gateway, timer or message event'],
  noForm: ['人工任务未选择表单：在右侧“办理”中选择表单', 'User task has no form: choose one under "Assignment" on the right'],
  unknownForm: ['表单“%s”不存在：请从列表中选择', 'Form "%s" does not exist: choose one from the list'],
  noLane: ['人工任务不在泳道内：请把它拖进对应角色的泳道', 'User task is not in a lane: drag it into the lane of the role that does it'],
  laneRole: ['泳道“%s”不对应任何角色：在“泳道与角色”中选择角色', 'Lane "%s" maps to no role: choose a role under "Lane and role"'],
  noOperator: ['服务任务未选择操作', 'Service task has no operation selected'],
  unknownOperator: ['操作“%s”未注册', 'Operation "%s" is not registered'],
  missingParam: ['操作参数“%s”未填写', 'Parameter "%s" is empty'],
  noCalled: ['调用活动未选择被调用的流程', 'Call activity names no process to call'],
  unknownCalled: ['被调用的流程“%s”尚未部署', 'Called process "%s" is not deployed'],
  unreachable: ['从开始事件无法到达此步骤：请连上前面的步骤', 'Cannot be reached from the start event: connect it to a previous step'],
  deadEnd: ['此步骤之后没有去向：请连到下一步或结束事件', 'Nothing follows this step: connect it to the next step or an end event'],
  noCondition: ['网关的这条分支没有条件：请填写条件或设为默认流', 'This branch has no condition: enter one or make it the default flow'],
  timerEmpty: ['定时事件没有设置时间', 'The timer has no time set'],
};

function msg(key, ...args) {
  let text = M[key][LANG === 'en' ? 1 : 0];
  args.forEach((a) => { text = text.replace('%s', a); });
  return text;
}

function renamed(factory, key) {
  return function() {
    const rule = factory();
    return { check(node, reporter) {
      rule.check(node, { report(id, _message, path) { reporter.report(id, msg(key), path); } });
    } };
  };
}

function extensions(node, type) {
  return ((node.extensionElements && node.extensionElements.values) || []).filter((v) => is(v, type));
}

function property(node, name) {
  for (const props of extensions(node, 'spiffworkflow:Properties')) {
    const prop = (props.properties || []).find((p) => p.name === name);
    if (prop) return prop.value || '';
  }
  return '';
}

const SUPPORTED = ['bpmn:Process', 'bpmn:Collaboration', 'bpmn:Participant', 'bpmn:LaneSet', 'bpmn:Lane',
  'bpmn:StartEvent', 'bpmn:EndEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:IntermediateThrowEvent',
  'bpmn:BoundaryEvent', 'bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:ScriptTask', 'bpmn:ManualTask',
  'bpmn:CallActivity', 'bpmn:SubProcess', 'bpmn:ExclusiveGateway', 'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway', 'bpmn:EventBasedGateway', 'bpmn:SequenceFlow', 'bpmn:TextAnnotation',
  'bpmn:Association', 'bpmn:Group', 'bpmn:MessageFlow', 'bpmn:DataObjectReference', 'bpmn:DataObject',
  'bpmn:DataStoreReference', 'bpmn:DataInputAssociation', 'bpmn:DataOutputAssociation'];
const SUPPORTED_EVENTS = ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:TerminateEventDefinition',
  'bpmn:ErrorEventDefinition', 'bpmn:SignalEventDefinition', 'bpmn:EscalationEventDefinition'];

function supportedElements() {
  return { check(node, reporter) {
    if (is(node, 'bpmn:FlowElement') || is(node, 'bpmn:Artifact')) {
      if (!SUPPORTED.some((type) => is(node, type))) {
        reporter.report(node.id, msg('unsupported', node.$type.replace('bpmn:', '')));
      }
      for (const def of node.eventDefinitions || []) {
        if (!SUPPORTED_EVENTS.some((type) => is(def, type))) {
          reporter.report(node.id, msg('unsupported', def.$type.replace('bpmn:', '')));
        }
      }
    }
  } };
}

function laneOf(node) {
  const process = node.$parent;
  const sets = (process && process.laneSets) || [];
  const lanes = [];
  const walk = (set) => (set.lanes || []).forEach((lane) => { lanes.push(lane); if (lane.childLaneSet) walk(lane.childLaneSet); });
  sets.forEach(walk);
  const hits = lanes.filter((lane) => (lane.flowNodeRef || []).includes(node) && !lane.childLaneSet);
  return hits[0];
}

function userTasks() {
  return { check(node, reporter) {
    if (!is(node, 'bpmn:UserTask') && !is(node, 'bpmn:ManualTask')) return;
    const form = property(node, 'formKey');
    if (!form) reporter.report(node.id, msg('noForm'));
    else if (catalogue.forms.length && !catalogue.forms.some((f) => f.key === form)) {
      reporter.report(node.id, msg('unknownForm', form));
    }
    const lane = laneOf(node);
    if (!lane) reporter.report(node.id, msg('noLane'));
  } };
}

function laneRoles() {
  return { check(node, reporter) {
    if (!is(node, 'bpmn:Lane') || node.childLaneSet || !catalogue.roles.length) return;
    if (!catalogue.roles.some((r) => r.name === node.name)) reporter.report(node.id, msg('laneRole', node.name || ''));
  } };
}

function serviceTasks() {
  return { check(node, reporter) {
    if (!is(node, 'bpmn:ServiceTask')) return;
    const op = extensions(node, 'spiffworkflow:ServiceTaskOperator')[0];
    if (!op || !op.id) { reporter.report(node.id, msg('noOperator')); return; }
    const known = catalogue.operators.find((o) => o.name === op.id);
    if (catalogue.operators.length && !known) { reporter.report(node.id, msg('unknownOperator', op.id)); return; }
    const values = {};
    ((op.parameterList && op.parameterList.parameters) || []).forEach((p) => { values[p.id] = p.value; });
    ((known && known.params) || []).filter((p) => p.required && !values[p.name])
      .forEach((p) => reporter.report(node.id, msg('missingParam', p.name)));
  } };
}

function callActivities() {
  return { check(node, reporter) {
    if (!is(node, 'bpmn:CallActivity')) return;
    if (!node.calledElement) reporter.report(node.id, msg('noCalled'));
    else if (catalogue.processes.length && !catalogue.processes.some((p) => p.key === node.calledElement)) {
      reporter.report(node.id, msg('unknownCalled', node.calledElement));
    }
  } };
}

function timers() {
  return { check(node, reporter) {
    for (const def of node.eventDefinitions || []) {
      if (is(def, 'bpmn:TimerEventDefinition')) {
        const expr = def.timeDuration || def.timeDate || def.timeCycle;
        if (!expr || !expr.body) reporter.report(node.id, msg('timerEmpty'));
      }
    }
  } };
}

function gatewayConditions() {
  return { check(node, reporter) {
    if (!is(node, 'bpmn:ExclusiveGateway') && !is(node, 'bpmn:InclusiveGateway')) return;
    const outgoing = node.outgoing || [];
    if (outgoing.length < 2) return;
    outgoing.filter((flow) => flow !== node.default && !(flow.conditionExpression && flow.conditionExpression.body))
      .forEach((flow) => reporter.report(flow.id, msg('noCondition')));
  } };
}

// Reachability inside each process: from its start events along sequence flows (a boundary event is reached
// with its activity); dead ends are flow nodes other than end events with nothing going out.
function reachability() {
  return { check(node, reporter) {
    if (!is(node, 'bpmn:Process') && !is(node, 'bpmn:SubProcess')) return;
    const elements = node.flowElements || [];
    const nodes = elements.filter((e) => is(e, 'bpmn:FlowNode'));
    const boundary = nodes.filter((e) => is(e, 'bpmn:BoundaryEvent'));
    const seen = new Set();
    const queue = nodes.filter((e) => is(e, 'bpmn:StartEvent') || (is(e, 'bpmn:SubProcess') && e.triggeredByEvent));
    while (queue.length) {
      const current = queue.pop();
      if (seen.has(current)) continue;
      seen.add(current);
      (current.outgoing || []).forEach((flow) => flow.targetRef && queue.push(flow.targetRef));
      boundary.filter((b) => b.attachedToRef === current).forEach((b) => queue.push(b));
    }
    for (const element of nodes) {
      if (is(node, 'bpmn:SubProcess') && node.triggeredByEvent) continue;
      const starts = nodes.some((e) => is(e, 'bpmn:StartEvent'));
      if (starts && !seen.has(element)) reporter.report(element.id, msg('unreachable'));
      else if (!is(element, 'bpmn:EndEvent') && !(element.outgoing || []).length
               && !(is(element, 'bpmn:SubProcess') && element.triggeredByEvent)) {
        reporter.report(element.id, msg('deadEnd'));
      }
    }
  } };
}

const RULES = {
  'anpei/no-implicit-split': renamed(noImplicitSplit, 'implicitSplit'),
  'anpei/label-required': renamed(labelRequired, 'label'),
  'anpei/no-duplicate-sequence-flows': renamed(noDuplicateFlows, 'duplicate'),
  'anpei/start-event-required': renamed(startEventRequired, 'startRequired'),
  'anpei/end-event-required': renamed(endEventRequired, 'endRequired'),
  'anpei/fake-join': renamed(fakeJoin, 'fakeJoin'),
  'anpei/supported-elements': supportedElements,
  'anpei/user-task': userTasks,
  'anpei/lane-role': laneRoles,
  'anpei/service-task': serviceTasks,
  'anpei/call-activity': callActivities,
  'anpei/timer': timers,
  'anpei/gateway-conditions': gatewayConditions,
  'anpei/reachability': reachability,
};

const LEVEL = { 'anpei/label-required': 'warn', 'anpei/fake-join': 'warn' };

export const linterConfig = {
  config: { rules: Object.fromEntries(Object.keys(RULES).map((name) => [name, LEVEL[name] || 'error'])) },
  resolver: {
    resolveRule(pkg, ruleName) {
      const rule = RULES[`anpei/${ruleName}`];
      if (!rule) throw new Error(`unknown rule ${pkg}/${ruleName}`);
      return rule;
    },
    resolveConfig() { throw new Error('no shared configs'); },
  },
};
