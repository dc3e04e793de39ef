import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { defaultParameters, policySchema } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, householdStream, REJECTED_STREAM } from '@bijstand/platform';
import {
  ensureMockTopics,
  kafkaMockAvailable,
  mockSafePartitionAssigners,
  startKafkaMock,
  type KafkaMockHandle,
} from '@bijstand/testkit';
import {
  createDeadLetterProducer,
  createKafkaSource,
  deadLetterTopic,
  Ingestor,
  kafkaBatchHandler,
  type KafkaSource,
} from '../src/index.js';
import { syntheticBsn, mulberry32 } from '@bijstand/synthetic';
import { polisStatement } from '@bijstand/testkit/statements';

/*
 * Kafka ingest through the real pipeline: two consumers in one group store polis statements and case
 * events in the event store; one consumer dies halfway. Every statement must end up in its
 * household's stream exactly once, and every bad message in the rejected stream and the dead-letter
 * topic. Statements may arrive before their case (separate topic): they are parked, then applied.
 */
const HOUSEHOLDS = 100;
const PER_HOUSEHOLD = 100;
const BAD = 20;
const logger = createLogger('test', { level: 'silent' });
const ctx = { params: defaultParameters, policy: policySchema.parse({}) };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!kafkaMockAvailable())('Kafka ingest into the event store (mock cluster)', () => {
  let mock: KafkaMockHandle;
  beforeAll(async () => {
    mock = await startKafkaMock({ brokers: 3 });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it(
    '10,000 statements through a group of two, one killed halfway: each stored exactly once, bad ones dead-lettered',
    { timeout: 90_000 },
    async () => {
      const statements = 'polis.income-statements';
      const cases = 'case.events';
      await ensureMockTopics(mock.brokers, [statements, cases, deadLetterTopic(statements)]);
      const kafka = new Kafka({ clientId: 'pipeline-test', brokers: mock.brokers, logLevel: logLevel.NOTHING });
      const producer = kafka.producer({
        allowAutoTopicCreation: true,
        idempotent: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      const rand = mulberry32(7);
      const bsns = Array.from({ length: HOUSEHOLDS }, () => syntheticBsn(rand));
      const statementMessages = [];
      for (let h = 0; h < HOUSEHOLDS; h++) {
        for (let i = 0; i < PER_HOUSEHOLD; i++) {
          const week = String(1 + (i % 52)).padStart(2, '0');
          statementMessages.push({
            key: `H-${h}`,
            value: JSON.stringify(
              polisStatement({
                messageId: `m-${h}-${i}`,
                bsn: bsns[h],
                incomeRelationshipId: `IKV-${h}-${Math.floor(i / 52)}`,
                period: { start: `2027-01-01`, end: `2027-01-${String(1 + (i % 28)).padStart(2, '0')}`, kind: 'other' },
                taxableWage: `${100 + i}.${week}`,
                withheldTax: '0.00',
              }),
            ),
          });
        }
      }
      const bad = Array.from({ length: BAD }, (_, i) => ({
        key: `bad-${i}`,
        value: i % 2 ? '{broken' : JSON.stringify({ messageId: `bad-${i}`, bsn: '123456789' }),
      }));
      // Half the cases before the statements, half after: the late ones' statements are parked first.
      const caseMessages = bsns.map((bsn, h) => ({
        key: `H-${h}`,
        value: JSON.stringify({
          type: 'CaseOpened',
          householdId: `H-${h}`,
          members: [{ bsn, role: 'applicant' }],
          category: 'single',
          startDate: '2027-01-01',
        }),
      }));
      await producer.send({ topic: cases, acks: -1, messages: caseMessages.slice(0, HOUSEHOLDS / 2) });
      for (let i = 0; i < statementMessages.length; i += 500)
        await producer.send({ topic: statements, acks: -1, messages: statementMessages.slice(i, i + 500) });
      await producer.send({ topic: statements, acks: -1, messages: bad });
      await producer.send({ topic: cases, acks: -1, messages: caseMessages.slice(HOUSEHOLDS / 2) });
      await producer.disconnect();

      const store = await openEventStore({ kind: 'memory' });
      const deadLetters = createDeadLetterProducer({ brokers: mock.brokers, clientId: 'dlq' });
      await deadLetters.connect();
      let handledByA = 0;
      let killed = false;
      const member = (name: string, onBatch?: (n: number) => void): KafkaSource => {
        const handle = kafkaBatchHandler({
          ingestor: new Ingestor(store, ctx, logger),
          deadLetters,
          kindOfTopic: (t) => (t === cases ? 'case' : 'statement'),
          now: () => '2027-02-01T00:00:00Z',
          logger,
        });
        const source: KafkaSource = createKafkaSource({
          brokers: mock.brokers,
          clientId: name,
          groupId: 'bijstand-ingest',
          topics: [statements, cases],
          fromBeginning: true,
          sessionTimeout: 3000,
          heartbeatInterval: 300,
          rebalanceTimeout: 6000,
          maxWaitTimeInMs: 100,
          kafkaLogLevel: 'nothing',
          partitionAssigners: mockSafePartitionAssigners(),
          handleBatch: async (messages) => {
            if (name === 'a' && killed) throw new Error('member A is dead');
            await handle(messages);
            onBatch?.(messages.length);
          },
        });
        return source;
      };
      const a: KafkaSource = member('a', (n) => {
        handledByA += n;
        if (handledByA >= 2500 && !killed) {
          // Dies after storing a batch and before committing it: that batch is delivered again to B.
          killed = true;
          void a.stop();
          throw new Error('simulated crash between store and commit');
        }
      });
      const b = member('b');
      await Promise.all([a.start(), b.start()]);

      const storedStatements = async () => {
        let n = 0;
        for (let h = 0; h < HOUSEHOLDS; h++)
          n += (await store.readStream(householdStream(`H-${h}`))).filter(
            (e) => e.type === 'IncomeStatementRecorded',
          ).length;
        return n;
      };
      const deadline = Date.now() + 75_000;
      while (
        (await storedStatements()) < HOUSEHOLDS * PER_HOUSEHOLD ||
        (await store.readStream(REJECTED_STREAM)).length < BAD
      ) {
        if (Date.now() > deadline)
          throw new Error(
            `timed out: ${await storedStatements()} statements stored, A handled ${handledByA}, killed ${killed}`,
          );
        await sleep(200);
      }
      await b.stop();
      await a.stop().catch(() => {});

      expect(killed).toBe(true);
      for (let h = 0; h < HOUSEHOLDS; h++) {
        const ids = (await store.readStream(householdStream(`H-${h}`)))
          .filter((e) => e.type === 'IncomeStatementRecorded')
          .map((e) => e.eventId);
        expect(ids.length).toBe(PER_HOUSEHOLD);
        expect(new Set(ids).size).toBe(PER_HOUSEHOLD);
      }
      const rejected = await store.readStream(REJECTED_STREAM);
      expect(rejected).toHaveLength(BAD);
      expect(new Set(rejected.map((e) => (e.data as { reason: string }).reason))).toEqual(
        new Set(['payload: is not valid JSON', expect.stringContaining('bsn: fails the elfproef')]),
      );

      // The dead-letter topic holds each bad message at least once, with its reason in a header.
      const consumer = kafka.consumer({
        groupId: 'dlq-reader',
        partitionAssigners: mockSafePartitionAssigners(),
        sessionTimeout: 3000,
        heartbeatInterval: 300,
        maxWaitTimeInMs: 100,
      });
      await consumer.connect();
      await consumer.subscribe({ topic: deadLetterTopic(statements), fromBeginning: true });
      const dead = new Map<string, string>();
      await consumer.run({
        eachMessage: async ({ message }) => void dead.set(String(message.key), String(message.headers?.reason)),
      });
      while (dead.size < BAD && Date.now() < deadline) await sleep(100);
      await consumer.disconnect();
      await deadLetters.disconnect();
      expect(dead.size).toBe(BAD);
      expect(dead.get('bad-1')).toBe('payload: is not valid JSON');
    },
  );
});
