// AT modem logs in Wireshark: a Lua file reader (FileHandler) that makes every non-blank line of a
// modem transcript one record, stamped from its prefix, and a small protocol for those records that
// shows the prefix (timestamp, direction marker) and dissects the body as an AT frame. The prefix
// grammar is src/capture/at-log.ts's (same stamps, markers, separators and direction inference); the
// line splitting is LineSplitter's (CRLF, LF and bare CR; blank lines skipped). Lua 5.2, no globals.

/** The wiretap encapsulation of the records: USER15, the user DLT least likely to be configured. */
const AT_LOG_ENCAP = 'USER15';

/** Parsing one line's prefix (1-based positions inside, 0-based offsets out). */
const LUA_PREFIX = String.raw`local function skip_blanks(s, i)
  while i <= #s do
    local b = s:byte(i)
    if b ~= 32 and b ~= 9 then break end
    i = i + 1
  end
  return i
end
local function skip_white(s, i)
  while i <= #s and s:sub(i, i):match('%s') do i = i + 1 end
  return i
end
-- '.123', ',123' (at most 9 digits read) or ':123' (exactly three): digits and the end, or nil.
local function read_fraction(s, i)
  local c = s:sub(i, i)
  if c == '.' or c == ',' then
    local d = s:match('^%d+', i + 1)
    if d then d = d:sub(1, 9); return d, i + 1 + #d end
  elseif c == ':' then
    local d = s:match('^%d%d%d', i + 1)
    if d and not s:sub(i + 4, i + 4):match('%d') then return d, i + 4 end
  end
  return nil, i
end
local function nanos(digits)
  if not digits then return 0 end
  return tonumber((digits .. '000000000'):sub(1, 9))
end
local DAYS_IN_MONTH = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
local function valid_date(y, mo, d)
  if mo < 1 or mo > 12 or d < 1 or d > DAYS_IN_MONTH[mo] then return false end
  if mo == 2 and d == 29 then return y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0) end
  return true
end
local function read_bare_stamp(s, i, bracketed)
  local y, mo, d, h, mi, sec = s:match('^(%d%d%d%d)[-/.](%d%d?)[-/.](%d%d?)[T ](%d%d?):(%d%d):(%d%d)', i)
  if y then
    local e = i + #y + #mo + #d + #h + 9
    local frac
    frac, e = read_fraction(s, e)
    local zone = 0
    if s:sub(e, e) == 'Z' then e = e + 1
    else
      local sign, zh, zm = s:match('^([+-])(%d%d):?(%d%d)', e)
      if sign then
        zone = (sign == '-' and -1 or 1) * (tonumber(zh) * 3600 + tonumber(zm) * 60)
        e = e + #s:match('^[+-]%d%d:?%d%d', e)
      end
    end
    y, mo, d, h, mi, sec = tonumber(y), tonumber(mo), tonumber(d), tonumber(h), tonumber(mi), tonumber(sec)
    if valid_date(y, mo, d) and h <= 23 and mi <= 59 and sec <= 60 then
      local secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - zone
      return { kind = 'unix', secs = secs, nsecs = nanos(frac), s = i, e = e }
    end
  end
  h, mi, sec = s:match('^(%d%d?):(%d%d):(%d%d)', i)
  if h then
    local e = i + #h + 6
    local frac
    frac, e = read_fraction(s, e)
    h, mi, sec = tonumber(h), tonumber(mi), tonumber(sec)
    if h <= 23 and mi <= 59 and sec <= 60 then
      return { kind = 'time-of-day', secs = h * 3600 + mi * 60 + sec, nsecs = nanos(frac), s = i, e = e }
    end
  end
  -- A bare '12.345' at the start of a line could be data: relative stamps need their brackets.
  if bracketed then
    local whole, frac = s:match('^(%d+)%.(%d+)', i)
    if whole then
      return { kind = 'relative', secs = tonumber(whole), nsecs = nanos(frac), s = i, e = i + #whole + 1 + #frac }
    end
  end
  return nil
end
local CLOSING = { ['['] = ']', ['('] = ')' }
local function read_stamp(s, i)
  local close = CLOSING[s:sub(i, i)]
  if close then
    local t = read_bare_stamp(s, skip_blanks(s, i + 1), true)
    if not t then return nil end
    local e = skip_blanks(s, t.e)
    if s:sub(e, e) ~= close then return nil end
    t.s, t.e = i, e + 1
    return t
  end
  local t = read_bare_stamp(s, i, false)
  -- A bare stamp ends at a word boundary, or '12:33:18abc' would lose its first eight characters.
  if not t or s:sub(t.e, t.e):match('%w') then return nil end
  return t
end
local function is_at_command(body)
  local l = body:match('^%s*(.-)%s*$'):lower()
  if l:sub(1, 2) == 'a/' then return true end
  if l:sub(1, 2) ~= 'at' then return false end
  local c = l:sub(3, 3)
  if c == '' then return true end
  if not c:match('[%sa-z]') then return true end
  local run = #l:match('^[a-z]*', 3)
  return run >= 1 and run <= 2
end
local MARKER_WORDS = { 'TX', 'SEND', 'SENT', 'SND', 'RX', 'RECV', 'RCVD', 'RCV' }
local TX_WORDS = { TX = true, SEND = true, SENT = true, SND = true }
local ARROWS = { { '-->', 'tx' }, { '<--', 'rx' }, { '>>', 'tx' }, { '<<', 'rx' }, { '->', 'tx' }, { '<-', 'rx' } }
local function read_marker(s, i)
  if s:sub(i, i) == '[' then
    local j = skip_white(s, i + 1)
    for _, w in ipairs(MARKER_WORDS) do
      if s:sub(j, j + #w - 1):upper() == w then
        local k = skip_white(s, j + #w)
        if s:sub(k, k) == ']' then return { dir = TX_WORDS[w] and 'tx' or 'rx', s = i, e = k + 1 } end
      end
    end
  end
  for _, w in ipairs(MARKER_WORDS) do
    if s:sub(i, i + #w - 1):upper() == w then
      local k = skip_white(s, i + #w)
      if s:sub(k, k) == ':' then return { dir = TX_WORDS[w] and 'tx' or 'rx', s = i, e = k + 1 } end
    end
  end
  for _, a in ipairs(ARROWS) do
    if s:sub(i, i + #a[1] - 1) == a[1] then return { dir = a[2], s = i, e = i + #a[1] } end
  end
  -- A lone '>' is the data prompt and stays a body, unless an AT command follows it.
  local c, nxt = s:sub(i, i), s:sub(i + 1, i + 1)
  if c == '>' and nxt:match('%s') and is_at_command(s:sub(i + 1)) then return { dir = 'tx', s = i, e = i + 1 } end
  if c == '<' and nxt:match('%s') then return { dir = 'rx', s = i, e = i + 1 } end
  return nil
end
local function skip_separator(s, i)
  local c = s:sub(i, i)
  if c == ':' or c == '|' then i = i + 1 end
  local j = skip_blanks(s, i)
  c = s:sub(j, j)
  if (c == '|' or c == '-' or c == ':') and s:sub(j + 1, j + 1):match('%s') then return j + 1 end
  return i
end
-- The line's stamp and marker ({ s, e } 1-based, e exclusive), its direction ('tx'/'rx', and whether
-- a marker said so) and the 0-based offset of its body.
local function parse_log_line(s)
  local pos = s:sub(1, 3) == '\239\187\191' and 4 or 1
  local bom = pos
  local stamp, marker, prefix_end
  while true do
    local start = skip_blanks(s, pos)
    local t = (not stamp) and read_stamp(s, start) or nil
    local m = (not t and not marker) and read_marker(s, start) or nil
    if t then stamp = t elseif m then marker = m else break end
    pos = skip_separator(s, (t or m).e)
    prefix_end = pos
  end
  local body = prefix_end and skip_blanks(s, prefix_end) or bom
  local line = { stamp = stamp, marker = marker, body = body - 1 }
  if marker then line.dir = marker.dir
  else
    local text = s:sub(body)
    if text:match('%S') then line.dir = is_at_command(text) and 'tx' or 'rx'; line.inferred = true end
  end
  return line
end
local RESULT_CODES = { 'OK', 'ERROR', 'CONNECT', 'NO CARRIER', 'RING', 'BUSY', 'NO ANSWER', 'NO DIALTONE', 'SEND OK', 'SEND FAIL', 'RDY', 'CLOSED' }
-- What a modem conversation is made of: a command, a '+NAME' or '^NAME' line, a final result code,
-- the '>' prompt or a numeric code. Payload data lines are not counted: they can be anything.
local function is_at_like(body)
  local t = body:match('^%s*(.-)%s*$')
  if is_at_command(t) or t:match('^[+^][A-Za-z]') or t:sub(1, 1) == '>' or t:match('^%d%d?%d?%d?$') then return true end
  local u = t:upper()
  for _, code in ipairs(RESULT_CODES) do
    if u:sub(1, #code) == code and not u:sub(#code + 1, #code + 1):match('[%w_]') then return true end
  end
  return false
end`;

