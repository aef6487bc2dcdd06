using Campaigns.Api.Json;

namespace Campaigns.Api.Contracts;

public sealed record CreateCampaignRequest(string? Name, string? Channel, string? BaseTemplate, DateTimeOffset? ScheduledAt);

/// <summary>Only the members present change; <c>scheduled_at: null</c> clears the schedule.</summary>
public sealed record UpdateCampaignRequest
{
    public Optional<string> Name { get; init; }
    public Optional<string> Channel { get; init; }
    public Optional<string> BaseTemplate { get; init; }
    public Optional<DateTimeOffset?> ScheduledAt { get; init; }
}

public sealed record CampaignStats(int Total, int Pending, int Sending, int Sent, int Failed, int Cancelled);

public sealed record CampaignResponse(
    long Id,
    string Name,
    string Channel,
    string Status,
    string BaseTemplate,
    DateTime? ScheduledAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    CampaignStats Stats);

public sealed record PreviewRequest(long? CustomerId, string? OverrideTemplate);

public sealed record PreviewCustomer(long Id, string FirstName);

public sealed record SmsInfo(string Encoding, int Characters, int Segments);

public sealed record PreviewResponse(string RenderedMessage, string UsedTemplate, PreviewCustomer Customer, SmsInfo? Sms);

public sealed record MessageResponse(
    long Id,
    long CampaignId,
    long CustomerId,
    string Status,
    string RenderedContent,
    string? LastError,
    int RetryCount,
    DateTime CreatedAt,
    DateTime UpdatedAt);
