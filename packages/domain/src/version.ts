/**
 * The version of the rules engine; part of every decision's rules version. Bump when the engine
 * changes: the minor number when results stay the same (replay reports identical, naming both
 * versions), the major number when results can change.
 */
export const ENGINE_VERSION = '3.0.0';
