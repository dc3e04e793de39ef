import { InMemoryEventStore } from '../src/index.js';
import { eventStoreContract } from './contract.js';

eventStoreContract('in-memory', async () => new InMemoryEventStore());
