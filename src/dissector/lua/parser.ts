// The grammar interpreter in Lua: a recursive-descent parser with PEG choice over the plan tables
// that plan.ts derives from a schema. It follows the TypeScript decoder's rules (stop characters,
// positional separators, transparent switches, a second "partial" pass for frames that fail) so
// that fields, values and byte ranges are the same. One parse function per node kind.
import type { Kind } from '../../schema/index.js';

const PARSERS = {
  uint: String.raw`function(st, n, pos, fin, sc)
    local sz = n.sz
    if pos + sz > fin then return fail(st, pos, n.x) end
    local b1, b2, b3, b4 = st.buf:byte(pos + 1, pos + sz)
    local v
    if sz == 1 then v = b1
    elseif sz == 2 then v = n.le and (b1 + b2 * 256) or (b1 * 256 + b2)
    elseif n.le then v = ((b4 * 256 + b3) * 256 + b2) * 256 + b1
    else v = ((b1 * 256 + b2) * 256 + b3) * 256 + b4 end
    local rec = record(st, n, pos, pos + sz, v)
    check_value(st, n, rec, pos, v)
    if n.der then defer(st, n, sc, rec, pos, pos + sz, v, false) end
    st.v = v
    return pos + sz
  end`,
  bcd: String.raw`function(st, n, pos, fin)
    local sz = n.sz
    if pos + sz > fin then return fail(st, pos, n.x) end
    local out, bad = {}, false
    for i = pos + 1, pos + sz do
      local b = st.buf:byte(i)
      local hi, lo = math.floor(b / 16), b % 16
      if hi ~= n.pad then out[#out + 1] = HEX_DIGITS[hi + 1]; if hi > 9 then bad = true end end
      if lo ~= n.pad then out[#out + 1] = HEX_DIGITS[lo + 1]; if lo > 9 then bad = true end end
    end
    local digits = table.concat(out)
    local rec = record(st, n, pos, pos + sz, digits)
    if bad then issue(st, n.path .. '.syntax', 'syntax', rec, 'BCD digits contain non-decimal nibbles (' .. digits .. ')') end
    st.v = digits
    return pos + sz
  end`,
  bytes: String.raw`function(st, n, pos, fin, sc)
    local len
    if n.rest then len = fin - pos
    elseif n.ref then len = tonumber(lookup(sc, n.ref) or '') or -1
    else len = n.sz end
    if len < 0 or len ~= math.floor(len) or pos + len > fin then return fail(st, pos, 'bytes of ' .. n.path) end
    local v = { bytes = st.buf:sub(pos + 1, pos + len) }
    record(st, n, pos, pos + len, v)
    st.v = v
    return pos + len
  end`,
  lit: String.raw`function(st, n, pos, fin)
    local v = n.v
    local q = pos + #v
    if q > fin or st.buf:sub(pos + 1, q) ~= v then return fail(st, pos, n.x) end
    st.v = nil
    record(st, n, pos, q, v)
    return q
  end`,
  oneOf: String.raw`function(st, n, pos, fin)
    for _, o in ipairs(n.opts) do
      local q = pos + #o
      if q <= fin and st.buf:sub(pos + 1, q) == o then
        if n.dirs then st.dir = n.dirs[o] end
        st.v = o
        record(st, n, pos, q, o)
        return q
      end
    end
    return fail(st, pos, n.x)
  end`,
  struct: String.raw`function(st, n, pos, fin, scope)
    local lead, sep = n.lead, n.sep
    if lead and st.buf:sub(pos + 1, pos + #lead) ~= lead then return fail(st, pos, n.xlead) end
    local vals, spans = {}, {}
    local sc = { vals = vals, spans = spans, up = scope }
    local rec = record(st, n, pos, pos, nil)
    local outer = st.par
    if rec then st.par = rec end
    local p = lead and pos + #lead or pos
    local emitted, skipped = 0, false
    local function finish(q, value)
      if rec then st.fields[rec].e = q end
      st.par = outer
      st.v = value
    end
    for _, m in ipairs(n.m) do
      local fend = fin - m.tail
      local start, q = p, -1
      local skip = false
      if sep and not m.zw then
        local need = emitted > 0
        if m.opt then
          if skipped then skip = true
          else
            local mk = mark(st)
            local r = p
            if need then
              if st.buf:sub(r + 1, r + #sep) == sep and r + #sep <= fend then r = r + #sep else r = fail(st, r, n.xsep) end
            end
            if r >= 0 then q = parse(st, m.n, r, fend, sc) else q = -1 end
            if q < 0 or st.v == ABSENT then restore(st, mk); skipped = true; skip = true
            else start = r end
          end
        elseif m.tr then
          st.sepBefore = need and sep or nil
          q = parse(st, m.n, p, fend, sc)
          st.sepBefore = nil
        else
          if need then
            if not (p + #sep <= fend and st.buf:sub(p + 1, p + #sep) == sep) then
              fail(st, p, n.xsep)
              finish(p, vals)
              return -1
            end
            p = p + #sep
            start = p
          end
          q = parse(st, m.n, p, fend, sc)
        end
      else q = parse(st, m.n, p, fend, sc) end
      if not skip then
        if q < 0 then
          if st.partial and m.valued and st.v ~= nil then vals[m.key] = st.v end
          finish(p, vals)
          return -1
        end
        if st.v ~= ABSENT then
          if m.valued then vals[m.key] = st.v end
          if m.span then spans[m.key] = { start, q } end
          if not m.zw then emitted = emitted + 1 end
        end
        p = q
      end
    end
    finish(p, vals)
    return p
  end`,
  switch: String.raw`function(st, n, pos, fin, sc)
    local disc
    if n.on == '$direction' then disc = st.dir else disc = lookup(sc, n.on) end
    local key = type(disc) == 'number' and number_key(disc) or tostring(disc)
    local c = n.cases[key] or n.def
    if not c then return fail(st, pos, 'a case of ' .. n.path .. ' for ' .. n.on .. ' = ' .. key) end
    st.caseStart = pos
    local q = parse_alt(st, c, pos, fin, sc)
    if q < 0 then
      if st.partial then assign_alt(st, n, sc, c, pos, pos) end
      return -1
    end
    return assign_alt(st, n, sc, c, pos, q)
  end`,
  choice: String.raw`function(st, n, pos, fin, sc)
    local furthest, best = -1, n.alts[1]
    local sepBefore = st.sepBefore
    for _, a in ipairs(n.alts) do
      st.sepBefore = sepBefore
      st.caseStart = pos
      local mk = mark(st)
      local beforePos, beforeExp = st.failPos, st.failExp
      st.failPos = -1
      local q = parse_alt(st, a, pos, fin, sc)
      local reached = st.failPos
      if beforePos > reached then st.failPos, st.failExp = beforePos, beforeExp
      elseif beforePos == reached then for _, e in ipairs(beforeExp) do add_expected(st, e) end end
      if q >= 0 then return assign_alt(st, n, sc, a, pos, q) end
      restore(st, mk)
      if reached > furthest then furthest, best = reached, a end
    end
    if st.partial and best then
      st.sepBefore = sepBefore
      parse_alt(st, best, pos, fin, sc)
      assign_alt(st, n, sc, best, pos, pos)
    end
    return -1
  end`,
  optional: String.raw`function(st, n, pos, fin, sc)
    local mk = mark(st)
    local q = parse(st, n.n, pos, fin, sc)
    if q < 0 then restore(st, mk); st.v = ABSENT; return pos end
    return q
  end`,
  repeat: String.raw`function(st, n, pos, fin, sc)
    local items, count = { list = true }, 0
    local rec = record(st, n, pos, pos, nil)
    local outer = st.par
    if rec then st.par = rec end
    local p, sep, max = pos, n.sep, n.max or math.huge
    local partialItem = ABSENT
    while count < max do
      local r = p
      local stop = false
      if sep and count > 0 then
        if st.buf:sub(r + 1, r + #sep) ~= sep or r + #sep > fin then fail(st, r, n.xsep); stop = true
        else r = r + #sep end
      end
      if stop then break end
      local mk = mark(st)
      local q = parse(st, n.n, r, fin, sc)
      if q < 0 and st.partial and count < n.min then partialItem = st.v; break end
      if q < 0 or (q == p and (sep == nil or count > 0)) then restore(st, mk); break end
      count = count + 1
      items[count] = st.v
      p = q
    end
    if rec then st.fields[rec].e = p end
    st.par = outer
    items.n = count
    if count < n.min then
      if partialItem ~= ABSENT then items.n = count + 1; items[count + 1] = partialItem end
      st.v = items
      return fail(st, p, n.xmin)
    end
    st.v = items
    return p
  end`,
  line: String.raw`function(st, n, pos, fin, sc)
    local q = parse(st, n.n, pos, fin, sc)
    if q < 0 then return -1 end
    if q >= fin then return q end
    local b = st.buf:byte(q + 1)
    if b == 13 then
      if q + 1 < fin and st.buf:byte(q + 2) == 10 then return q + 2 end
      return q + 1
    end
    if b == 10 then return q + 1 end
    return fail(st, q, 'end of line')
  end`,
  token: String.raw`function(st, n, pos, fin, sc)
    local buf = st.buf
    local p, value = pos, ''
    if n.quoted and buf:byte(p + 1) == 34 and p < fin then
      local close = buf:find('"', p + 2, true)
      if not close or close > fin then return fail(st, fin, "closing '\"'") end
      value = buf:sub(p + 2, close - 1)
      p = close
    elseif n.quoted == 'always' then return fail(st, p, "'\"'")
    else
      if n.stop then
        local s = buf:find(n.stop, p + 1)
        p = (s and s - 1 < fin) and s - 1 or fin
      else p = fin end
      value = buf:sub(pos + 1, p)
    end
    local rec = record(st, n, pos, p, value)
    if value ~= '' then
      if not SYNTAX[n.syn](value) then issue(st, n.path .. '.syntax', 'syntax', rec, n.path .. ' "' .. value .. '" is not ' .. n.syn) end
      if n.len and (#value < n.len[1] or #value > n.len[2]) then
        issue(st, n.path .. '.syntax', 'syntax', rec, n.path .. ' "' .. value .. '" has ' .. #value .. ' characters, expected ' .. n.len[1] .. ' to ' .. n.len[2])
      end
      check_value(st, n, rec, pos, value)
    end
    if n.der then defer(st, n, sc, rec, pos, p, value, true) end
    if n.carries then carry(st, n, sc, value) end
    st.v = value
    return p
  end`,
  computed: String.raw`function(st, n, pos, fin, sc)
    local args = {}
    for i, name in ipairs(n.args) do
      local v = lookup(sc, name)
      if v == nil then st.v = nil; return pos end
      args[i] = v
    end
    local value = COMPUTE[n.fn](args, n.o)
    st.v = value
    if value == nil then return pos end
    local s, e = math.huge, -math.huge
    for _, name in ipairs(n.args) do
      local sp = lookup_span(sc, name)
      if sp then s = math.min(s, sp[1]); e = math.max(e, sp[2]) end
    end
    if s == math.huge then s, e = pos, pos end
    local rec = record(st, n, s, e, value)
    if rec then st.fields[rec].gen = true end
    return pos
  end`,
} satisfies Record<Kind, string>;

