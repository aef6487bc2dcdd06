using System.ComponentModel.DataAnnotations;

namespace Campaigns.Worker;

/// <summary>How the worker consumes and delivers (<c>Worker:</c> configuration).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Sends in flight at once in this process.</summary>
    [Range(1, 10_000)]
    public int Concurrency { get; set; } = 256;

    /// <summary>Jobs read from the stream in one batch.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 256;

    /// <summary>Attempts per message before it is failed for good.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Backoff before the second attempt; doubled for each later one, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed message may stay <c>sending</c> before its attempt counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SendLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time given to in-flight sends on shutdown.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The mock provider's behaviour (<c>Sender:</c> configuration).</summary>
public sealed class SenderOptions : IValidatableObject
{
    public const string SectionName = "Sender";

    [Range(0, 60_000)]
    public int MinLatencyMs { get; set; } = 50;

    [Range(0, 60_000)]
    public int MaxLatencyMs { get; set; } = 200;

    [Range(0.0, 1.0)]
    public double SuccessRate { get; set; } = 0.92;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxLatencyMs < MinLatencyMs)
        {
            yield return new ValidationResult("Sender:MaxLatencyMs must not be below Sender:MinLatencyMs",
                [nameof(MaxLatencyMs), nameof(MinLatencyMs)]);
        }
    }
}

public static class WorkerOptionsExtensions
{
    public static IHostApplicationBuilder AddWorkerOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SenderOptions>().BindConfiguration(SenderOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
