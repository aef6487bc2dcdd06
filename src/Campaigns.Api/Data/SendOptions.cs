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
}
