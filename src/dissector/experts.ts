// Expert infos: the protocol's declared experts, one per derived field (`<path>.bad`: a checksum,
// length or count that disagrees) and per documented deviation (`<path>.deviation`), and one per
// kind of issue every frame can have (syntax, unknown value, range, malformed, trailing bytes,
// incomplete frame, bytes outside any frame). All are filterable by their abbreviation.
import { listFields, type Expert, type ExpertGroup, type Protocol, type Severity } from '../schema/index.js';
import { luaString, luaValue } from './lua-text.js';
import type { Planner } from './plan.js';

const GROUP = {
  checksum: 'CHECKSUM',
  malformed: 'MALFORMED',
  protocol: 'PROTOCOL',
  undecoded: 'UNDECODED',
  sequence: 'SEQUENCE',
} as const satisfies Record<ExpertGroup, string>;
const SEVERITY = { error: 'ERROR', warn: 'WARN', note: 'NOTE' } as const satisfies Record<Severity, string>;

/** Issue kinds raised by the Lua runtime that have no expert of their own, and what stands for them. */
const KINDS = {
  syntax: ['malformed', 'warn', 'Text does not fit the field syntax or length'],
  unknown: ['undecoded', 'note', 'Value not described by the documents'],
  range: ['protocol', 'warn', 'Value outside the documented range'],
  malformed: ['malformed', 'error', 'Frame does not follow the grammar'],
  trailing: ['malformed', 'warn', 'Bytes after the end of the frame'],
  incomplete: ['malformed', 'warn', 'Frame not complete in the capture'],
  junk: ['malformed', 'warn', 'Bytes outside any frame'],
} as const satisfies Record<string, readonly [ExpertGroup, Severity, string]>;

export function expertList(
  protocol: Protocol,
  planner: Planner,
): { experts: Expert[]; kinds: Record<string, string> } {
  const byId = new Map<string, Expert>();
  const add = (e: Expert) => {
    if (!byId.has(e.id)) byId.set(e.id, e);
  };
  for (const e of protocol.experts ?? []) add(e);
  for (const { path, node } of listFields(protocol)) {
    const d = node.kind === 'uint' || node.kind === 'token' ? node.derive : undefined;
    if (d?.kind === 'checksum')
      add({ id: `${path}.bad`, group: 'checksum', severity: 'error', summary: `${path}: checksum mismatch` });
    else if (d)
      add({
        id: `${path}.bad`,
        group: 'malformed',
        severity: d.kind === 'countOf' ? 'warn' : 'error',
        summary: `${path} disagrees with the bytes`,
      });
  }
  for (const [path, node] of planner.deviations)
    add({
      id: `${path}.deviation`,
      group: 'protocol',
      severity: node.deviation!.severity,
      summary: node.deviation!.message,
    });
  const kinds: Record<string, string> = {};
  for (const [kind, [group, severity, summary]] of Object.entries(KINDS)) {
    const id = `${protocol.name}.${kind}`;
    add({ id, group, severity, summary });
    kinds[kind] = id;
  }
  return { experts: [...byId.values()], kinds };
}

export function luaExperts(experts: readonly Expert[], kinds: Record<string, string>): string {
  return [
    'local EXPERT = {}',
    ...experts.map(
      (e) =>
        `EXPERT[${luaString(e.id)}] = ProtoExpert.new(${luaString(e.id)}, ${luaString(e.summary)}, expert.group.${GROUP[e.group]}, expert.severity.${SEVERITY[e.severity]})`,
    ),
    'local EXPERT_KIND = {}',
    `for kind, id in pairs(${luaValue(kinds)}) do EXPERT_KIND[kind] = EXPERT[id] end`,
    'local EXPERT_LIST = {}',
    `for _, id in ipairs(${luaValue(experts.map((e) => e.id))}) do EXPERT_LIST[#EXPERT_LIST + 1] = EXPERT[id] end`,
    'p.experts = EXPERT_LIST',
  ].join('\n');
}
