// Final result codes, the data prompt and the catch-all line of a Fibocom L610 AT session.
// Spec: shared/specs/fibocom-l610-tcpip-at-commands.md — OK/ERROR in every "Syntax" table of chapter
// 1; the `>` prompt of the HEX mode +MIPSEND forms (§1.2.1 to §1.2.3); `+CME ERROR`/`+CMS ERROR` codes
// of chapter 2 (§2.1 CME, §2.2 CMS, §2.3 TCP/IP codes 2000-2033 reported as `+CME ERROR`).
import { choice, digits, line, lit, oneOf, optional, struct, text } from '../../schema/index.js';
import { CME_AND_TCPIP_ERRORS, CMS_ERRORS } from './errors.js';
import { SEPARATOR } from './responses.js';

export const resultLine = choice({
  ok: line(oneOf({ OK: 'command executed' }, { title: 'OK' }), { params: { 'message.type': 'OK' } }),
  error: line(oneOf({ ERROR: 'command failed' }, { title: 'ERROR' }), {
    params: { 'message.type': 'ERROR' },
  }),
  cme_error: line(
    struct(
      {
        marker: lit('+CME ERROR'),
        separator: SEPARATOR,
        code: digits({
          title: 'Error code',
          doc: 'CME table (§2.1) or TCP/IP table (§2.3, 2000-2033)',
          names: CME_AND_TCPIP_ERRORS,
        }),
      },
      { title: 'Mobile equipment error' },
    ),
    { params: { 'message.type': '+CME ERROR' } },
  ),
  cms_error: line(
    struct(
      {
        marker: lit('+CMS ERROR'),
        separator: SEPARATOR,
        code: digits({ title: 'Error code', doc: 'CMS table (§2.2)', names: CMS_ERRORS }),
      },
      { title: 'Message service error' },
    ),
    { params: { 'message.type': '+CMS ERROR' } },
  ),
});

/** `>`: the module waits for HEX mode data (§1.2.1 to §1.2.3); a log may show typed text after it. */
export const promptLine = line(
  struct({
    marker: lit('>'),
    data: optional(text({ title: 'Text after the prompt' })),
  }),
);

/** Any other line: raw data of IPRFMT 1, the data line after +MIPDATA, `RDY`, `NO CARRIER`, ... */
export const otherLine = line(struct({ text: text({ title: 'Text' }) }));
