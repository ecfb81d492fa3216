// Dropping a step on a sequence flow inserts it there; our diagrams have short flows (30 px), too short for
// bpmn-js to split, so first make room: everything from the flow's target onwards moves right by one step.
import CommandInterceptor from 'diagram-js/lib/command/CommandInterceptor';
import { is } from 'bpmn-js/lib/util/ModelUtil';

const GAP = 50;

export default function MakeRoomOnInsert(eventBus, bpmnRules, modeling, elementRegistry) {
  CommandInterceptor.call(this, eventBus);
  this.preExecute('shape.create', 2000, (context) => {
    const flow = context.parent;
    const shape = context.shape;
    if (!flow || !flow.waypoints || !is(flow, 'bpmn:SequenceFlow') || !bpmnRules.canInsert(shape, flow)) return;
    const source = flow.source;
    const target = flow.target;
    const room = target.x - (source.x + source.width);
    if (room >= shape.width + GAP || target.x <= source.x) return;
    const start = source.x + source.width + 1;
    const delta = shape.width + GAP - Math.max(room, 0) + GAP / 2;
    const root = flow.parent;
    const moving = elementRegistry.filter((e) => !e.waypoints && !e.labelTarget && e !== shape && e.x >= start
      && !is(e, 'bpmn:Lane') && !is(e, 'bpmn:Participant') && e.type !== 'label' && e.parent && e.parent !== e
      && (e.parent === root || is(e.parent, 'bpmn:Lane') || e.parent.parent === root || e.host));
    const resizing = elementRegistry.filter((e) => (is(e, 'bpmn:Participant') || is(e, 'bpmn:Lane')) && e.x + e.width > start && e.x < start);
    modeling.createSpace(moving, resizing, { x: delta, y: 0 }, 'e', start);
    const y = source.y + source.height / 2;
    context.position = { x: source.x + source.width + GAP / 2 + shape.width / 2 + GAP / 4, y };
  }, true);
}

MakeRoomOnInsert.prototype = Object.create(CommandInterceptor.prototype);
MakeRoomOnInsert.$inject = ['eventBus', 'bpmnRules', 'modeling', 'elementRegistry'];
