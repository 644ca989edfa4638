// Writing to a stream with backpressure: a slow reader pauses decoding instead of growing memory.
// Text is encoded into one buffer as it comes, so large joined strings (which V8 allocates in its
// old generation) are never built.
import type { Writable } from 'node:stream';

const CAPACITY = 1 << 18;

export class Output {
  private buf = Buffer.allocUnsafeSlow(CAPACITY);
  private used = 0;

  constructor(private readonly stream: Writable) {}

  async line(text: string): Promise<void> {
    await this.text(text);
    await this.text('\n');
  }

  /** Text that already ends its own lines. */
  async text(chunk: string): Promise<void> {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.used + chunk.length * 3 > CAPACITY) {
      await this.flush();
      if (chunk.length * 3 > CAPACITY) {
        await this.write(Buffer.from(chunk, 'utf8'));
        return;
      }
    }
    this.used += this.buf.write(chunk, this.used, 'utf8');
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const full = this.buf.subarray(0, this.used);
    // The stream may hold on to the bytes until written: the next text goes into a new buffer.
    this.buf = Buffer.allocUnsafeSlow(CAPACITY);
    this.used = 0;
    await this.write(full);
  }

  private async write(bytes: Buffer): Promise<void> {
    if (!this.stream.write(bytes)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
}
