export { startRedis, redisAvailable, type RedisHandle } from './redis.js';
export {
  startKafkaMock,
  kafkaMockAvailable,
  ensureMockTopics,
  mockSafePartitionAssigners,
  MOCK_PARTITIONS_PER_TOPIC,
  type KafkaMockHandle,
} from './kafkaMock.js';
export { freeLoopbackPort } from './process.js';
export { startPostgres, postgresAvailable, postgresBinDir, type PostgresHandle } from './postgres.js';
export { polisStatement, type PolisStatementFields } from './statements.js';
