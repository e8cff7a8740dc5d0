import { measureReplicaRun, type ReplicaRunOptions } from './replica-throughput';

/** One run of `npm run bench:replicas` in a process of its own: its options as JSON in, the run as JSON out. */
const options = JSON.parse(process.argv[2]) as ReplicaRunOptions;
void measureReplicaRun(options).then((run) => {
  if (run) console.log(JSON.stringify(run));
  process.exitCode = run ? 0 : 1;
});
