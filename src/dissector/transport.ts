// Framing rules and registration: the Lua tables the framer reads (computed from each frame type's
// framing and fixed sizes, as the TypeScript framer computes them), the preferences (TCP/UDP port,
// 0 = off by default; checksum validation), Decode As, and heuristics that claim a conversation by
// content (start patterns of frame types a device can open with; fixed-size binary frames are too
// weak a signal to claim a stream, but are decoded once the conversation is claimed).
import { lengthLayout, type FrameType, type Pattern, type Protocol } from '../schema/index.js';
import { LuaCode, luaValue, type LuaData, type LuaRecord } from './lua-text.js';

const luaPatterns = (pats: readonly Pattern[]): LuaData =>
  pats.map((pat) => pat.map((a) => ('lit' in a ? { lit: a.lit } : { cls: a.cls, min: a.min, max: a.max })));

function lengthRule(ft: FrameType, field: string): LuaRecord {
  const { magics, offset, size, min } = lengthLayout(ft, field);
  // The magics are the frame's start patterns; the framer also looks for them after a frame's end.
  return { off: offset, size, min, starts: luaPatterns(magics.map((m) => [{ lit: m }])) };
}

export function framingRule(ft: FrameType): LuaRecord {
  const f = ft.framing;
  switch (f.kind) {
    case 'length':
      return { kind: 'length', max: f.max, trailer: f.trailer, ...lengthRule(ft, f.lengthField) };
    case 'delimited':
      return {
        kind: 'delimited',
        starts: luaPatterns(f.start),
        markers: f.end,
        followed: f.endMustBeFollowed === true || undefined,
        before_next: f.endsBeforeNextStart === true || undefined,
        swallow: f.swallowLineEnd !== false || undefined,
        max: f.max,
      };
    case 'line':
      return {
        kind: 'line',
        starts: f.start && f.start.length > 0 ? luaPatterns(f.start) : undefined,
        max: f.max,
        swallow: true,
      };
    case 'fixed':
      return { kind: 'fixed', starts: luaPatterns(f.start), sizes: f.sizes, swallow: true };
  }
}

/** `RULES`, `ALL_STARTS` and `HAS_LINE_RULES`; frame type i is `FT[i]`. */
export function luaRules(protocol: Protocol): string {
  const framing = protocol.frames.map(framingRule);
  const rules = protocol.frames.map((ft, i) => {
    const rule = framing[i]!;
    const claims = rule.starts !== undefined && ft.framing.kind !== 'fixed' && ft.direction !== 'downlink';
    return luaValue({ ft: new LuaCode(`FT[${i + 1}]`), claims, ...rule });
  });
  const all = framing.flatMap((r) => (Array.isArray(r.starts) ? r.starts : []));
  return [
    `local RULES = {\n  ${rules.join(',\n  ')},\n}`,
    `local ALL_STARTS = ${luaValue(all)}`,
    `local HAS_LINE_RULES = ${framing.some((r) => r.starts === undefined)}`,
  ].join('\n');
}

/** Preferences declared before the dissector reads them. */
export function luaPrefs(protocol: Protocol): string {
  const lines = [
    `p.prefs.validate_checksums = Pref.bool("Validate checksums", true, "Verify checksums and report mismatches")`,
  ];
  for (const t of ['tcp', 'udp'] as const)
    if (protocol.transport?.[t])
      lines.push(
        `p.prefs.${t}_port = Pref.uint("${t.toUpperCase()} port", 0, "${t.toUpperCase()} port decoded as ${protocol.name} (0: none; heuristics still apply)")`,
      );
  return lines.join('\n');
}

/**
 * `packet_direction(pinfo)`: 'uplink', 'downlink' or nil, which restricts the frame types tried as
 * the decoder's direction does. An outer dissector says it through pinfo.private (an AT log line, a
 * carried payload); on TCP/UDP the port preference names the server, so a packet to it is uplink.
 * Without either (heuristics, Decode As) Lua cannot tell which side opened the connection, and every
 * frame type is tried in schema order.
 */
export function luaDirection(protocol: Protocol): string {
  const ports = (['tcp', 'udp'] as const).flatMap((t) => {
    if (!protocol.transport?.[t]) return [];
    const type = t === 'tcp' ? 2 : 3;
    return [
      `  if pinfo.port_type == ${type} and p.prefs.${t}_port > 0 then`,
      `    if pinfo.dst_port == p.prefs.${t}_port then return 'uplink' end`,
      `    if pinfo.src_port == p.prefs.${t}_port then return 'downlink' end`,
      '  end',
    ];
  });
  return [
    'local DIRECTION_KEY = "trackshark.direction"',
    'local BOUNDARY_KEY = "trackshark.boundary"',
    'local function packet_direction(pinfo)',
    '  local d = pinfo.private[DIRECTION_KEY]',
    "  if d == 'uplink' or d == 'downlink' then return d end",
    ...ports,
    '  return nil',
    'end',
  ].join('\n');
}

/** Port tables, Decode As and heuristics, per the schema's transport declaration. */
export function luaRegistration(protocol: Protocol): string {
  const out: string[] = ['local registered = {}'];
  const apply: string[] = [];
  for (const t of ['tcp', 'udp'] as const) {
    const decl = protocol.transport?.[t];
    if (!decl) continue;
    const datagram = t === 'udp';
    out.push(
      `local ${t}_table = DissectorTable.get("${t}.port")`,
      `${t}_table:add_for_decode_as(p)`,
      ...decl.ports.map((port) => `${t}_table:add(${port}, p)`),
    );
    apply.push(
      `  if registered.${t} then ${t}_table:remove(registered.${t}, p); registered.${t} = nil end`,
      `  if p.prefs.${t}_port > 0 then registered.${t} = p.prefs.${t}_port; ${t}_table:add(registered.${t}, p) end`,
    );
    if (decl.heuristic)
      out.push(
        `p:register_heuristic("${t}", function(tvb, pinfo, tree)`,
        `  if not claims(tvb) then return false end`,
        `  pinfo.conversation = p`,
        `  dissect_bytes(tvb, pinfo, tree, ${datagram})`,
        `  return true`,
        `end)`,
      );
  }
  out.push('local function apply_prefs()', ...apply, 'end', 'p.prefs_changed = apply_prefs', 'apply_prefs()');
  return out.join('\n');
}
