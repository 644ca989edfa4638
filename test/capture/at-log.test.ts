import { describe, expect, test } from 'vitest';
import {
  inferAtDirection,
  isAtLikeBody,
  looksLikeAtLog,
  parseAtLogLine,
  type AtLogLine,
} from '../../src/capture/index.js';
import { EXAMPLE_TIME_OF_DAY, EXAMPLE_UNIX } from './helpers.js';

/** The body must sit at bodyOffset, so callers can point at bytes in the file. */
function parse(text: string): AtLogLine {
  const line = parseAtLogLine(text);
  expect(text.slice(line.bodyOffset)).toBe(line.body);
  return line;
}

describe('timestamp styles, bare and bracketed', () => {
  const unix = { timestamp: EXAMPLE_UNIX, timestampKind: 'unix' };
  const ms = { timestamp: EXAMPLE_UNIX + 0.123, timestampKind: 'unix' };
  const tod = { timestamp: EXAMPLE_TIME_OF_DAY + 0.123, timestampKind: 'time-of-day' };
  test.each([
    ['2024-01-10 12:33:18.123 AT+CSQ', '2024-01-10 12:33:18.123', ms],
    ['[2024-01-10 12:33:18.123] AT+CSQ', '[2024-01-10 12:33:18.123]', ms],
    ['2024-01-10T12:33:18Z AT+CSQ', '2024-01-10T12:33:18Z', unix],
    ['[2024-01-10T12:33:18Z] AT+CSQ', '[2024-01-10T12:33:18Z]', unix],
    ['2024-01-10T14:33:18+02:00 AT+CSQ', '2024-01-10T14:33:18+02:00', unix],
    ['2024/01/10 12:33:18 AT+CSQ', '2024/01/10 12:33:18', unix],
    ['(2024/01/10 12:33:18) AT+CSQ', '(2024/01/10 12:33:18)', unix],
    ['2024-01-10 12:33:18,123 AT+CSQ', '2024-01-10 12:33:18,123', ms],
    ['[12:33:18.123] AT+CSQ', '[12:33:18.123]', tod],
    ['12:33:18.123 AT+CSQ', '12:33:18.123', tod],
    ['12:33:18:123 AT+CSQ', '12:33:18:123', tod],
    ['[ 12:33:18.123 ] AT+CSQ', '[ 12:33:18.123 ]', tod],
    ['[   12.345] AT+CSQ', '[   12.345]', { timestamp: 12.345, timestampKind: 'relative' }],
    ['[12345.678901]AT+CSQ', '[12345.678901]', { timestamp: 12345.678901, timestampKind: 'relative' }],
  ])('%j', (text, stampText, stamp) => {
    const line = parse(text);
    expect(line.body).toBe('AT+CSQ');
    expect(line.timestampText).toBe(stampText);
    expect(line.timestamp).toBeCloseTo(stamp.timestamp, 6);
    expect(line.timestampKind).toBe(stamp.timestampKind);
  });

  test.each([
    ['impossible date', '2024-02-31 12:33:18 AT'],
    ['hour 25', '25:33:18 AT'],
    ['month 13', '2024-13-10 12:33:18 AT'],
    ['a bare relative stamp could be data', '12.345 AT'],
    ['stamp glued to a word', '12:33:18abc'],
    ['unclosed bracket', '[12:33:18.123 AT'],
  ])('not a stamp: %s', (_why, text) => {
    const line = parse(text);
    expect(line.timestamp).toBeUndefined();
    expect(line.body).toBe(text);
  });
});

describe('direction markers', () => {
  test.each([
    ['>> AT+CSQ', '>>', 'tx'],
    ['<< +CSQ: 20,99', '<<', 'rx'],
    ['>>AT+CSQ', '>>', 'tx'],
    ['TX: AT+CSQ', 'TX:', 'tx'],
    ['RX: +CSQ: 20,99', 'RX:', 'rx'],
    ['tx:AT+CSQ', 'tx:', 'tx'],
    ['Rx : +CSQ: 20,99', 'Rx :', 'rx'],
    ['[TX] AT+CSQ', '[TX]', 'tx'],
    ['[RX] +CSQ: 20,99', '[RX]', 'rx'],
    ['[rx]+CSQ: 20,99', '[rx]', 'rx'],
    ['--> AT+CSQ', '-->', 'tx'],
    ['<-- +CSQ: 20,99', '<--', 'rx'],
    ['-> AT+CSQ', '->', 'tx'],
    ['<- +CSQ: 20,99', '<-', 'rx'],
    ['SEND: AT+CSQ', 'SEND:', 'tx'],
    ['RECV: +CSQ: 20,99', 'RECV:', 'rx'],
    ['send: AT+CSQ', 'send:', 'tx'],
    ['recv: +CSQ: 20,99', 'recv:', 'rx'],
    ['> AT+CSQ', '>', 'tx'],
    ['< +CSQ: 20,99', '<', 'rx'],
  ])('%j', (text, marker, direction) => {
    const line = parse(text);
    expect(line.marker).toBe(marker);
    expect(line.direction).toBe(direction);
    expect(line.directionSource).toBe('marker');
    expect(line.body).toMatch(/^(AT\+CSQ|\+CSQ: 20,99)$/);
  });

  test('the marker beats inference: an echoed command marked RX stays rx', () => {
    expect(parse('RX: AT+CSQ')).toMatchObject({ body: 'AT+CSQ', direction: 'rx', directionSource: 'marker' });
  });
});

