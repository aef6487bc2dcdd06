using System.ComponentModel.DataAnnotations;

namespace Campaigns.Api.Data;

/// <summary>How sends are accepted (<c>Send:</c> configuration).</summary>
public sealed class SendOptions
{
    public const string SectionName = "Send";

    /// <summary>Recipients per API request (customer_ids).</summary>
    public const int MaxListedRecipients = 100_000;

    /// <summary>
    /// How long a queued message may stay pending before the worker's reconciler assumes its job was
    /// lost (the API died before queueing it, or Redis lost it) and queues it again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Customers read, rendered and copied per round while attaching an audience.</summary>
    [Range(100, 1_000_000)]
    public int ChunkSize { get; set; } = 25_000;
}
