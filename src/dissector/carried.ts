// Frames carried inside other frames (the hex of AT `+MIPSEND`/`+MIPRTCP`/`+MIPRUDP`): the payload
// bytes are joined per stream key and direction, as src/pipeline/carried-streams.ts joins them, and
// handed to the tracker dissector whose frames start the stream. The TCP-style hand-off does the
// joining: the callee asks for more bytes through pinfo.desegment_*, and what it leaves waits for the
// next payload of that stream. State lives in p.init()-reset tables, filled on the first pass only,
// so later passes (-2, the GUI) show the same frames.
import { listFields, type Protocol } from '../schema/index.js';
import { luaValue, type LuaRecord } from './lua-text.js';
import { framingRule } from './transport.js';

/** Whether a protocol's frames carry bytes of another stream. */
function carriesStreams(protocol: Protocol): boolean {
  return listFields(protocol).some((f) => f.node.kind === 'token' && f.node.carries !== undefined);
}

/** The start patterns of every frame type of the candidate protocols, with their direction. */
function carriedTable(payloads: readonly Protocol[]): string {
  const candidates = payloads.map((p) => ({
    name: p.name,
    rules: p.frames.flatMap((ft): LuaRecord[] => {
      const r = framingRule(ft);
      if (r.starts === undefined) return [];
      const { kind, starts, off, size, min, max } = r;
      return [{ dir: ft.direction, kind, starts, ...(kind === 'length' ? { off, size, min, max } : {}) }];
    }),
  }));
  return `local CARRIED = ${luaValue(candidates)}`;
}

const LUA_CARRIED = String.raw`-- Payloads that start no frame of any candidate are shown as such and not kept; a stream's
-- protocol, once chosen, stays. Held bytes are capped so a stream that never completes stays small.
local HELD_MAX = 65536
local carried_streams, carried_seen = {}, {}
function p.init() carried_streams, carried_seen = {}, {} end
local function payload_protocol(buf, dir)
  local q = 0
  while q < #buf and LINE_END[buf:byte(q + 1)] do q = q + 1 end
  if q >= #buf then return nil end
  for _, c in ipairs(CARRIED) do
    for _, r in ipairs(c.rules) do
      if dir == nil or r.dir == nil or r.dir == dir then
        local m = match_any(buf, q, r.starts, false)
        if m == 'yes' and r.kind == 'length' and not length_ok(r, buf, q) then m = 'no' end
        if m ~= 'no' then return c.name end
      end
    end
  end
  return nil
end
-- Bytes the callee dissected (the rest it asked to see again with more data), nil when its script
-- is not loaded. Dissector:call lowers can_desegment by one for the callee, so 2 lets it ask.
local function call_carried(name, ptvb, pinfo, tree, dir)
  local ok, d = pcall(Dissector.get, name)
  if not ok or not d then return nil end
  local saved_can, saved_dir = pinfo.can_desegment, pinfo.private[DIRECTION_KEY]
  pinfo.can_desegment = 2
  pinfo.private[DIRECTION_KEY] = dir or ''
  pinfo.private[BOUNDARY_KEY] = '1'
  d:call(ptvb, pinfo, tree)
  pinfo.private[BOUNDARY_KEY] = ''
  local off, len = pinfo.desegment_offset, pinfo.desegment_len
  pinfo.desegment_offset, pinfo.desegment_len = 0, 0
  pinfo.can_desegment = saved_can
  pinfo.private[DIRECTION_KEY] = saved_dir or ''
  if len > 0 then return off end
  return ptvb:len()
end
local function dissect_carried(st, pinfo, root, dir, at)
  for i = 1, st.nc do
    local c = st.carried[i]
    local sdir = st.dir or dir
    local slot = pinfo.number .. ':' .. at .. ':' .. i
    local rec = carried_seen[slot]
    if rec == nil then
      local key = c.stream .. '/' .. (sdir or '')
      local s = carried_streams[key]
      if not s then s = { held = '' }; carried_streams[key] = s end
      local buf = s.held .. c.bytes
      s.proto = s.proto or payload_protocol(buf, sdir)
      rec = { buf = buf, held = #s.held, proto = s.proto, stream = s }
      if not s.proto then s.held = ''; rec.stream = nil end
      carried_seen[slot] = rec
    end
    local ptvb = ByteArray.new(rec.buf, true):tvb("Payload")
    local item = root:add(ptvb(), 'Payload of ' .. c.stream .. (sdir and (', ' .. sdir) or '') .. ': ' .. #c.bytes ..
      ' bytes' .. (rec.held > 0 and (' after ' .. rec.held .. ' held from earlier lines') or ''))
    if not rec.proto then
      item:add_proto_expert_info(EXPERT_KIND.unknown, #rec.buf .. ' bytes start no frame of ' .. CARRIED_NAMES)
    else
      local used = call_carried(rec.proto, ptvb, pinfo, item, sdir)
      if used == nil then item:append_text(' (load ' .. rec.proto .. '.lua to dissect it)')
      else
        if rec.stream then
          local keep = rec.buf:sub(used + 1)
          rec.stream.held = #keep <= HELD_MAX and keep or ''
          rec.stream = nil
        end
        if used < #rec.buf then item:append_text(', ' .. (#rec.buf - used) .. ' bytes wait for the next line') end
        -- Nothing of the callee's shows: the line is still an AT line.
        if used == 0 then pinfo.cols.protocol:set(PROTO_LABEL) end
      end
    end
  end
end`;

/** `dissect_carried(st, pinfo, root, dir, at)`: a no-op for protocols that carry nothing. */
export function luaCarried(protocol: Protocol, payloads: readonly Protocol[]): string {
  if (!carriesStreams(protocol) || payloads.length === 0) return 'local function dissect_carried() end';
  const names = payloads.map((p) => p.name);
  const list =
    names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0]!;
  return [carriedTable(payloads), `local CARRIED_NAMES = ${luaValue(list)}`, LUA_CARRIED].join('\n');
}
