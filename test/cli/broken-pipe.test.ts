// A reader that goes away early (`trackshark decode big.pcap | head`) ends trackshark quietly.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('a closed stdout', () => {
  it('ends decode with the SIGPIPE status and no error output', async () => {
    const child = spawn(process.execPath, ['bin/trackshark.js', 'decode', '--json', 'captures'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d: Buffer) => resolve(d.toString('latin1'))),
    );
    child.stdout.destroy();
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first.startsWith('{"index":1,')).toBe(true);
    expect(status).toBe(141);
    expect(stderr).not.toMatch(/EPIPE|Error|internal error/);
  });
});
