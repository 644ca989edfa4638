// The ASCII body of Meiligao position reports (0x9955 and relatives): an RMC-like part, then
// `|`-separated optional fields whose presence varies by model.
// Source: shared/specs/real-world-variants.md ("Meiligao binary family", 0x9955 data).
import {
  computed,
  decimal,
  delimited,
  hex,
  lit,
  optional,
  repeat,
  struct,
  text,
} from '../../schema/index.js';
import { rmcComputed, rmcFix, rmcMotion } from '../shared/nmea.js';

export const positionFields = {
  rmc: delimited(',', {
    ...rmcFix,
    ...rmcMotion,
    magnetic_variation: optional(text({ title: 'Magnetic variation' })),
    mode: optional(text({ title: 'Mode indicator' })),
    ...rmcComputed,
  }),
  // The GPS module's own checksum of its full $GPRMC sentence: the tracker drops the header and some
  // fields, so it cannot be recomputed from this frame and is shown, not verified.
  rmc_checksum: optional(
    struct({
      star: lit('*'),
      value: hex({ title: 'GPS module NMEA checksum (not verifiable)', length: [2, 2] }),
    }),
  ),
  extras: optional(
    delimited(
      '|',
      {
        hdop: decimal({ title: 'HDOP', param: 'position.hdop', paramAs: 'number' }),
        altitude: optional(
          decimal({ title: 'Altitude', unit: 'm', param: 'position.altitude', paramAs: 'number' }),
        ),
        state: optional(
          hex({ title: 'I/O state bits', length: [4, 4], param: 'io.state.bitmask', paramAs: 'hex' }),
        ),
        adc: optional(repeat(hex({ title: 'ADC value', length: [4, 4] }), { sep: ',', min: 1, max: 8 })),
        base_station: optional(hex({ title: 'Base station info', length: [16, 20] })),
        gsm_signal: optional(
          hex({ title: 'GSM signal', length: [2, 2], param: 'gsm.signal.level', paramAs: 'hex' }),
        ),
        odometer: optional(hex({ title: 'Odometer', unit: 'm', length: [8, 8] })),
        satellites: optional(
          hex({ title: 'Satellites', length: [2, 2], param: 'position.satellites', paramAs: 'hex' }),
        ),
        driver: optional(text({ title: 'Driver / RFID' })),
        odometer_m: computed('hexNumber', ['odometer'], { title: 'Odometer', unit: 'm' }),
        mileage: computed('scale', ['odometer_m'], {
          title: 'Mileage',
          unit: 'km',
          options: { factor: 0.001 },
          param: 'vehicle.mileage',
        }),
      },
      { lead: '|' },
    ),
  ),
} as const;

export const position = struct(positionFields, {
  label: 'position',
  title: 'Position report',
  params: { 'message.type': 'position' },
});
