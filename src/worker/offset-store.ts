/**
 * Where source offsets live: the project's offsets topic (Kafka Connect's
 * distributed-mode format) or a local JSON file (`worker.offsetStorage:
 * file`, the counterpart of connect-standalone's offset file). Both key an
 * offset by Connect's key text `["<connector>",{partition}]`, and both serve
 * reads from memory: this worker is the only writer of its connectors'
 * offsets, so what it loaded at start plus what it wrote since is current.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SourceOffset, SourcePartition } from '../connectors/api.js';
import { messageOf, PipeError } from '../errors.js';
import type { Kafka, Producer } from '../kafka/client.js';
import { readTopicToEnd } from '../kafka/read-topic.js';
import { foreignRecordWarning } from '../state/foreign.js';
import { offsetFileText, readOffsetFile } from '../state/offset-file.js';
import { foldOffsetsTopic } from '../state/offsets-topic.js';
import { decodeOffsetKey, offsetKey } from '../state/records.js';
import type { OffsetEntry } from './offset-tracker.js';

export interface OffsetRecord {
  key: Buffer;
  value: Buffer;
}

export interface OffsetStore {
  get(connector: string, partition: SourcePartition): SourceOffset | null;
  /** Every stored offset of a connector, for Connect's `GET /connectors/{name}/offsets`. */
  list(connector: string): Array<{ partition: SourcePartition; offset: SourceOffset }>;
  /** Resolves once the offsets are durable. */
  put(connector: string, entries: OffsetEntry[]): Promise<void>;
  /** Forgets every offset of a connector (it was deleted). */
  drop(connector: string): Promise<void>;
  /** Reads the stored offsets again: another worker may have written them while this one stood by. */
  reload(): Promise<void>;
  /**
   * Reads one connector's stored offsets again, leaving the others' as they
   * are: `pipe offsets` or a move between runtimes may have written them
   * while the connector was stopped.
   */
  refresh(connector: string): Promise<void>;
  close(): Promise<void>;
}

abstract class MemoryBackedStore implements OffsetStore {
  protected readonly offsets = new Map<string, SourceOffset>();

  get(connector: string, partition: SourcePartition): SourceOffset | null {
    return this.offsets.get(offsetKey(connector, partition).toString('utf8')) ?? null;
  }

  list(connector: string): Array<{ partition: SourcePartition; offset: SourceOffset }> {
    return this.keysOf(connector).flatMap((key) => {
      const decoded = decodeOffsetKey(Buffer.from(key));
      const offset = this.offsets.get(key);
      return decoded && offset ? [{ partition: decoded.partition, offset }] : [];
    });
  }

  protected keysOf(connector: string): string[] {
    return [...this.offsets.keys()].filter((k) => decodeOffsetKey(Buffer.from(k))?.connector === connector);
  }

  /** Replaces the connector's offsets in memory with those stored (key text → offset). */
  protected replaceConnector(connector: string, stored: Iterable<[string, SourceOffset]>): void {
    for (const key of this.keysOf(connector)) this.offsets.delete(key);
    for (const [key, offset] of stored)
      if (decodeOffsetKey(Buffer.from(key))?.connector === connector) this.offsets.set(key, offset);
  }

  abstract put(connector: string, entries: OffsetEntry[]): Promise<void>;
  abstract drop(connector: string): Promise<void>;
  abstract reload(): Promise<void>;
  abstract refresh(connector: string): Promise<void>;
  abstract close(): Promise<void>;
}

export class KafkaOffsetStore extends MemoryBackedStore {
  private constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
    private readonly producer: Producer,
    private readonly onWarning: (message: string) => void,
  ) {
    super();
  }

  static async open(
    kafka: Kafka,
    topic: string,
    onWarning: (message: string) => void,
  ): Promise<KafkaOffsetStore> {
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true });
    await producer.connect();
    const store = new KafkaOffsetStore(kafka, topic, producer, onWarning);
    await store.reload();
    return store;
  }

  async reload(): Promise<void> {
    const { offsets, foreign } = foldOffsetsTopic(this.topic, await readTopicToEnd(this.kafka, this.topic));
    for (const f of foreign) this.onWarning(foreignRecordWarning(f));
    this.offsets.clear();
    for (const [key, record] of offsets) if (record.offset !== null) this.offsets.set(key, record.offset);
  }

  /**
   * The offsets topic's records for these offsets, for `worker.exactlyOnce`:
   * written in the transaction of the records that reach them (KIP-618).
   */
  records(connector: string, entries: OffsetEntry[]): { topic: string; messages: OffsetRecord[] } {
    return {
      topic: this.topic,
      messages: entries.map((e) => ({
        key: offsetKey(connector, e.partition),
        value: Buffer.from(JSON.stringify(e.offset), 'utf8'),
      })),
    };
  }

  /** Offsets a committed transaction stored: served from memory from now on. */
  remember(connector: string, entries: OffsetEntry[]): void {
    for (const e of entries) this.offsets.set(offsetKey(connector, e.partition).toString('utf8'), e.offset);
  }

  /**
   * With `stable`, waits for the transactions open at the start of the read
   * to end: after an exactly-once task took its transactional id, what an
   * earlier worker committed counts and what it left open does not.
   */
  async refresh(connector: string, options: { stable?: boolean } = {}): Promise<void> {
    const read = await readTopicToEnd(this.kafka, this.topic, { stable: options.stable ?? false });
    const { offsets } = foldOffsetsTopic(this.topic, read);
    this.replaceConnector(
      connector,
      [...offsets].flatMap(([key, r]) =>
        r.offset === null ? [] : [[key, r.offset] as [string, SourceOffset]],
      ),
    );
  }

  async put(connector: string, entries: OffsetEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { messages } = this.records(connector, entries);
    try {
      await this.producer.send({ topic: this.topic, acks: -1, messages });
    } catch (err) {
      throw new PipeError('KAFKA_REQUEST', `storing offsets of ${connector} failed: ${messageOf(err)}`, {
        cause: err,
        retriable: true,
      });
    }
    for (const m of messages) this.offsets.set(m.key.toString('utf8'), JSON.parse(m.value.toString('utf8')));
  }

  async drop(connector: string): Promise<void> {
    const keys = this.keysOf(connector);
    if (keys.length === 0) return;
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: keys.map((key) => ({ key, value: null })),
    });
    for (const key of keys) this.offsets.delete(key);
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

