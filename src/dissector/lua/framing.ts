// Cutting a TCP stream or a UDP datagram into frames in Lua, following the schema's framing
// declarations the way the TypeScript framer does: start patterns, a guarded length field (magic,
// bounds, trailer; otherwise the first trailer followed by a new frame), delimiters, lines and fixed
// sizes. A frame that is not complete asks TCP for more (exact byte count when the length is known);
// bytes that start no frame become one junk item with an expert, and parsing resumes at the next
// frame start, so a bogus length or a garbage prefix never swallows the stream.
export const LUA_FRAMING = String.raw`local LINE_END = { [10] = true, [13] = true }
-- Set while dissecting a whole message (one carried payload): a frame may end where the data ends,
-- but one still missing its end keeps waiting (the TypeScript framer's "boundary").
local boundary = false
local CLASS = {
  digit = function(b) return b >= 48 and b <= 57 end,
  hex = function(b) return (b >= 48 and b <= 57) or (b >= 65 and b <= 70) or (b >= 97 and b <= 102) end,
  alpha = function(b) return (b >= 65 and b <= 90) or (b >= 97 and b <= 122) end,
  alnum = function(b) return (b >= 48 and b <= 57) or (b >= 65 and b <= 90) or (b >= 97 and b <= 122) end,
  upper = function(b) return b >= 65 and b <= 90 end,
  print = function(b) return b >= 32 and b < 127 end,
}
local function match_pattern(buf, pos, pat, eof)
  local p, n = pos, #buf
  for _, atom in ipairs(pat) do
    if atom.lit then
      for i = 1, #atom.lit do
        if p >= n then return eof and 'no' or 'partial' end
        if buf:byte(p + 1) ~= atom.lit:byte(i) then return 'no' end
        p = p + 1
      end
    else
      local test, c = CLASS[atom.cls], 0
      while c < atom.max and p < n and test(buf:byte(p + 1)) do c = c + 1; p = p + 1 end
      if p >= n and c < atom.max and not eof then return 'partial' end
      if c < atom.min then return 'no' end
    end
  end
  return 'yes'
end
local function can_start(atom, b)
  if atom.lit then return atom.lit:byte(1) == b end
  return CLASS[atom.cls](b)
end
local function match_any(buf, pos, pats, eof)
  if pos >= #buf then return (#pats == 0 or eof) and 'no' or 'partial' end
  local b, result = buf:byte(pos + 1), 'no'
  for _, pat in ipairs(pats) do
    if pat[1] and can_start(pat[1], b) then
      local m = match_pattern(buf, pos, pat, eof)
      if m == 'yes' then return 'yes' end
      if m == 'partial' then result = 'partial' end
    end
  end
  return result
end
local function starts_at(buf, pos, text) return buf:sub(pos + 1, pos + #text) == text end
local function length_end(r, buf, p, eof)
  local n, tr = #buf, r.trailer
  local len_end = p + r.off + r.size
  if len_end > n then if eof then return 'none' end return 'more' end
  local len = 0
  for i = p + r.off + 1, len_end do len = len * 256 + buf:byte(i) end
  -- A plausible length whose end is not the trailer is trusted when no trailer ends the frame
  -- before it and the next frame (or the end of the data) starts there: a wrong terminator.
  local len_at = nil
  if len >= r.min and len <= r.max then
    if p + len <= n then
      if starts_at(buf, p + len - #tr, tr) then return p + len end
      len_at = p + len
    elseif not eof then return 'more', p + len - n end
  end
  local final = eof or boundary
  local function at_length_end()
    local e = len_at
    len_at = nil
    local m = e >= n and (final and 'yes' or 'partial') or match_any(buf, e, r.starts, final)
    if m == 'yes' then return e end
    if m == 'partial' then return 'more' end
    return nil
  end
  for t = p + r.min - #tr, math.min(n, p + r.max) - #tr do
    if len_at and t + #tr > len_at then
      local res = at_length_end()
      if res then return res end
    end
    if starts_at(buf, t, tr) then
      local e = t + #tr
      -- A trailer at the end of a segment ends the frame: TCP gives no end-of-data signal.
      if e == n then return e end
      local q = e
      while q < n and buf:byte(q + 1) == 0 and q - e < 2 do q = q + 1 end
      local m = q >= n and (final and 'yes' or 'partial') or match_any(buf, q, r.starts, final)
      if m == 'partial' then return 'more' end
      if m == 'yes' then return e end
    end
  end
  if len_at then
    local res = at_length_end()
    if res then return res end
  end
  if n - p < r.max and not eof then return 'more' end
  return 'none'
end
local function delimited_end(r, buf, p, eof)
  local n = #buf
  local limit = math.min(n, p + r.max)
  for i = p + 1, limit - 1 do
    local b = buf:byte(i + 1)
    if r.before_next and LINE_END[b] then
      local q = i
      while q < n and LINE_END[buf:byte(q + 1)] do q = q + 1 end
      if q > i and q < n then
        local m = match_any(buf, q, ALL_STARTS, eof or boundary)
        if m == 'partial' then return 'more' end
        if m == 'yes' then return i end
      elseif q >= n and not eof and not boundary then return 'more' end
    end
    for _, marker in ipairs(r.markers) do
      if marker:byte(1) == b or marker == '' then
        if not starts_at(buf, i, marker) then
          if i + #marker > n and starts_at(buf, i, marker:sub(1, n - i)) and not eof then return 'more' end
        else
          local e = i + #marker
          if not r.followed then return e end
          -- A marker that ends the data ends the frame: a TCP segment end is the only boundary.
          if e >= n then return e end
          if LINE_END[buf:byte(e + 1)] then return e end
          local m = match_any(buf, e, ALL_STARTS, eof or boundary)
          if m == 'partial' then return 'more' end
          if m == 'yes' then return e end
        end
      end
    end
  end
  if limit >= p + r.max then return 'none' end
  if eof then return n end
  return 'more'
end
local function line_end(r, buf, p, eof)
  local n = #buf
  for i = p, n - 1 do
    if LINE_END[buf:byte(i + 1)] then return i end
    if i - p > r.max then return 'none' end
  end
  if eof or boundary then return n end
  return 'more'
end
local function fixed_end(r, buf, p, eof)
  local n = #buf
  local final = eof or boundary
  if not final then
    for _, size in ipairs(r.sizes) do if p + size >= n then return 'more' end end
  end
  local best_end, best_rank = nil, nil
  for _, size in ipairs(r.sizes) do
    local e = p + size
    if e <= n then
      local rank
      if e == n then rank = 0
      else
        local q = e
        while q < n and LINE_END[buf:byte(q + 1)] do q = q + 1 end
        if q == n and not final then return 'more' end
        local start = q < n and match_any(buf, q, ALL_STARTS, final) or 'yes'
        if start == 'partial' then return 'more' end
        if start == 'yes' then rank = q > e and 0 or 1 else rank = q > e and 2 or 3 end
      end
      if best_rank == nil or rank < best_rank then best_end, best_rank = e, rank end
    end
  end
  return best_end or 'none'
end
local END_OF = { length = length_end, delimited = delimited_end, line = line_end, fixed = fixed_end }
local function frame_at(buf, p, eof, line_start, dir)
  for _, r in ipairs(RULES) do
    local m
    if dir and r.ft.dir and r.ft.dir ~= dir then m = 'no'
    elseif r.starts then m = match_any(buf, p, r.starts, eof) else m = line_start and 'yes' or 'no' end
    if m == 'partial' then return 'more' end
    if m == 'yes' then
      local e, need = END_OF[r.kind](r, buf, p, eof)
      if e == 'more' then return 'more', need end
      if e ~= 'none' then
        local t = e
        if r.swallow then while t < #buf and LINE_END[buf:byte(t + 1)] do t = t + 1 end end
        return r, e, t
      end
    end
  end
  return nil
end
-- A length-framed start is only plausible when its length field is in bounds.
local function length_ok(r, buf, q)
  if q + r.off + r.size > #buf then return true end
  local len = 0
  for i = q + r.off + 1, q + r.off + r.size do len = len * 256 + buf:byte(i) end
  return len >= r.min and len <= r.max
end
local function next_start(buf, from, eof)
  for i = from, #buf - 1 do
    local b = buf:byte(i + 1)
    if HAS_LINE_RULES and LINE_END[buf:byte(i)] and not LINE_END[b] then return i end
    if match_any(buf, i, ALL_STARTS, eof) ~= 'no' then return i end
  end
  return #buf
end`;

