/*
 * schema_batch.c - the batch/v1 tables: Job (with its pod failure and success policies) and
 * CronJob, with their list types.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order. Note the
 * Job conditions: strategic merge patch merges them by type while apply treats the list as atomic
 * (SF_APPLY_ATOMIC), as upstream declares. Facts follow Kubernetes v1.33; descriptions are our own.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field job_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Job." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_batch_JobSpec,
	  "The desired job." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_batch_JobStatus,
	  "The observed state of the job." },
};
const struct sch_type sch_batch_Job = {
	.name = "io.k8s.api.batch.v1.Job",
	.fields = job_fields,
	.nfields = ARRAY_SIZE(job_fields),
	.doc = "Runs pods until a given number of them complete successfully.",
};

static const struct sch_field pod_failure_policy_on_exit_codes_requirement_fields[] = {
	{ "containerName", 1, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Only check this container; unset checks every container." },
	{ "operator", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "In or NotIn: how the exit codes relate to values." },
	{ "values", 3, SK_INT32, SL_SET, SF_REQUIRED | SF_SMP_REPLACE, NULL, NULL, NULL,
	  "Exit codes to check against, ordered and without duplicates." },
};
const struct sch_type sch_batch_PodFailurePolicyOnExitCodesRequirement = {
	.name = "io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement",
	.fields = pod_failure_policy_on_exit_codes_requirement_fields,
	.nfields = ARRAY_SIZE(pod_failure_policy_on_exit_codes_requirement_fields),
	.doc = "Matches failed pods by the exit codes of their containers.",
};

static const struct sch_field pod_failure_policy_on_pod_conditions_pattern_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Pod condition type to match." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Condition status to match; defaults to True." },
};
const struct sch_type sch_batch_PodFailurePolicyOnPodConditionsPattern = {
	.name = "io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern",
	.fields = pod_failure_policy_on_pod_conditions_pattern_fields,
	.nfields = ARRAY_SIZE(pod_failure_policy_on_pod_conditions_pattern_fields),
	.doc = "Matches failed pods by one of their conditions.",
};

static const struct sch_field pod_failure_policy_rule_fields[] = {
	{ "action", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "FailJob, FailIndex, Ignore or Count." },
	{ "onExitCodes", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL,
	  &sch_batch_PodFailurePolicyOnExitCodesRequirement,
	  "Requirement on the container exit codes." },
	{ "onPodConditions", 3, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL,
	  &sch_batch_PodFailurePolicyOnPodConditionsPattern,
	  "Requirement on the pod conditions; any pattern may match." },
};
const struct sch_type sch_batch_PodFailurePolicyRule = {
	.name = "io.k8s.api.batch.v1.PodFailurePolicyRule",
	.fields = pod_failure_policy_rule_fields,
	.nfields = ARRAY_SIZE(pod_failure_policy_rule_fields),
	.doc = "What to do with a failed pod that meets the rule's requirements.",
};

static const struct sch_field pod_failure_policy_fields[] = {
	{ "rules", 1, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_batch_PodFailurePolicyRule,
	  "Rules evaluated in order; the first match decides." },
};
const struct sch_type sch_batch_PodFailurePolicy = {
	.name = "io.k8s.api.batch.v1.PodFailurePolicy",
	.fields = pod_failure_policy_fields,
	.nfields = ARRAY_SIZE(pod_failure_policy_fields),
	.doc = "How failed pods of a Job count against its backoff limit.",
};

static const struct sch_field success_policy_fields[] = {
	{ "rules", 1, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_batch_SuccessPolicyRule,
	  "Rules, any of which declares the job succeeded." },
};
const struct sch_type sch_batch_SuccessPolicy = {
	.name = "io.k8s.api.batch.v1.SuccessPolicy",
	.fields = success_policy_fields,
	.nfields = ARRAY_SIZE(success_policy_fields),
	.doc = "When an indexed Job may be declared successful before all its indexes complete.",
};

static const struct sch_field success_policy_rule_fields[] = {
	{ "succeededIndexes", 1, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Indexes that must all have succeeded, as intervals like 1,3-5,7." },
	{ "succeededCount", 2, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Minimum number of succeeded indexes (among succeededIndexes, when set)." },
};
const struct sch_type sch_batch_SuccessPolicyRule = {
	.name = "io.k8s.api.batch.v1.SuccessPolicyRule",
	.fields = success_policy_rule_fields,
	.nfields = ARRAY_SIZE(success_policy_rule_fields),
	.doc = "One condition for declaring an indexed Job successful.",
};

static const struct sch_field job_spec_fields[] = {
	{ "parallelism", 1, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Maximum number of pods running at once." },
	{ "completions", 2, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of pods that must succeed; unset means any one success completes the job." },
	{ "activeDeadlineSeconds", 3, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds the job may run before the system terminates it." },
	{ "podFailurePolicy", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_batch_PodFailurePolicy,
	  "How pod failures count against the backoff limit." },
	{ "successPolicy", 16, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_batch_SuccessPolicy,
	  "When an indexed job may succeed early." },
	{ "backoffLimit", 7, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of retries before the job fails; defaults to 6." },
	{ "backoffLimitPerIndex", 12, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of retries per index of an indexed job." },
	{ "maxFailedIndexes", 13, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of failed indexes after which the whole job fails." },
	{ "selector", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "Label query over the pods; normally generated." },
	{ "manualSelector", 5, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Let the user pick the pod labels and selector instead of the system." },
	{ "template", 6, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_PodTemplateSpec,
	  "Template of the pods; restartPolicy must be Never or OnFailure." },
	{ "ttlSecondsAfterFinished", 8, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds after completion when the job may be deleted automatically." },
	{ "completionMode", 9, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "NonIndexed (the default) or Indexed." },
	{ "suspend", 10, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Stop creating pods (and delete running ones) while true." },
	{ "podReplacementPolicy", 14, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "TerminatingOrFailed or Failed: when replacement pods are created." },
	{ "managedBy", 15, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Controller that manages the job, when not the built-in one." },
};
const struct sch_type sch_batch_JobSpec = {
	.name = "io.k8s.api.batch.v1.JobSpec",
	.fields = job_spec_fields,
	.nfields = ARRAY_SIZE(job_spec_fields),
	.doc = "The desired state of a Job.",
};

static const struct sch_field job_status_fields[] = {
	{ "conditions", 1, SK_OBJECT, SL_MAP, SF_APPLY_ATOMIC, "type", NULL, &sch_batch_JobCondition,
	  "Observed conditions, such as Complete, Failed or Suspended." },
	{ "startTime", 2, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the controller started processing the job." },
	{ "completionTime", 3, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the job completed successfully." },
	{ "active", 4, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pending and running pods that are not terminating." },
	{ "succeeded", 5, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods that succeeded." },
	{ "failed", 6, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods that failed." },
	{ "terminating", 11, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of pods that are terminating." },
	{ "completedIndexes", 7, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Completed indexes of an indexed job, as intervals like 1,3-5,7." },
	{ "failedIndexes", 10, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Failed indexes, when backoffLimitPerIndex is set." },
	{ "uncountedTerminatedPods", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_batch_UncountedTerminatedPods,
	  "Finished pods not yet counted in the status." },
	{ "ready", 9, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of pods with a Ready condition." },
};
const struct sch_type sch_batch_JobStatus = {
	.name = "io.k8s.api.batch.v1.JobStatus",
	.fields = job_status_fields,
	.nfields = ARRAY_SIZE(job_status_fields),
	.doc = "Observed state of a Job.",
};

static const struct sch_field uncounted_terminated_pods_fields[] = {
	{ "succeeded", 1, SK_STRING, SL_SET, SF_SMP_REPLACE, NULL, NULL, NULL,
	  "UIDs of succeeded pods." },
	{ "failed", 2, SK_STRING, SL_SET, SF_SMP_REPLACE, NULL, NULL, NULL,
	  "UIDs of failed pods." },
};
const struct sch_type sch_batch_UncountedTerminatedPods = {
	.name = "io.k8s.api.batch.v1.UncountedTerminatedPods",
	.fields = uncounted_terminated_pods_fields,
	.nfields = ARRAY_SIZE(uncounted_terminated_pods_fields),
	.doc = "UIDs of finished pods the job controller has not counted yet.",
};

static const struct sch_field job_condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the condition, such as Complete or Failed." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "lastProbeTime", 3, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the condition was last checked." },
	{ "lastTransitionTime", 4, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable reason for the last transition." },
	{ "message", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details of the last transition." },
};
const struct sch_type sch_batch_JobCondition = {
	.name = "io.k8s.api.batch.v1.JobCondition",
	.fields = job_condition_fields,
	.nfields = ARRAY_SIZE(job_condition_fields),
	.doc = "One observed condition of a Job.",
};

static const struct sch_field job_template_spec_fields[] = {
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Metadata of the jobs." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_batch_JobSpec,
	  "Spec of the jobs." },
};
const struct sch_type sch_batch_JobTemplateSpec = {
	.name = "io.k8s.api.batch.v1.JobTemplateSpec",
	.fields = job_template_spec_fields,
	.nfields = ARRAY_SIZE(job_template_spec_fields),
	.doc = "Template from which a CronJob creates Jobs.",
};

static const struct sch_field cron_job_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: CronJob." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_batch_CronJobSpec,
	  "The desired cron job, including its schedule." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_batch_CronJobStatus,
	  "The observed state of the cron job." },
};
const struct sch_type sch_batch_CronJob = {
	.name = "io.k8s.api.batch.v1.CronJob",
	.fields = cron_job_fields,
	.nfields = ARRAY_SIZE(cron_job_fields),
	.doc = "Creates Jobs on a repeating schedule.",
};

static const struct sch_field cron_job_spec_fields[] = {
	{ "schedule", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Schedule in cron format." },
	{ "timeZone", 8, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Time zone of the schedule, such as Etc/UTC; defaults to the controller's." },
	{ "startingDeadlineSeconds", 2, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds after a missed start time during which the job may still start." },
	{ "concurrencyPolicy", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Allow (the default), Forbid or Replace concurrent runs." },
	{ "suspend", 4, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Skip future runs while true." },
	{ "jobTemplate", 5, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_batch_JobTemplateSpec,
	  "Template of the jobs created." },
	{ "successfulJobsHistoryLimit", 6, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of successful jobs to keep; defaults to 3." },
	{ "failedJobsHistoryLimit", 7, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of failed jobs to keep; defaults to 1." },
};
const struct sch_type sch_batch_CronJobSpec = {
	.name = "io.k8s.api.batch.v1.CronJobSpec",
	.fields = cron_job_spec_fields,
	.nfields = ARRAY_SIZE(cron_job_spec_fields),
	.doc = "The desired state of a CronJob.",
};

static const struct sch_field cron_job_status_fields[] = {
	{ "active", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_ObjectReference,
	  "References to the jobs currently running." },
	{ "lastScheduleTime", 4, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When a job was last scheduled." },
	{ "lastSuccessfulTime", 5, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When a job last completed successfully." },
};
const struct sch_type sch_batch_CronJobStatus = {
	.name = "io.k8s.api.batch.v1.CronJobStatus",
	.fields = cron_job_status_fields,
	.nfields = ARRAY_SIZE(cron_job_status_fields),
	.doc = "Observed state of a CronJob.",
};

static const struct sch_field job_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: JobList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_batch_Job,
	  "The Job objects." },
};
const struct sch_type sch_batch_JobList = {
	.name = "io.k8s.api.batch.v1.JobList",
	.fields = job_list_fields,
	.nfields = ARRAY_SIZE(job_list_fields),
	.doc = "A list of Job objects.",
};

static const struct sch_field cron_job_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: CronJobList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_batch_CronJob,
	  "The CronJob objects." },
};
const struct sch_type sch_batch_CronJobList = {
	.name = "io.k8s.api.batch.v1.CronJobList",
	.fields = cron_job_list_fields,
	.nfields = ARRAY_SIZE(cron_job_list_fields),
	.doc = "A list of CronJob objects.",
};
