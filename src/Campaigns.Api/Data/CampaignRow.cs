using Campaigns.Api.Contracts;

namespace Campaigns.Api.Data;

/// <summary>A campaigns row with its counters, as Dapper reads it.</summary>
public sealed class CampaignRow
{
    public const string Columns = """
        id, name, channel, status, base_template, scheduled_at, audience_attached_at, created_at, updated_at,
        total_count, pending_count, sending_count, sent_count, failed_count, cancelled_count
        """;

    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Status { get; init; } = "";
    public string BaseTemplate { get; init; } = "";
    public DateTime? ScheduledAt { get; init; }
    public DateTime? AudienceAttachedAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public int TotalCount { get; init; }
    public int PendingCount { get; init; }
    public int SendingCount { get; init; }
    public int SentCount { get; init; }
    public int FailedCount { get; init; }
    public int CancelledCount { get; init; }

    public CampaignResponse ToResponse() => new(Id, Name, Channel, Status, BaseTemplate, AsUtc(ScheduledAt), AsUtc(CreatedAt), AsUtc(UpdatedAt),
        new CampaignStats(TotalCount, PendingCount, SendingCount, SentCount, FailedCount, CancelledCount));

    internal static DateTime AsUtc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    internal static DateTime? AsUtc(DateTime? value) => value is { } v ? AsUtc(v) : null;
}