/** The dissector proper: frames of a stream or datagram, each decoded and added to the tree. */
export const LUA_DISSECT = String.raw`local function dissect_bytes(tvb, pinfo, tree, datagram)
  local buf = tvb:raw()
  local n = #buf
  local can = (not datagram) and pinfo.can_desegment > 0
  local validate = p.prefs.validate_checksums
  local dir = packet_direction(pinfo)
  boundary = pinfo.private[BOUNDARY_KEY] == '1'
  pinfo.cols.protocol:set(PROTO_LABEL)
  pinfo.cols.info:clear()
  local pos = 0
  while pos < n do
    if LINE_END[buf:byte(pos + 1)] then
      while pos < n and LINE_END[buf:byte(pos + 1)] do pos = pos + 1 end
    else
      local line_start = pos == 0 or LINE_END[buf:byte(pos)]
      local r, e, t = frame_at(buf, pos, datagram, line_start, dir)
      local incomplete = false
      if r == 'more' then
        if can then
          pinfo.desegment_offset = pos
          pinfo.desegment_len = e or DESEGMENT_ONE_MORE_SEGMENT
          return n
        end
        incomplete = true
        r, e, t = frame_at(buf, pos, true, line_start, dir)
        if r == 'more' then r = nil end
      end
      if r then
        local st = decode_frame(r.ft, buf:sub(pos + 1, e), validate)
        local root = add_tree(tvb, tree, pos, e - pos, r.ft, st)
        if incomplete then root:add_proto_expert_info(EXPERT_KIND.incomplete, 'the frame is not complete in this capture') end
        pinfo.cols.info:append(r.ft.title .. (st.ok and '' or ' [malformed]') .. ' ')
        pinfo.cols.info:fence()
        if st.nc > 0 then dissect_carried(st, pinfo, root, dir, pos) end
        pos = t
      else
        local q = next_start(buf, pos + 1, true)
        local item = tree:add(p, tvb(pos, q - pos))
        item:add(F[UNDECODED], tvb(pos, q - pos))
        item:add_proto_expert_info(EXPERT_KIND.junk, (q - pos) .. ' bytes start no ' .. PROTO_NAME .. ' frame')
        pinfo.cols.info:append('[' .. (q - pos) .. ' undecoded bytes] ')
        pinfo.cols.info:fence()
        pos = q
      end
    end
  end
  return n
end
-- A conversation is claimed when a device-opened frame type starts at the beginning (a plausible
-- prefix is enough) or, after garbage (a capture started mid-stream), fully matches within 64 bytes.
local function claim_at(buf, q, partial_ok)
  for _, r in ipairs(RULES) do
    if r.claims then
      local m = match_any(buf, q, r.starts, false)
      if m == 'yes' and r.kind == 'length' and not length_ok(r, buf, q) then m = 'no' end
      if m == 'yes' or (m == 'partial' and partial_ok) then return true end
    end
  end
  return false
end
local function claims(tvb)
  local buf = tvb:raw(0, math.min(tvb:len(), 64))
  local q = 0
  while q < #buf and LINE_END[buf:byte(q + 1)] do q = q + 1 end
  if q >= #buf then return false end
  if claim_at(buf, q, true) then return true end
  for i = q + 1, #buf - 1 do
    if claim_at(buf, i, false) then return true end
  end
  return false
end`;
