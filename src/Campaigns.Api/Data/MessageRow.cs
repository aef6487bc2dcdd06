using Campaigns.Api.Contracts;

namespace Campaigns.Api.Data;

/// <summary>An outbound_messages row as Dapper reads it.</summary>
public sealed class MessageRow
{
    public const string Columns = """
        id, campaign_id, customer_id, status, rendered_content, last_error, retry_count, created_at, updated_at,
        provider, provider_message_id, sent_at, delivered_at, read_at, error_code,
        CASE WHEN status = 'pending' THEN not_before END AS not_before, variant, language, personalization
        """;

    public long Id { get; init; }
    public long CampaignId { get; init; }
    public long CustomerId { get; init; }
    public string Status { get; init; } = "";
    /// <summary>Null for an A/B test's rest until the winner is decided.</summary>
    public string? RenderedContent { get; init; }
    public string? LastError { get; init; }
    public int RetryCount { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public string? Provider { get; init; }
    public string? ProviderMessageId { get; init; }
    public DateTime? SentAt { get; init; }
    public DateTime? DeliveredAt { get; init; }
    public DateTime? ReadAt { get; init; }
    public string? ErrorCode { get; init; }
    public DateTime? NotBefore { get; init; }
    public string? Variant { get; init; }

    /// <summary>The language of the template the message was rendered from (null for messages older than languages).</summary>
    public string? Language { get; init; }

    /// <summary>ai or fallback once the worker wrote a personalized campaign's message; else null.</summary>
    public string? Personalization { get; init; }

    public MessageResponse ToResponse() => new(Id, CampaignId, CustomerId, Status, RenderedContent, LastError, RetryCount,
        CampaignRow.AsUtc(CreatedAt), CampaignRow.AsUtc(UpdatedAt), Provider, ProviderMessageId, CampaignRow.AsUtc(SentAt),
        CampaignRow.AsUtc(DeliveredAt), CampaignRow.AsUtc(ReadAt), ErrorCode, Variant, Language, Personalization,
        CampaignRow.AsUtc(NotBefore));
}
