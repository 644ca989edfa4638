// Wialon WLN export line: `REG;time;lon;lat;speed;course;doubles;ints;texts;longs;booleans;`.
// Spec: shared/specs/wialon-messages-and-wln.md ("WLN messages") and shared/specs/real-world-variants.md
// ("Wialon WLN export lines"): longitude before latitude, decimal degrees, each parameter group a comma
// list of `name:value`, empty groups and empty list elements (`,,`) allowed, a trailing `;`, text values
// quoted; ALT (doubles) and SATS (ints) carry altitude and satellites.
import {
  alnum,
  choice,
  decimal,
  delimited,
  digits,
  expert,
  frameType,
  integer,
  lit,
  oneOf,
  pattern,
  protocol,
  repeat,
  struct,
  text,
  type Node,
} from '../../schema/index.js';

const paramName = text({
  title: 'Parameter name',
  examples: ['ALT', 'SATS', 'pwr_ext', 'soft_version'],
});

/** A `name:value` entry whose name is one fixed name, so that its value can feed a normalized parameter. */
function named(name: string, title: string, value: Node) {
  return delimited(':', { name: oneOf({ [name]: title }, { title: 'Parameter name' }), value }, { title });
}

/**
 * One group: `name:value` entries separated by commas, where an entry may be empty (`in13:1,,SATS:5`).
 * Entries are tried in order: the `special` ones (fixed names feeding normalized parameters), any other
 * `name:value`, then the empty element. `:` is a separator rather than a literal after the name, so the
 * name also stops at `,` and `;`, and an empty element fails the named variants instead of being read
 * as a name.
 */
function group(title: string, value: Node, special: Readonly<Record<string, Node>> = {}) {
  const param = delimited(':', { name: paramName, value }, { title: 'Parameter' });
  // An empty element matches nothing, so `,,` decodes as { empty: {} } and encodes back to `,,`; an
  // empty group reads as one empty element (with a separator, no items and one empty item are one text).
  return repeat(choice({ ...special, param, empty: struct({}, { title: 'Empty element' }) }), {
    sep: ',',
    title,
  });
}

const double = decimal({ title: 'Value' });
const int = integer({ title: 'Value' });

export const wlnRecord = delimited(
  ';',
  {
    time: digits({ title: 'Message time (UTC)', unit: 's', param: 'timestamp', paramAs: 'number' }),
    lon: decimal({ title: 'Longitude', unit: '°', param: 'position.longitude', paramAs: 'number' }),
    lat: decimal({ title: 'Latitude', unit: '°', param: 'position.latitude', paramAs: 'number' }),
    speed: decimal({ title: 'Speed', unit: 'km/h', param: 'position.speed', paramAs: 'number' }),
    course: decimal({ title: 'Course', unit: '°', param: 'position.direction', paramAs: 'number' }),
    doubles: group('Double parameters', double, {
      altitude: named(
        'ALT',
        'Altitude',
        decimal({ title: 'Altitude', unit: 'm', param: 'position.altitude', paramAs: 'number' }),
      ),
      hdop: named('hdop', 'HDOP', decimal({ title: 'HDOP', param: 'position.hdop', paramAs: 'number' })),
    }),
    ints: group('Integer parameters', int, {
      satellites: named(
        'SATS',
        'Satellites',
        integer({ title: 'Satellites', param: 'position.satellites', paramAs: 'number' }),
      ),
    }),
    texts: group('Text parameters', text({ title: 'Value', quoted: 'always' })),
    longs: group('Long parameters', int),
    booleans: group('Boolean parameters', alnum({ title: 'Value', names: { '0': 'false', '1': 'true' } })),
  },
  { lead: 'REG;', title: 'Registered message' },
);

export const wlnLine = struct({
  reg: wlnRecord,
  end: lit(';', { title: 'Trailing separator' }),
});

export const wln = protocol({
  name: 'wln',
  title: 'Wialon WLN export',
  ref: 'shared/specs/wialon-messages-and-wln.md#wln-messages',
  frames: [
    frameType({
      name: 'reg',
      segment: '',
      title: 'WLN message line',
      node: wlnLine,
      framing: { kind: 'line', start: [pattern('REG;')], max: 8192 },
    }),
  ],
  experts: [expert('wln.malformed', 'malformed', 'error', 'Line does not follow the REG;...; layout')],
});
