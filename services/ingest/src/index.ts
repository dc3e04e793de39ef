export * from './ingestor.js';
export * from './ndjson.js';
export * from './kafka.js';
export * from './kafkaIngest.js';
