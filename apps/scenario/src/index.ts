// A scenario file (SPEC §11) run through ingest and the nightly settlement on a virtual clock (`cli scenario`).
export { runScenarioThroughPipeline, type PipelineOutcome } from './pipeline.js';
