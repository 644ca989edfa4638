// The VT600 OTA procedure (shared/specs/vt600-ota-protocol.md §2-3) run by the platform against one
// device: 0x9500 tracker info, 0x9501 authorization, 0x9502 data packages (resent on flag 0x00),
// 0x9503 check of the tracker's checksum against the firmware's last two bytes, 0x9504 upgrade.
// The firmware file is the OTA data followed by its 2-byte checksum, which is not sent.
import type { DecodedFrame } from '../../decode/index.js';
import { fieldValue, meiligaoDownlink } from './frames.js';

const DEFAULT_PACKAGE = 128;
const MAX_RESENDS = 3;

export type OtaState = 'info' | 'authorize' | 'data' | 'check' | 'upgrade' | 'done' | 'failed';

export class OtaProcedure {
  state: OtaState = 'info';
  private packageSize = DEFAULT_PACKAGE;
  private offset = 0;
  private resends = 0;
  private readonly data: Uint8Array;
  private readonly checksum: number;

  constructor(
    private readonly deviceId: string,
    firmware: Uint8Array,
    private readonly send: (bytes: Uint8Array) => void,
    private readonly log: (text: string) => void,
  ) {
    this.data = firmware.subarray(0, firmware.length - 2);
    this.checksum = (firmware[firmware.length - 2]! << 8) | firmware[firmware.length - 1]!;
  }

  start(): void {
    this.log(
      `OTA ${this.deviceId}: ${this.data.length} bytes, checksum 0x${hex4(this.checksum)}; asking for tracker info`,
    );
    this.send(meiligaoDownlink(this.deviceId, 0x9500));
  }

  /** Feed a device frame; returns true when it belonged to the procedure. */
  onFrame(frame: DecodedFrame): boolean {
    const command = fieldValue(frame, 'meiligao.command');
    if (frame.protocol !== 'meiligao' || typeof command !== 'number' || command < 0x9500 || command > 0x9505)
      return false;
    const flag = fieldValue(frame, '.flag');
    switch (`${this.state}:${command.toString(16)}`) {
      case 'info:9500': {
        const max = Number(fieldValue(frame, '.max_ota_length') ?? 0);
        if (max > 0) this.packageSize = max;
        this.state = 'authorize';
        this.log(`OTA ${this.deviceId}: tracker takes ${this.packageSize}-byte packages; authorizing`);
        this.send(meiligaoDownlink(this.deviceId, 0x9501));
        return true;
      }
      case 'authorize:9501':
        if (flag !== 1) return this.fail(`authorization refused (flag ${String(flag)})`);
        this.state = 'data';
        this.sendPackage();
        return true;
      case 'data:9502':
        return this.onDataAck(Number(fieldValue(frame, '.offset')), flag);
      case 'check:9503': {
        const got = Number(fieldValue(frame, '.ota_checksum'));
        if (got !== this.checksum) {
          this.send(meiligaoDownlink(this.deviceId, 0x9505));
          return this.fail(`tracker checksum 0x${hex4(got)}, firmware 0x${hex4(this.checksum)}; cancelled`);
        }
        this.state = 'upgrade';
        this.log(`OTA ${this.deviceId}: checksum 0x${hex4(got)} agrees; upgrading`);
        this.send(meiligaoDownlink(this.deviceId, 0x9504));
        return true;
      }
      case 'upgrade:9504':
        if (flag === 1) this.log(`OTA ${this.deviceId}: tracker is upgrading`);
        else if (flag === 2) {
          this.state = 'done';
          this.log(`OTA ${this.deviceId}: upgrade finished`);
        } else return this.fail(`upgrade refused (flag ${String(flag)})`);
        return true;
      default:
        this.log(`OTA ${this.deviceId}: 0x${command.toString(16)} ignored in state ${this.state}`);
        return true;
    }
  }

  private onDataAck(offset: number, flag: unknown): boolean {
    if (flag === 0xff) return this.fail('tracker says OTA is not authorized');
    if (offset !== this.offset)
      this.log(
        `OTA ${this.deviceId}: acknowledged offset 0x${offset.toString(16)}, sent 0x${this.offset.toString(16)}`,
      );
    if (flag !== 1) {
      if (++this.resends > MAX_RESENDS)
        return this.fail(`package at 0x${this.offset.toString(16)} failed ${MAX_RESENDS} times`);
      this.sendPackage();
      return true;
    }
    this.resends = 0;
    this.offset += this.packageSize;
    if (this.offset < this.data.length) this.sendPackage();
    else {
      this.state = 'check';
      const length = new Uint8Array([this.data.length >> 8, this.data.length & 0xff]);
      this.log(`OTA ${this.deviceId}: all ${this.data.length} bytes sent; checking`);
      this.send(meiligaoDownlink(this.deviceId, 0x9503, length));
    }
    return true;
  }

  private sendPackage(): void {
    const chunk = this.data.subarray(this.offset, this.offset + this.packageSize);
    const body = new Uint8Array(6 + chunk.length);
    new DataView(body.buffer).setUint32(0, this.offset);
    new DataView(body.buffer).setUint16(4, chunk.length);
    body.set(chunk, 6);
    this.send(meiligaoDownlink(this.deviceId, 0x9502, body));
  }

  private fail(reason: string): true {
    this.state = 'failed';
    this.log(`OTA ${this.deviceId}: failed: ${reason}`);
    return true;
  }
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}
