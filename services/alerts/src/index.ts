export * from './alerts.js';
export * from './consultantAlert.js';
export * from './deliveryLedger.js';
export * from './deliveryConfig.js';
export * from './dispatcher.js';
export * from './notifiers.js';
export * from './retryPolicy.js';
export * from './webhookSignature.js';
