// Which findings fail a check: violations (errors and warnings, not deviations) that `--allow` does
// not tolerate. `--allow` takes rule ids, comma-separated or repeated, with `*` for any characters
// (`mt700.*.range` tolerates every MT700 range finding).
import { isViolation, type Finding } from './check-findings.js';
import { InputError } from './records.js';

export type Verdict = 'fail' | 'tolerated' | 'note';

export interface CheckPolicy {
  verdict(f: Finding): Verdict;
}

const RULE_PATTERN = /^[\w.*-]+$/;

function matcher(pattern: string): (rule: string) => boolean {
  if (!pattern.includes('*')) return (rule) => rule === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.\\^$+?()[\]{}|-]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`);
  return (rule) => re.test(rule);
}

/** The policy for `--allow` values; a value that cannot be a rule id is an argument error. */
export function checkPolicy(allow: readonly string[] = []): CheckPolicy {
  const patterns = allow
    .flatMap((a) => a.split(','))
    .map((a) => a.trim())
    .filter((a) => a !== '');
  for (const p of patterns)
    if (!RULE_PATTERN.test(p))
      throw new InputError(p, undefined, '--allow wants rule ids such as meiligao.crc.bad or mt700.*.range');
  const tests = patterns.map(matcher);
  const allowed = new Map<string, boolean>();
  const isAllowed = (rule: string) => {
    let a = allowed.get(rule);
    if (a === undefined) {
      a = tests.some((t) => t(rule));
      allowed.set(rule, a);
    }
    return a;
  };
  return {
    verdict: (f) => (!isViolation(f) ? 'note' : isAllowed(f.rule) ? 'tolerated' : 'fail'),
  };
}
