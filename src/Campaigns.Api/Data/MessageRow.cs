using Campaigns.Api.Contracts;

namespace Campaigns.Api.Data;

/// <summary>An outbound_messages row as Dapper reads it.</summary>
public sealed class MessageRow
{
    public const string Columns = "id, campaign_id, customer_id, status, rendered_content, last_error, retry_count, created_at, updated_at";

    public long Id { get; init; }
    public long CampaignId { get; init; }
    public long CustomerId { get; init; }
    public string Status { get; init; } = "";
    public string RenderedContent { get; init; } = "";
    public string? LastError { get; init; }
    public int RetryCount { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public MessageResponse ToResponse() => new(Id, CampaignId, CustomerId, Status, RenderedContent, LastError, RetryCount,
        CampaignRow.AsUtc(CreatedAt), CampaignRow.AsUtc(UpdatedAt));
}
