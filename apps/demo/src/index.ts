// `make run`: the worked examples (its own copy in examples/) and seeded synthetic households, settled night by night.
export { runDemo, DEMO_EXAMPLES_DIR } from './demo.js';