/** The file reader: one record per non-blank line, on the AT-log encapsulation. */
const LUA_READER = String.raw`local LOG_ENCAP = wtap_encaps.${AT_LOG_ENCAP}
local READ_CHUNK = 4096
-- Wireshark's largest standard record; a longer line goes on in the next record.
local MAX_LINE = 262144
local SAMPLE = 65536
local SAMPLE_LINES = 64
-- The next line from the file position: its offset and text without the line end (CRLF, LF or a
-- bare CR); nil at the end of the file. The file is left just after the line end.
local function next_line(file)
  local start = file:seek()
  local parts, len = {}, 0
  while true do
    local chunk = file:read(math.min(READ_CHUNK, MAX_LINE - len))
    if chunk == nil or #chunk == 0 then
      if len == 0 then return nil end
      return start, table.concat(parts)
    end
    local e = chunk:find('[\r\n]')
    if e then
      parts[#parts + 1] = chunk:sub(1, e - 1)
      local after = start + len + e
      if chunk:byte(e) == 13 then
        local nxt
        if e < #chunk then nxt = chunk:sub(e + 1, e + 1) else file:seek('set', after); nxt = file:read(1) end
        if nxt == '\n' then after = after + 1 end
      end
      file:seek('set', after)
      return start, table.concat(parts)
    end
    parts[#parts + 1] = chunk
    len = len + #chunk
    if len >= MAX_LINE then return start, table.concat(parts) end
  end
end
local function blank(text) return not text:match('%S') end
-- Text (at most 2% control or non-ASCII bytes, as trackshark's input detection allows) whose
-- non-blank lines are mostly AT-like or carry a direction marker. Binary captures fail the first test.
local function looks_like_at_log(file)
  local sample = file:read(SAMPLE)
  if sample == nil or #sample == 0 then return false end
  local _, other = sample:gsub('[\0-\8\11\12\14-\31\127-\255]', '')
  if other > #sample * 0.02 then return false end
  -- The last line of a cut sample is a fragment; a whole short file keeps it.
  if #sample == SAMPLE then sample = sample:match('^(.*)[\r\n]') or sample end
  local lines, votes = 0, 0
  for text in sample:gmatch('[^\r\n]+') do
    if not blank(text) then
      text = text:sub(1, 4096)
      local l = parse_log_line(text)
      local body = text:sub(l.body + 1)
      lines = lines + 1
      if is_at_like(body) or (l.marker and not blank(body)) then votes = votes + 1 end
      if lines == SAMPLE_LINES then break end
    end
  end
  return lines > 0 and votes * 2 >= lines and votes >= math.min(lines, 2)
end
local function fill_record(frame, text)
  local l = parse_log_line(text)
  frame.rec_type = wtap_rec_types.PACKET
  frame.encap = LOG_ENCAP
  frame.captured_length = #text
  frame.original_length = #text
  -- Only dated stamps are wall-clock times; a time of day or a relative stamp counts from the epoch
  -- (the log does not say which day), which keeps deltas and relative times right.
  if l.stamp then
    frame.flags = wtap_presence_flags.TS
    frame.time = NSTime.new(l.stamp.secs, l.stamp.nsecs)
  else frame.flags = 0 end
  frame.data = text
end
local function read_record(file, capture, frame)
  while true do
    local offset, text = next_line(file)
    if offset == nil then return false end
    if not blank(text) then
      fill_record(frame, text)
      return offset
    end
  end
end
local function seek_record(file, capture, frame, offset)
  file:seek('set', offset)
  local at, text = next_line(file)
  if at == nil then return false end
  fill_record(frame, text)
  return true
end
local log_reader = FileHandler.new("AT modem log (trackshark)", "trackshark_at_log",
  "AT modem transcript: one record per non-blank line, timestamp and direction from the line prefix", "r")
log_reader.extensions = "log;txt"
log_reader.read_open = function(file, capture)
  if not looks_like_at_log(file) then return false end
  file:seek('set', 0)
  capture.encap = LOG_ENCAP
  capture.time_precision = wtap_tsprecs.NSEC
  return true
end
log_reader.read = read_record
log_reader.seek_read = seek_record
log_reader.read_close = function() return true end
log_reader.seq_read_close = function() return true end
register_filehandler(log_reader)`;

