/**
 * Splits a TCP byte stream into Kafka frames (4-byte big-endian size, then that many bytes), across
 * partial and coalesced chunks. Yields frame bodies without the size prefix.
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxFrameBytes = 100 * 1024 * 1024) {}

  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames: Buffer[] = [];
    let buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    let offset = 0;
    while (buf.length - offset >= 4) {
      const size = buf.readInt32BE(offset);
      if (size < 0 || size > this.maxFrameBytes) throw new Error(`invalid Kafka frame size ${size}`);
      if (buf.length - offset - 4 < size) break;
      frames.push(buf.subarray(offset + 4, offset + 4 + size));
      offset += 4 + size;
    }
    buf = buf.subarray(offset);
    this.pending = buf.length > 0 ? [buf] : [];
    this.pendingBytes = buf.length;
    return frames;
  }
}

export function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}