const STATE = String.raw`local ABSENT = {}
local HEX_DIGITS = { '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f' }
local SYNTAX = {
  digits = function(s) return not s:find('[^0-9]') end,
  integer = function(s) return s:match('^%-?%d+$') ~= nil end,
  decimal = function(s) return s:match('^%-?%d+$') ~= nil or s:match('^%-?%d+%.%d+$') ~= nil end,
  hex = function(s) return not s:find('[^0-9A-Fa-f]') end,
  alnum = function(s) return not s:find('[^0-9A-Za-z]') end,
  text = function() return true end,
}
local function new_state(buf, partial, dir)
  return { buf = buf, fields = {}, nf = 0, issues = {}, ni = 0, def = {}, nd = 0, carried = {}, nc = 0,
    failPos = -1, failExp = {}, caseStart = 0, dir = dir, partial = partial, par = nil }
end
local function lookup(sc, name)
  while sc do
    local v = sc.vals[name]
    if v ~= nil then return v end
    sc = sc.up
  end
end
local function lookup_span(sc, name)
  while sc do
    local v = sc.spans[name]
    if v ~= nil then return v end
    sc = sc.up
  end
end
local function number_key(x)
  if x == math.floor(x) and math.abs(x) < 2 ^ 53 then return string.format('%d', x) end
  return tostring(x)
end
local function mark(st) return { st.nf, st.ni, st.nd, st.nc } end
local function restore(st, m) st.nf, st.ni, st.nd, st.nc = m[1], m[2], m[3], m[4] end
local function add_expected(st, e)
  for _, x in ipairs(st.failExp) do if x == e then return end end
  st.failExp[#st.failExp + 1] = e
end
local function fail(st, pos, expected)
  if pos > st.failPos then st.failPos = pos; st.failExp = { expected }
  elseif pos == st.failPos then add_expected(st, expected) end
  return -1
end
local function record(st, n, s, e, v)
  if not n.f then return nil end
  st.nf = st.nf + 1
  st.fields[st.nf] = { n = n, s = s, e = e, v = v, par = st.par }
  return st.nf
end
local function issue(st, id, kind, rec, msg)
  st.ni = st.ni + 1
  st.issues[st.ni] = { id = id, kind = kind, rec = rec, msg = msg }
end
local function check_value(st, n, rec, pos, v)
  if n.names then
    local key = type(v) == 'number' and number_key(v) or v
    if not n.names[key] then
      local shown = type(v) == 'number' and string.format('0x%02x', v) or ('"' .. v .. '"')
      issue(st, n.path .. '.unknown', 'unknown', rec, n.path .. ' value ' .. shown .. ' is not described by the documents')
    end
  end
  if n.rng then
    local x = v
    if type(v) == 'string' then x = trim(v) ~= '' and tonumber(v) or nil end
    if x and x == x and (x < n.rng[1] or x > n.rng[2]) then
      issue(st, n.path .. '.range', 'range', rec, n.path .. ' ' .. tostring(v) .. ' is outside the documented range [' .. n.rng[1] .. ', ' .. n.rng[2] .. ']')
    end
  end
end
local function defer(st, n, sc, rec, s, e, v, text)
  st.nd = st.nd + 1
  st.def[st.nd] = { n = n, sc = sc, rec = rec, s = s, e = e, v = v, text = text }
end
local function carry(st, n, sc, text)
  local keys = {}
  for i, k in ipairs(n.carries) do keys[i] = k .. '=' .. tostring(lookup(sc, k)) end
  local raw = not (#text % 2 == 0 and text:match('^%x*$'))
  local bytes = raw and text or text:gsub('%x%x', function(h) return string.char(tonumber(h, 16)) end)
  if #bytes > 0 then
    st.nc = st.nc + 1
    st.carried[st.nc] = { stream = table.concat(keys, ','), bytes = bytes }
  end
end`;

