/**
 * Configuration that cannot be used (a file, the environment, a key): the process stops naming what
 * and where. In a module of its own so that config.ts and the modules it depends on (pseudonymKey.ts,
 * through rulesVersion.ts and ids.ts) can both use it without importing each other.
 */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}
