// The computed-field functions: NMEA coordinates in every form trackers send, times, speeds, voltages.
import { describe, expect, test } from 'vitest';
import { COMPUTE } from '../../src/decode/compute.js';

const lat = (v: string, h = '') => COMPUTE.nmeaLatitude([v, h], undefined);
const lon = (v: string, h = '') => COMPUTE.nmeaLongitude([v, h], undefined);

describe('NMEA coordinates', () => {
  test('ddmm.mmmm and dddmm.mmmm with hemispheres (MT700 §2.2.1: 2238.3071,N / 11401.7575,E)', () => {
    expect(lat('2238.3071', 'N')).toBeCloseTo(22 + 38.3071 / 60, 7);
    expect(lon('11401.7575', 'E')).toBeCloseTo(114 + 1.7575 / 60, 7);
    expect(lat('2238.3071', 'S')).toBeCloseTo(-(22 + 38.3071 / 60), 7);
    expect(lon('11401.7575', 'W')).toBeCloseTo(-(114 + 1.7575 / 60), 7);
  });

  test('the H02 dashed form: the letter gives the sign, the minus signs only separate', () => {
    expect(lat('-23-3.3408', 'S')).toBeCloseTo(-(23 + 3.3408 / 60), 7);
    expect(lat('-23-3.3408', 'N')).toBeCloseTo(23 + 3.3408 / 60, 7);
    expect(lat('-23-3.3408')).toBeCloseTo(-(23 + 3.3408 / 60), 7);
  });

  test('without a decimal point, and a signed value without a letter', () => {
    expect(lat('22383071', 'N')).toBeCloseTo(22 + 38.3071 / 60, 7);
    expect(lon('114017575', 'E')).toBeCloseTo(114 + 1.7575 / 60, 7);
    expect(lon('-11401.7575')).toBeCloseTo(-(114 + 1.7575 / 60), 7);
  });

  test('empty, garbage and impossible minutes give no value', () => {
    expect(lat('', 'N')).toBeUndefined();
    expect(lat('22A8.3071', 'N')).toBeUndefined();
    expect(lat('2278.0000', 'N')).toBeUndefined();
  });
});

describe('times, speeds, voltages', () => {
  test('ddmmyy + hhmmss.ss is UTC unix time (MT700 GPS example 1: 123318.00 on 100124)', () => {
    expect(COMPUTE.nmeaTimestamp(['100124', '123318.00'], undefined)).toBe(
      Date.UTC(2024, 0, 10, 12, 33, 18) / 1000,
    );
    expect(COMPUTE.nmeaTimestamp(['010809', '035644.500'], undefined)).toBe(
      Date.UTC(2009, 7, 1, 3, 56, 44) / 1000 + 0.5,
    );
    expect(COMPUTE.nmeaTimestamp(['320124', '123318'], undefined)).toBeUndefined();
  });

  test('knots to km/h, and the Mictrack voltage rule (above 100: millivolts, else tenths)', () => {
    expect(COMPUTE.knotsToKmh(['10'], undefined)).toBe(18.52);
    expect(COMPUTE.mictrackVoltage(['3815'], undefined)).toBe(3.815);
    expect(COMPUTE.mictrackVoltage(['41'], undefined)).toBe(4.1);
    expect(COMPUTE.mictrackVoltage([''], undefined)).toBeUndefined();
  });

  test('bit tests on hex status words (H02: bit 10 set is ignition on)', () => {
    expect(COMPUTE.bitSet(['FFFFFBFF'], { bit: 10 })).toBe(false);
    expect(COMPUTE.bitSet(['00000400'], { bit: 10 })).toBe(true);
    expect(COMPUTE.hexNumber(['1D29'], undefined)).toBe(0x1d29);
    expect(COMPUTE.hexToText(['56312E3338'], undefined)).toBe('V1.38');
  });
});
