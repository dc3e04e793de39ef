export * from './alerts.js';
export * from './dispatcher.js';
export * from './report.js';
export * from './processManager.js';