/**
 * A write of at most this many bytes at a file's start is one page, which a
 * killed process leaves whole or not at all: Linux checks for a fatal signal
 * between the pages of a write (generic_perform_write), never within one.
 */
const ONE_PAGE = 4096;

/**
 * The worker's offset file (state/offset-file.ts). Connect's standalone file
 * is Java-serialized and is not shared: `pipe import` converts it into this
 * one, which keeps the same keys and values as JSON. A crash leaves the old
 * or the new offsets, never half of them: a file of one page is written over
 * in one write, a larger one replaced (a temporary file renamed over it).
 */
export class FileOffsetStore extends MemoryBackedStore {
  private readonly temp: string;
  /** Open from a save until the event loop's next check phase: the puts made meanwhile share one save there. */
  private turn: Promise<void> | undefined;
  /** Whether a put joined the open turn after its first save: the shared save is written only then. */
  private turnWanted = false;

  private constructor(private readonly path: string) {
    super();
    this.temp = `${path}.tmp`;
  }

  static async open(path: string): Promise<FileOffsetStore> {
    const store = new FileOffsetStore(path);
    await store.reload();
    return store;
  }

  /**
   * Nothing to read: while this worker runs it is the file's only writer
   * (`pipe offsets` changes the file only while no worker runs), so what it
   * holds is what the file holds, even when the file cannot be read now.
   */
  async refresh(): Promise<void> {}

  async reload(): Promise<void> {
    const stored = await readOffsetFile(this.path);
    this.offsets.clear();
    for (const [key, value] of Object.entries(stored)) this.offsets.set(key, value);
  }

  put(connector: string, entries: OffsetEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    for (const e of entries) this.offsets.set(offsetKey(connector, e.partition).toString('utf8'), e.offset);
    return this.save();
  }

  drop(connector: string): Promise<void> {
    const keys = this.keysOf(connector);
    if (keys.length === 0) return Promise.resolve();
    for (const key of keys) this.offsets.delete(key);
    return this.save();
  }

  /** Waits for the save shared by the last puts, if one is still to be written. */
  async close(): Promise<void> {
    await this.turn?.catch(() => undefined);
  }

  /**
   * Written on the event loop. On the thread pool a save is four operations
   * (open, write, close, rename), each waiting for the event loop to finish
   * converting a request's worth of records: `pipe run`'s file-source saves
   * took 3 ms at the median there, longer than the request they overlapped,
   * and the source waited for them a quarter of its time. Here a save costs
   * a few microseconds (`overwrite`), and its offsets are in the file before
   * the source's next request goes (docs/RELIABILITY.md, docs/BENCHMARKS.md).
   *
   * The first put of an event-loop turn is written at once. Those after it in
   * the same turn (other sources' acknowledgements read in the same poll)
   * share one save at the turn's check phase: 20 sources in one worker made a
   * save for every put, 1.3 ms each with their reads contending, a quarter of
   * their time.
   */
  private save(): Promise<void> {
    if (this.turn) {
      this.turnWanted = true;
      return this.turn;
    }
    this.turn = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.turn = undefined;
      if (!this.turnWanted) return;
      this.turnWanted = false;
      this.write();
    });
    try {
      this.write();
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * No fsync, as before and as Connect's standalone offset file: what a
   * killed process wrote is in the file; a machine that loses power re-sends.
   */
  private write(): void {
    const text = offsetFileText(Object.fromEntries(this.offsets));
    if (!this.overwrite(text)) this.replace(text);
  }

  /**
   * Writes `text` over the file in one write when both fit in a page,
   * padded with spaces (JSON's whitespace) to the file's length so that no
   * old byte remains after it. 6 µs where a rename over the file costs
   * 180 µs, because ext4 writes a replacing file's data back at the rename:
   * with a save per request, the renames were 14% of `pipe run`'s file
   * source (docs/BENCHMARKS.md). False when there is no file to write over,
   * or either is larger than a page.
   */
  private overwrite(text: string): boolean {
    const bytes = Buffer.byteLength(text);
    if (bytes > ONE_PAGE) return false;
    let fd: number;
    try {
      fd = openSync(this.path, 'r+');
    } catch (err) {
      const { code } = err as NodeJS.ErrnoException;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw err;
    }
    try {
      const { size } = fstatSync(fd);
      if (size > ONE_PAGE) return false;
      const padded = bytes < size ? `${text.slice(0, -1)}${' '.repeat(size - bytes)}\n` : text;
      writeSync(fd, padded, 0);
      return true;
    } finally {
      closeSync(fd);
    }
  }

  private replace(text: string): void {
    try {
      writeFileSync(this.temp, text);
    } catch (err) {
      // The folder is made only when missing: a recursive mkdir before every save cost a call more.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(this.temp, text);
    }
    renameSync(this.temp, this.path);
  }
}
