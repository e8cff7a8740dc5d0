import { LOCAL_WORKER_CONTEXT } from './synthesis';

/**
 * bin/app.ts with LOCAL_WORKER_CONTEXT, for the local synth: `-c` gives the app strings only, and
 * workerEnvironment is an object. The CLI's own context (cdk.json, `-c`) still wins, as over cdk.json.
 */
const given = JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}') as Record<string, unknown>;
process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...LOCAL_WORKER_CONTEXT, ...given });
void import('../../bin/app');
