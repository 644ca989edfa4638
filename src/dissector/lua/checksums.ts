// Checksum algorithms in Lua 5.2 with the `bit` library (BitOp; Wireshark 4.4+ has no bit32). One Lua
// function per algorithm the schema can name: a new algorithm fails to compile here.
import type { ChecksumAlgorithm } from '../../schema/index.js';

const ALGORITHMS = {
  'crc16-ccitt-false': String.raw`function(s, from, to, crc)
    for i = from + 1, to do
      crc = bit.band(bit.bxor(bit.lshift(crc, 8), CRC_CCITT[bit.band(bit.bxor(bit.rshift(crc, 8), s:byte(i)), 0xff)]), 0xffff)
    end
    return crc
  end`,
  xor8: String.raw`function(s, from, to, x)
    for i = from + 1, to do x = bit.bxor(x, s:byte(i)) end
    return x
  end`,
} satisfies Record<ChecksumAlgorithm, string>;

const CRC_TABLE = String.raw`local CRC_CCITT = {}
for i = 0, 255 do
  local c = bit.lshift(i, 8)
  for _ = 1, 8 do
    if bit.band(c, 0x8000) ~= 0 then c = bit.band(bit.bxor(bit.lshift(c, 1), 0x1021), 0xffff)
    else c = bit.band(bit.lshift(c, 1), 0xffff) end
  end
  CRC_CCITT[i] = c
end`;

/** `CHECKSUM[algorithm](s, from, to, init)` over bytes from..to-1 (0-based) of the Lua string s. */
export function luaChecksums(): string {
  const entries = Object.entries(ALGORITHMS).map(([name, fn]) => `  [${JSON.stringify(name)}] = ${fn},`);
  return `${CRC_TABLE}\nlocal CHECKSUM = {\n${entries.join('\n')}\n}`;
}
