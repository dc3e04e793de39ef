// Preloaded into a CLI process by tests (NODE_OPTIONS=--import …): Date.now starts at FAKE_NOW and runs on
// from there, so a test can start the worker "after 02:00" on a night its seeded households need, whatever
// today's date is. Only Date.now moves: the worker's clock is Date.now.
const fakeNow = Date.parse(process.env.FAKE_NOW ?? '');
if (Number.isNaN(fakeNow)) throw new Error('fakeClock.mjs: FAKE_NOW must be an ISO instant');
const realNow = Date.now.bind(Date);
const offset = fakeNow - realNow();
Date.now = () => realNow() + offset;
