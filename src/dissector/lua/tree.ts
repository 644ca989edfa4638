// Decoding one frame (two passes when the grammar fails, as the TypeScript decoder does), verifying
// derived lengths, counts and checksums, and turning the field records into a Wireshark tree with
// exact byte ranges, generated items for computed values and checksum results, and expert items.
export const LUA_FRAME = String.raw`local function text_number(v, hex_digits)
  if type(v) ~= 'string' or v == '' then return nil end
  if hex_digits then if v:match('^%x+$') then return tonumber(v, 16) end return nil end
  if v:match('^%d+$') then return tonumber(v) end
end
local function show_hex(x, width) return string.format('%0' .. (width * 2) .. 'X', x) end
local function verify(st, len, validate)
  for i = 1, st.nd do
    local d = st.def[i]
    local der, path = d.n.der, d.n.path
    local actual = d.v
    if d.text then actual = text_number(d.v, der.k == 'checksum') end
    local shown = actual ~= nil and tostring(actual) or ('"' .. tostring(d.v) .. '"')
    if der.k == 'lengthOf' then
      local sp = der.target == '$frame' and { 0, len } or lookup_span(d.sc, der.target)
      if sp and actual ~= sp[2] - sp[1] then
        issue(st, path .. '.bad', 'length', d.rec, path .. ' says ' .. shown .. ' bytes but ' ..
          (der.target == '$frame' and 'the frame has ' or (der.target .. ' has ')) .. (sp[2] - sp[1]))
      end
    elseif der.k == 'countOf' then
      local target = lookup(d.sc, der.target)
      if type(target) == 'table' and target.list and actual ~= target.n then
        issue(st, path .. '.bad', 'count', d.rec, path .. ' says ' .. shown .. ' ' .. der.target .. ' but ' .. target.n .. ' follow')
      end
    else
      local from = der.from == '$frame' and 0 or (lookup_span(d.sc, der.from) or {})[1]
      local to = der.to == '$frame' and d.s or (lookup_span(d.sc, der.to) or {})[2]
      if from ~= nil and to ~= nil and d.rec then
        local rec = st.fields[d.rec]
        if validate then
          local expected = CHECKSUM[der.algo](st.buf, from, to, der.init)
          rec.ck = { expected = expected, good = actual == expected }
          if actual ~= expected then
            issue(st, path .. '.bad', 'checksum', d.rec, path .. ' is ' .. (actual and ('0x' .. show_hex(actual, der.width)) or shown) ..
              ', ' .. der.algo .. ' of bytes ' .. from .. '..' .. (to - 1) .. ' is 0x' .. show_hex(expected, der.width))
          end
        else rec.ck = { unverified = true } end
      end
    end
  end
end
local function decode_frame(ft, buf, validate)
  local st = new_state(buf, false, ft.dir)
  local q = parse(st, ft.root, 0, #buf, nil)
  if q < 0 then
    local failPos, expected = st.failPos, table.concat(st.failExp, ' or ')
    st = new_state(buf, true, ft.dir)
    parse(st, ft.root, 0, #buf, nil)
    local got = failPos < #buf and ('"' .. buf:sub(failPos + 1, failPos + 12) .. '"') or 'the end of the frame'
    issue(st, PROTO_NAME .. '.malformed', 'malformed', nil, 'expected ' .. expected .. ' at byte ' .. failPos .. ', found ' .. got)
  elseif q < #buf then
    issue(st, PROTO_NAME .. '.trailing', 'trailing', nil, (#buf - q) .. ' bytes after the end of the ' .. ft.name .. ' at byte ' .. q)
  end
  verify(st, #buf, validate)
  st.ok = q >= 0
  return st
end
local CHECKSUM_STATUS = { bad = 0, good = 1, unverified = 2 }
local function add_value(parent, r, range)
  local n = r.n
  local field, t = F[n.f], n.t
  if t == 'none' or t == 'bytes' then return parent:add(field, range) end
  if t == 'uint' then
    if n.le then return parent:add_le(field, range) end
    return parent:add(field, range)
  end
  if t == 'time' then
    local secs = math.floor(r.v)
    return parent:add(field, range, NSTime.new(secs, math.floor((r.v - secs) * 1e9 + 0.5)))
  end
  return parent:add(field, range, r.v)
end
local function add_tree(tvb, tree, off, len, ft, st)
  local root = tree:add(p, tvb(off, len))
  root:append_text(', ' .. ft.title)
  local items = {}
  for i = 1, st.nf do
    local r = st.fields[i]
    local parent = (r.par and items[r.par]) or root
    local range = tvb(off + r.s, r.e - r.s)
    local item = add_value(parent, r, range)
    local names = r.n.names
    if names and r.n.t == 'string' and names[r.v] then item:append_text(' (' .. names[r.v] .. ')') end
    if r.gen then item:set_generated() end
    if r.ck then
      local f = r.n.f
      if r.ck.unverified then
        item:add(F[f .. '.status'], range, CHECKSUM_STATUS.unverified):set_generated()
      else
        item:add(F[f .. '.calculated'], range, r.ck.expected):set_generated()
        item:add(F[f .. '.status'], range, r.ck.good and CHECKSUM_STATUS.good or CHECKSUM_STATUS.bad):set_generated()
      end
    end
    items[i] = item
  end
  for i = 1, st.ni do
    local it = st.issues[i]
    local target = (it.rec and items[it.rec]) or root
    target:add_proto_expert_info(EXPERT[it.id] or EXPERT_KIND[it.kind] or EXPERT_KIND.malformed, it.msg)
  end
  return root
end`;
