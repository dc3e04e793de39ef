/**
 * The consultant's workplace (web): alerts inbox, households with their documents, backoffice.
 * `buildWorkplace` gives the fastify app; `cli serve` starts it. The inbox read model alone, without
 * fastify, is `@bijstand/workplace/inbox` (the CLI's `alerts list` reads it at every start).
 */
export {
  ACCESS_LOG_STREAM,
  readAccessLog,
  recordHouseholdView,
  type HouseholdView,
  type HouseholdViewed,
} from './access.js';
export { demoUsersPath, writeDemoUsers } from './demoUsers.js';
export { acknowledge, filterInbox, readInbox, type InboxAlert, type InboxFilter } from './inbox.js';
export { buildWorkplace, type WorkplaceOptions } from './server.js';
export { DEFAULT_LIMITS, limitsFromEnv, type RequestLimits } from './limits.js';
export { workplaceSettings, type WorkplaceSettings } from './settings.js';
export {
  authenticate,
  hashPassword,
  loadUsers,
  ROLES,
  ROLE_LABEL,
  usersFileSchema,
  verifyPassword,
  type Role,
  type WorkplaceUser,
} from './users.js';
