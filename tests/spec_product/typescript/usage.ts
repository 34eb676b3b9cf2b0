// A client author's program against the TypeScript clients that @hey-api/openapi-ts generates
// from spec/cdm.yaml and spec/dlf.yaml (into ./cdm and ./dlf). It is only compiled, under
// `tsc --strict`: if the specs stop producing usable types, this file stops compiling.
import { createClient as createCdmClient } from './cdm/client';
import { showJobStatus, type Submission } from './cdm';
import { createClient as createDlfClient } from './dlf/client';
import { listJobs, startJob, type DlfError, type JobListItem } from './dlf';

const token = 'an IAM token';
const projectId = '1551c7f6c808414d8e9f3c514a170f2e';

const cdm = createCdmClient({
  baseUrl: 'https://cdm.ap-southeast-1.myhuaweicloud.com',
  headers: { 'X-Auth-Token': token },
});
const dlf = createDlfClient({
  baseUrl: 'https://dayu-dlf.ap-southeast-1.myhuaweicloud.com',
  headers: { 'X-Auth-Token': token },
});

// CDM: the status of a migration job; `status` is the spec's enum, `progress` a number.
export async function jobProgress(clusterId: string, jobName: string): Promise<string> {
  const { data, error } = await showJobStatus({
    client: cdm,
    path: { project_id: projectId, cluster_id: clusterId, job_name: jobName },
  });
  if (error !== undefined) {
    return `failed: ${JSON.stringify(error)}`;
  }
  const run: Submission | undefined = data?.submissions?.[0];
  const status: 'BOOTING' | 'FAILURE_ON_SUBMIT' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN'
    | 'NEVER_EXECUTED' | undefined = run?.status;
  const progress: number | undefined = run?.progress;
  return `${status ?? 'no run'} ${progress ?? 0}%`;
}

// DLF: list batch jobs in a workspace, then start the first one with a parameter.
export async function startFirstBatchJob(workspace: string): Promise<string | undefined> {
  const listed = await listJobs({
    client: dlf,
    path: { project_id: projectId },
    query: { jobType: 'BATCH', limit: 10 },
    headers: { workspace },
  });
  const first: JobListItem | undefined = listed.data?.jobs[0];
  if (first === undefined) {
    return undefined;
  }
  const started = await startJob({
    client: dlf,
    path: { project_id: projectId, job_name: first.name },
    body: { jobParams: [{ name: 'date', value: '2024-04-29' }] },
    headers: { workspace },
  });
  const failure: DlfError | undefined = started.error as DlfError | undefined;
  return failure?.error_code ?? first.name;
}

// The types are real, not `any`: each of these lines must be a compile error.
export async function misuse(): Promise<void> {
  // @ts-expect-error job_name is a required path parameter
  await showJobStatus({ client: cdm, path: { project_id: projectId, cluster_id: 'c' } });
  // @ts-expect-error jobType is an enum: REAL_TIME or BATCH
  await listJobs({ client: dlf, path: { project_id: projectId }, query: { jobType: 'DAILY' } });
  // @ts-expect-error a job parameter's value is a string
  await startJob({ client: dlf, path: { project_id: projectId, job_name: 'j' }, body: { jobParams: [{ name: 'n', value: 1 }] } });
}
