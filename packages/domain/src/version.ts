/** The version of the rules engine; part of every decision's rules version. Bump when results can change. */
export const ENGINE_VERSION = '1.0.0';
