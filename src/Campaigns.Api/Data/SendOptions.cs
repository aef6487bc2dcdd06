using System.ComponentModel.DataAnnotations;

namespace Campaigns.Api.Data;

/// <summary>How sends are accepted (<c>Send:</c> configuration).</summary>
public sealed class SendOptions
{
    public const string SectionName = "Send";

    /// <summary>Recipients per API request (customer_ids).</summary>
    public const int MaxListedRecipients = 100_000;

    /// <summary>Customers read, rendered and copied per round while attaching an audience.</summary>
    [Range(100, 1_000_000)]
    public int ChunkSize { get; set; } = 25_000;

    /// <summary>Message ids read and published per page once a send has committed: all the API holds of them at once.</summary>
    [Range(1, 1_000_000)]
    public int PublishPageSize { get; set; } = 10_000;
}
