using System.ComponentModel.DataAnnotations;

namespace Campaigns.Worker.Options;

/// <summary>How the worker consumes and delivers (<c>Worker:</c> configuration).</summary>
public sealed class WorkerOptions : IValidatableObject
{
    public const string SectionName = "Worker";

    /// <summary>Sends in flight at once in this process.</summary>
    [Range(1, 10_000)]
    public int Concurrency { get; set; } = 256;

    /// <summary>
    /// Messages claimed ahead of a free slot, so a finished call's slot starts the next send at once instead of
    /// waiting for a read and a claim. They are <c>sending</c> under this worker's lease meanwhile, counted as in
    /// flight. Unset: a quarter of <see cref="Concurrency"/>.
    /// </summary>
    [Range(0, 10_000)]
    public int? ClaimAhead { get; set; }

    /// <summary><see cref="ClaimAhead"/>, or its default.</summary>
    public int ClaimAheadOrDefault => ClaimAhead ?? Math.Max(1, Concurrency / 4);

    /// <summary>Jobs read from the stream in one batch (and claimed in one statement).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 512;

    /// <summary>Attempts per message before it is failed for good.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Backoff before the second attempt; doubled for each later one, with ±20% jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of one backoff.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a claimed message may stay <c>sending</c> before its attempt counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SendLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest one provider call may take; a call still running then counts as a transient failure
    /// (its outcome unknown: the retry carries the same idempotency key). Unset: a quarter of
    /// <see cref="SendLease"/>, so an answer is always back, and written, well within the lease.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:30:00")]
    public TimeSpan? SendTimeout { get; set; }

    /// <summary><see cref="SendTimeout"/>, or its default.</summary>
    public TimeSpan ProviderCallTimeout => SendTimeout ?? SendLease / 4;

    /// <summary>Time given to in-flight sends on shutdown.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The requeue horizon, owned by the worker alone: a <c>pending</c> message whose job was published this
    /// long ago without being claimed is presumed lost and is published again by the retry driver.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the retry driver looks for due messages.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RequeueInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Due messages re-published per retry-driver round.</summary>
    [Range(1, 100_000)]
    public int RequeueBatchSize { get; set; } = 5_000;

    /// <summary>
    /// While the stream holds more entries than this, the retry driver publishes nothing: the jobs
    /// already queued cover the pending messages, and re-publishing would only double the backlog.
    /// </summary>
    [Range(0, 100_000_000)]
    public long RequeueMaxBacklog { get; set; } = 10_000;

    /// <summary>A stream entry delivered to a consumer and not acknowledged for this long is taken over (XAUTOCLAIM).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan JobReclaimIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A consumer of the group idle this long with nothing pending is dead (a crashed or replaced
    /// process: consumer names are per process) and is removed from the group. Far above
    /// <see cref="JobReclaimIdle"/>: its jobs are taken over first.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "7.00:00:00")]
    public TimeSpan DeadConsumerIdle { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Outcomes written in one statement at most.</summary>
    [Range(1, 10_000)]
    public int OutcomeBatchSize { get; set; } = 500;

    /// <summary>How long the first outcome of a batch waits for company before it is written.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan OutcomeFlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the scheduler looks for scheduled campaigns whose time has come.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often stuck <c>sending</c> campaigns and expired leases are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the messages' partitions are extended ahead of the campaigns (<c>MessagePartitionKeeper</c>). A round
    /// that finds campaigns or customers being written gives up within half a second and is tried again a round later.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PartitionInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DeadConsumerIdle <= JobReclaimIdle)
        {
            yield return new ValidationResult(
                "Worker:DeadConsumerIdle must be above Worker:JobReclaimIdle: a dead consumer's jobs are taken over before it is removed",
                [nameof(DeadConsumerIdle), nameof(JobReclaimIdle)]);
        }
        if (ProviderCallTimeout > SendLease / 2)
        {
            yield return new ValidationResult(
                "Worker:SendTimeout must be at most half of Worker:SendLease: an answer must be written before the lease runs out",
                [nameof(SendTimeout), nameof(SendLease)]);
        }
    }
}
