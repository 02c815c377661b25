import { createHash, type Hash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';

/**
 * The sha256 of each upload's bytes, computed as they arrive and carried from one PATCH to the
 * next in this process, so that finalising need not read a finished upload back to hash it.
 * A hash state cannot be stored, so what this process did not see from offset 0 on — an upload
 * continued here after another process served part of it, a restart, a failed write, a state
 * evicted — has none, and finalisation falls back to hashing the stored bytes.
 */
export class ReceivedDigests {
  private readonly states = new Map<string, { hash: Hash; offset: number }>();

  constructor(private readonly maxTracked = 1000) {}

  /**
   * Runs one write of upload `id` from `offset` through `write`, hashing the bytes on the way
   * when this process holds the state that ends exactly at `offset` (or the write starts the upload).
   */
  async through(id: string, offset: number, readable: Readable, write: (stream: Readable) => Promise<number>): Promise<number> {
    const held = this.states.get(id);
    // Taken out for the length of the write: only a write that succeeds puts a state back.
    this.states.delete(id);
    const state = offset === 0 ? { hash: createHash('sha256'), offset: 0 } : held?.offset === offset ? held : null;
    if (!state) return write(readable);
    let hashed = 0;
    const tee = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        state.hash.update(chunk);
        hashed += chunk.length;
        done(null, chunk);
      },
    });
    // pipeline (not pipe) so that a failing source fails the write.
    const newOffset = await write(pipeline(readable, tee, () => undefined));
    // The store reports what it kept: a state that does not match it exactly is not kept.
    if (newOffset === offset + hashed) this.keep(id, { hash: state.hash, offset: newOffset });
    return newOffset;
  }

  /** The sha256 of upload `id` when this process hashed all of its `size` bytes; forgets the upload either way. */
  take(id: string, size: number): string | null {
    const state = this.states.get(id);
    this.states.delete(id);
    return state && state.offset === size ? state.hash.digest('hex') : null;
  }

  forget(id: string): void {
    this.states.delete(id);
  }

  private keep(id: string, state: { hash: Hash; offset: number }): void {
    this.states.set(id, state);
    // The least recently written upload goes first; it will be hashed from storage if it finishes.
    if (this.states.size > this.maxTracked) this.states.delete(this.states.keys().next().value!);
  }
}