describe('timestamp and marker together, in either order', () => {
  test.each([
    ['2024-01-10 12:33:18.123 >> AT+MIPCALL=1', 'tx', 'unix'],
    ['[2024-01-10 12:33:18.123] <<OK', 'rx', 'unix'],
    ['>> 2024-01-10 12:33:18.123 AT+MIPCALL=1', 'tx', 'unix'],
    ['[TX] [12:33:18.123] AT+MIPCALL=1', 'tx', 'time-of-day'],
    ['[12:33:18.123][TX] AT+MIPCALL=1', 'tx', 'time-of-day'],
    ['[12:33:18.123] TX: AT+MIPCALL=1', 'tx', 'time-of-day'],
    ['RX: 12:33:18.123 +MIPRTCP: 1,0,2424', 'rx', 'time-of-day'],
    ['[   12.345] <-- +MIPRTCP: 1,0,2424', 'rx', 'relative'],
    ['--> [   12.345] AT+MIPCALL=1', 'tx', 'relative'],
    ['12:33:18.123 -> AT+MIPCALL=1', 'tx', 'time-of-day'],
    ['2024-01-10T12:33:18Z RECV: OK', 'rx', 'unix'],
    ['12:33:18.123 | >> AT+MIPCALL=1', 'tx', 'time-of-day'],
    ['12:33:18.123 - RX: OK', 'rx', 'time-of-day'],
  ])('%j', (text, direction, kind) => {
    const line = parse(text);
    expect(line.direction).toBe(direction);
    expect(line.directionSource).toBe('marker');
    expect(line.timestampKind).toBe(kind);
    expect(line.body).toMatch(/^(AT\+MIPCALL=1|OK|\+MIPRTCP: 1,0,2424)$/);
  });

  test('a second stamp or marker is body', () => {
    expect(parse('12:33:18 12:33:19 OK').body).toBe('12:33:19 OK');
    expect(parse('>> << OK')).toMatchObject({ body: '<< OK', direction: 'tx' });
  });
});

describe('the `>` data prompt stays a body', () => {
  test.each([
    ['>', '>'],
    ['> ', '> '],
    ['[12:33:18.123] >', '>'],
    ['12:33:18.123 > 2424001112345678901fff50006f350d0a', '> 2424001112345678901fff50006f350d0a'],
    ['<< >', '>'],
    ['RX: >', '>'],
    ['2024-01-10 12:33:18.123 >', '>'],
  ])('%j', (text, body) => {
    const line = parse(text);
    expect(line.body).toBe(body);
    expect(line.direction).toBe('rx');
    expect(line.marker === undefined || line.marker !== '>').toBe(true);
  });

  test('`>>` alone is a marker with an empty body', () => {
    expect(parse('12:33:18 >>')).toMatchObject({ body: '', direction: 'tx', marker: '>>' });
  });
});

describe('result codes after a stamp are bodies', () => {
  test.each(['OK', 'ERROR', '+CME ERROR: 10', '2003', 'NO CARRIER'])('%s', (code) => {
    for (const text of [`12:33:18.123 ${code}`, `[12:33:18.123] ${code}`, `2024-01-10 12:33:18 ${code}`]) {
      const line = parse(text);
      expect(line.body).toBe(code);
      expect(line.direction).toBe('rx');
      expect(line.directionSource).toBe('inferred');
    }
  });
});

describe('direction inference', () => {
  test.each([
    ['AT+MIPSEND=1,"2424"', 'tx'],
    ['at+csq', 'tx'],
    ['ATE0', 'tx'],
    ['ATDT123', 'tx'],
    ['A/', 'tx'],
    ['OK', 'rx'],
    ['+MIPRTCP=1,5,2424', 'rx'],
    ['>', 'rx'],
    ['2424001112345678901fff50006f350d0a', 'rx'],
    ['ATTENTION', 'rx'],
    ['   ', undefined],
    ['', undefined],
  ])('%j -> %s', (body, direction) => {
    expect(inferAtDirection(body)).toBe(direction);
  });

  test('unprefixed lines keep their text, BOM aside', () => {
    expect(parse('  OK')).toMatchObject({ body: '  OK', bodyOffset: 0, direction: 'rx' });
    expect(parse('\u00ef\u00bb\u00bfAT')).toMatchObject({ body: 'AT', bodyOffset: 3, direction: 'tx' });
  });
});

describe('looksLikeAtLog', () => {
  test('scores the share of AT-like bodies among non-blank lines', () => {
    const score = looksLikeAtLog([
      '12:33:18.100 >> AT+MIPCALL=1',
      '12:33:18.200 << OK',
      '',
      '12:33:19.000 << +MIPCALL: 10.1.2.3',
      'some garbage',
    ]);
    expect(score).toEqual({ score: 0.75, atLike: 3, considered: 4 });
    expect(looksLikeAtLog([])).toEqual({ score: 0, atLike: 0, considered: 0 });
  });

  test('AT-like bodies', () => {
    for (const body of ['AT', 'AT+CSQ', '+MIPRTCP: 1', '^SYSSTART', 'OK', 'ERROR', '> ', '0', '2003', 'RING'])
      expect(isAtLikeBody(body), body).toBe(true);
    for (const body of [
      '2424001112',
      '*HQ,865205030000000,V1#',
      'at org.traccar.Main.run(Main.java:1)',
      'OKAY',
      '',
    ])
      expect(isAtLikeBody(body), body).toBe(false);
  });
});
