// The Kafka consumer process (`cli ingest --kafka`): both topics in the consumer group until SIGINT/SIGTERM.
export { runKafkaIngest } from './kafkaIngest.js';
