// Calendar arithmetic shared by the log readers. Logs carry wall-clock stamps without a zone; they are
// read as UTC so that the same file always gives the same numbers, whatever machine reads it.

/** Unix seconds, or undefined for a stamp no clock writes (month 13, 31 February, 25:00). */
export function utcSeconds(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fractionDigits?: string,
  zone?: string,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  // Date.UTC rolls 31 February over into March; a real stamp never does.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000 + fraction(fractionDigits);
  return seconds - zoneOffsetSeconds(zone);
}

export function fraction(digits: string | undefined): number {
  return digits ? Number(`0.${digits}`) : 0;
}

/** `Z`, `+02:00`, `-0530`; anything else counts as UTC. */
function zoneOffsetSeconds(zone: string | undefined): number {
  const m = zone ? /^([+-])(\d{2}):?(\d{2})$/.exec(zone) : null;
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}
