// Writing to a stream with backpressure: a slow reader pauses decoding instead of growing memory.
import type { Writable } from 'node:stream';

export class Output {
  private pending: string[] = [];
  private size = 0;

  constructor(private readonly stream: Writable) {}

  async line(text: string): Promise<void> {
    this.pending.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= 1 << 16) await this.flush();
  }

  /** Text that already ends its own lines. */
  async text(chunk: string): Promise<void> {
    this.pending.push(chunk);
    this.size += chunk.length;
    if (this.size >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
}
