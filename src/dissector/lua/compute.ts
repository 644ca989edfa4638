// The computed-value functions in Lua: one per ComputeFn, written to give the same numbers as the
// TypeScript decoder (same IEEE operations, same rounding), so tshark and `decode --json` agree.
// A UTC time is computed from the civil date, never with os.time (which follows the local zone).
import type { ComputeFn } from '../../schema/index.js';

const FUNCTIONS = {
  nmeaLatitude: `function(a) return nmea_coordinate(a[1], a[2], 2, 'S') end`,
  nmeaLongitude: `function(a) return nmea_coordinate(a[1], a[2], 3, 'W') end`,
  nmeaTimestamp: `function(a) return nmea_timestamp(a[1], a[2]) end`,
  knotsToKmh: `function(a) local n = numeric(a[1]); return n and round(n * 1.852, 3) end`,
  number: `function(a) return numeric(a[1]) end`,
  hexNumber: `function(a) local v = a[1]; if type(v) == 'string' and v:match('^%x+$') then return tonumber(v, 16) end end`,
  scale: `function(a, o) local n = numeric(a[1]); return n and round(n * (tonumber(o.factor) or 1), 9) end`,
  validity: `function(a) local v = a[1]; if type(v) == 'string' and v ~= '' then return trim(v):upper() == 'A' end end`,
  mictrackVoltage: String.raw`function(a)
    local n = numeric(a[1])
    if n == nil then return nil end
    if n > 100 then return round(n / 1000, 3) end
    return round(n / 10, 3)
  end`,
  bitSet: String.raw`function(a, o)
    local x, v = a[1], nil
    if type(x) == 'number' then v = x elseif type(x) == 'string' and x:match('^%x+$') then v = tonumber(x, 16) end
    if v == nil then return nil end
    return math.floor(v / 2 ^ (tonumber(o.bit) or 0)) % 2 == 1
  end`,
  hexToText: String.raw`function(a)
    local x = a[1]
    if type(x) ~= 'string' or #x % 2 ~= 0 or not x:match('^%x*$') then return nil end
    return (x:gsub('%x%x', function(h) return string.char(tonumber(h, 16)) end))
  end`,
  digitSlice: String.raw`function(a, o)
    local v = a[1]
    if type(v) ~= 'string' then return nil end
    local part = v:sub((tonumber(o.start) or 0) + 1, o['end'] and tonumber(o['end']) or #v)
    if part:match('^%d+$') then return tonumber(part) end
  end`,
  h02Coordinate: String.raw`function(a, o)
    local digits, flags = a[1], a[2]
    if type(digits) ~= 'string' or not digits:match('^%d%d%d%d%d%d%d%d$') or type(flags) ~= 'number' then return nil end
    local lon = o.axis == 'lon'
    local high = math.floor(flags / 16)
    if lon and high > 9 then return nil end
    local text = lon and (digits .. tostring(high)) or digits
    local dd = lon and 3 or 2
    local degrees = tonumber(text:sub(1, dd))
    local minutes = tonumber(text:sub(dd + 1, dd + 2) .. '.' .. text:sub(dd + 3))
    if minutes >= 60 then return nil end
    local positive = math.floor(flags / (lon and 8 or 4)) % 2 == 1
    return round((positive and 1 or -1) * (degrees + minutes / 60), 7)
  end`,
} satisfies Record<ComputeFn, string>;

const HELPERS = String.raw`local function trim(s) return (s:gsub('^%s+', ''):gsub('%s+$', '')) end
local function round(x, places) local m = 10 ^ places; return math.floor(x * m + 0.5) / m end
local function numeric(x)
  if type(x) == 'number' then if x == x and x ~= math.huge and x ~= -math.huge then return x end return nil end
  if type(x) ~= 'string' or trim(x) == '' then return nil end
  local n = tonumber(trim(x))
  if n ~= nil and n == n and n ~= math.huge and n ~= -math.huge then return n end
end
local function nmea_coordinate(raw, hemisphere, dd, negative)
  if type(raw) ~= 'string' then return nil end
  local text = trim(raw)
  if text == '' then return nil end
  local degrees, minutes, sign = 0, 0, 1
  local s, d, m = nil, nil, nil
  if text:find('-', 2, true) then
    s, d, m = text:match('^(%-?)(%d+)%-(%d+)$')
    if not s then s, d, m = text:match('^(%-?)(%d+)%-(%d+%.%d+)$') end
  end
  if s then
    if s == '-' then sign = -1 end
    degrees, minutes = tonumber(d), tonumber(m)
  else
    local body = text
    if body:sub(1, 1) == '-' then sign = -1; body = body:sub(2) end
    if not (body:match('^%d+$') or body:match('^%d+%.%d*$')) then return nil end
    if not body:find('.', 1, true) and #body > dd + 2 then body = body:sub(1, dd + 2) .. '.' .. body:sub(dd + 3) end
    local value = tonumber(body)
    degrees = math.floor(value / 100)
    minutes = value - degrees * 100
  end
  if minutes >= 60 then return nil end
  local hemi = type(hemisphere) == 'string' and trim(hemisphere):upper() or ''
  if hemi ~= '' then sign = (hemi == negative) and -1 or 1 end
  return round(sign * (degrees + minutes / 60), 7)
end
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  return era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
end
local function nmea_timestamp(date, time)
  if type(date) ~= 'string' or type(time) ~= 'string' then return nil end
  local d, t = trim(date), trim(time)
  if not d:match('^%d%d%d%d%d%d$') or not t:match('^%d%d%d%d%d%d') then return nil end
  if #t > 6 and not t:match('^%d%d%d%d%d%d%.%d+$') then return nil end
  local day, month, year = tonumber(d:sub(1, 2)), tonumber(d:sub(3, 4)), 2000 + tonumber(d:sub(5, 6))
  local hour, minute, second = tonumber(t:sub(1, 2)), tonumber(t:sub(3, 4)), tonumber(t:sub(5, 6))
  if month < 1 or month > 12 or day < 1 or day > 31 or hour > 23 or minute > 59 or second > 60 then return nil end
  local secs = (days_from_civil(year, month, 1) + day - 1) * 86400 + hour * 3600 + minute * 60 + second
  if #t > 6 then return secs + tonumber(t:sub(7)) end
  return secs
end`;

/** Helpers plus `COMPUTE[fn](args, options)`; nil means "no value" (the field is left out). */
export function luaCompute(): string {
  const entries = Object.entries(FUNCTIONS).map(([name, fn]) => `  ${name} = ${fn},`);
  return `${HELPERS}\nlocal COMPUTE = {\n${entries.join('\n')}\n}`;
}

/** Which ProtoField type carries each computed function's value. */
export const COMPUTED_FIELD_TYPE = {
  nmeaLatitude: 'double',
  nmeaLongitude: 'double',
  nmeaTimestamp: 'time',
  knotsToKmh: 'double',
  number: 'double',
  hexNumber: 'double',
  scale: 'double',
  validity: 'bool',
  mictrackVoltage: 'double',
  bitSet: 'bool',
  hexToText: 'string',
  digitSlice: 'double',
  h02Coordinate: 'double',
} as const satisfies Record<ComputeFn, 'double' | 'time' | 'bool' | 'string'>;
