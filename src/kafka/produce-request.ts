/**
 * The data path's Produce requests: the client's own request layout, with
 * each partition's records written by record-batch.ts in one buffer instead
 * of the client's field-by-field encoder. The client keeps everything else:
 * the version it agreed with the broker, idempotent sequence numbers,
 * leaders, retries and the response.
 */
import {
  type API,
  type CreateRecordsBatchOptions,
  createAPI,
  groupByProperty,
  type MessageRecord,
  ProduceAcks,
  produceV7,
  produceV8,
  produceV9,
  produceV10,
  produceV11,
  Writer,
} from '@platformatic/kafka';
import { encodeRecordBatch } from './record-batch.js';

type ProduceVersion = typeof produceV11;

const VERSIONS: Record<number, ProduceVersion> = {
  7: produceV7,
  8: produceV8,
  9: produceV9,
  10: produceV10,
  11: produceV11,
};

/** From version 9 the request is flexible: compact strings, arrays and records, and tagged fields. */
const FIRST_FLEXIBLE = 9;

type ProduceOptions = Partial<CreateRecordsBatchOptions>;

/**
 * A Produce request of `version` for `messages` as the client's own
 * `createRequest` of that version writes it (the same bytes, which the
 * tests compare). Compressed batches, which the data path does not send,
 * are left to the client's encoder.
 */
export function createProduceRequest(version: number) {
  const own = VERSIONS[version];
  if (!own) return undefined;
  const flexible = version >= FIRST_FLEXIBLE;
  return (acks = 1, timeout = 0, messages: MessageRecord[], options: ProduceOptions = {}): Writer => {
    if ((options.compression ?? 'none') !== 'none')
      return own.createRequest(acks, timeout, messages, options);
    const now = BigInt(Date.now());
    for (const m of messages) {
      m.partition ??= 0;
      m.timestamp ??= now;
    }
    const writer = Writer.create()
      .appendString(options.transactionalId, flexible)
      .appendInt16(acks)
      .appendInt32(timeout)
      .appendArray(
        groupByProperty<string, MessageRecord>(messages, 'topic'),
        (w, [topic, ofTopic]) => {
          w.appendString(topic, flexible).appendArray(
            groupByProperty<string, MessageRecord>(ofTopic, 'partition'),
            (pw, [partition, records]) => {
              const batch = encodeRecordBatch(
                records,
                {
                  producerId: options.producerId,
                  producerEpoch: options.producerEpoch,
                  firstSequence: options.sequences?.getWithDefault(`${topic}:${partition}`, 0) ?? 0,
                  transactional: Boolean(options.transactionalId),
                  partitionLeaderEpoch: options.partitionLeaderEpoch,
                },
                now,
              );
              pw.appendInt32(Number(partition));
              if (flexible) pw.appendUnsignedVarInt(batch.length + 1);
              else pw.appendInt32(batch.length);
              pw.append(batch);
            },
            flexible,
            flexible,
          );
        },
        flexible,
        flexible,
      );
    if (flexible) writer.appendTaggedFields();
    if (acks === ProduceAcks.NO_RESPONSE) writer.context.noResponse = true;
    return writer;
  };
}

const apis = new Map<number, API<unknown[], unknown>>();

/** The Produce API of `version` writing its batches with record-batch.ts; undefined for a version it does not write. */
export function produceApi(version: number): API<unknown[], unknown> | undefined {
  const known = apis.get(version);
  if (known) return known;
  const create = createProduceRequest(version);
  const own = VERSIONS[version];
  if (!create || !own) return undefined;
  const api = createAPI<unknown[], unknown>(0, version, create, own.parseResponse);
  apis.set(version, api);
  return api;
}
