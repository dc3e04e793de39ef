// Plain-text output for people at a terminal (the CLI, the demo, the bench): tables on stdout, progress on stderr.
export { table } from './table.js';
export { progressBar, writeBesideBar, besideBarDestination, type BarStream } from './progress.js';