/** The records' protocol: the prefix as fields, then the body dissected as an AT frame. */
const LUA_LOG_PROTO = String.raw`local log_proto = Proto(LOG_PROTO_NAME, "AT modem log line")
local LOG_F = {
  timestamp = ProtoField.string(LOG_PROTO_NAME .. ".timestamp", "Timestamp (as written)"),
  marker = ProtoField.string(LOG_PROTO_NAME .. ".marker", "Direction marker"),
  direction = ProtoField.string(LOG_PROTO_NAME .. ".direction", "Direction"),
}
log_proto.fields = { LOG_F.timestamp, LOG_F.marker, LOG_F.direction }
local LOG_DIRECTION = { tx = 'uplink', rx = 'downlink' }
local LOG_DIRECTION_TEXT = { tx = 'tx (host to module)', rx = 'rx (module to host)' }
log_proto.dissector = function(tvb, pinfo, tree)
  local text = tvb:raw()
  local l = parse_log_line(text)
  local item = tree:add(log_proto, tvb())
  if l.stamp then item:add(LOG_F.timestamp, tvb(l.stamp.s - 1, l.stamp.e - l.stamp.s)) end
  if l.marker then item:add(LOG_F.marker, tvb(l.marker.s - 1, l.marker.e - l.marker.s)) end
  if l.dir then
    local range = l.marker and tvb(l.marker.s - 1, l.marker.e - l.marker.s) or tvb(l.body, 0)
    local d = item:add(LOG_F.direction, range, LOG_DIRECTION_TEXT[l.dir])
    if l.inferred then d:append_text(' (inferred from the body)'); d:set_generated() end
  end
  pinfo.private[DIRECTION_KEY] = LOG_DIRECTION[l.dir] or ''
  if l.body < #text then dissect_bytes(tvb(l.body):tvb(), pinfo, tree, true) end
  pinfo.private[DIRECTION_KEY] = ''
  return #text
end
DissectorTable.get("wtap_encap"):add(LOG_ENCAP, log_proto)`;

/** The reader and its protocol, placed after `dissect_bytes`. */
export function luaAtLog(protoName: string): string {
  return [`local LOG_PROTO_NAME = "${protoName}_log"`, LUA_PREFIX, LUA_READER, LUA_LOG_PROTO].join('\n');
}