const ALTERNATIVES = String.raw`local function parse_alt(st, a, pos, fin, sc)
  local sep = st.sepBefore
  if a.nested then return parse(st, a.n, pos, fin, sc) end
  st.sepBefore = nil
  local start = pos
  if sep ~= nil and not a.empty then start = pos + #sep end
  if start ~= pos and not (start <= fin and st.buf:sub(pos + 1, start) == sep) then return fail(st, pos, '"' .. sep .. '"') end
  local q = parse(st, a.n, start, fin, sc)
  st.caseStart = start
  return q
end
local function assign_alt(st, owner, sc, a, pos, q)
  local start = a.nested and pos or math.min(st.caseStart, q)
  if owner.mspan then sc.spans[owner.mk] = { start, q } end
  if a.nested then return q end
  local v = st.v
  if owner.mk then
    sc.vals[a.label] = v
    if a.lspan then sc.spans[a.label] = { start, q } end
  else st.v = { [a.label] = v } end
  return q
end`;

/** The parser state, `parse(st, node, pos, fin, scope)` and one parse function per node kind. */
export function luaParser(): string {
  const entries = Object.entries(PARSERS).map(([kind, fn]) => `PARSE[${JSON.stringify(kind)}] = ${fn}`);
  return [
    STATE,
    'local PARSE = {}',
    String.raw`local function parse(st, n, pos, fin, sc)
  local q = PARSE[n.k](st, n, pos, fin, sc)
  if n.dev and q >= 0 and st.v ~= ABSENT then issue(st, n.path .. '.deviation', 'deviation', nil, n.dev) end
  return q
end`,
    ALTERNATIVES,
    ...entries,
  ].join('\n');
}
