using Campaigns.Api.Data;

namespace Campaigns.Api.Consent;

/// <summary>A stored suppression (<c>suppressions</c>) as Dapper reads it.</summary>
public sealed class SuppressionRow
{
    public const string Columns = "id, phone, channel, source, reason, created_at";

    public long Id { get; init; }
    public string Phone { get; init; } = "";
    public string? Channel { get; init; }
    public string Source { get; init; } = "";
    public string? Reason { get; init; }
    public DateTime CreatedAt { get; init; }

    public SuppressionResponse ToResponse() => new(Phone, Channel, Source, Reason, CampaignRow.AsUtc(CreatedAt));
}

/// <summary>A suppression as the API shows it (<c>channel</c> null: every channel).</summary>
public sealed record SuppressionResponse(string Phone, string? Channel, string Source, string? Reason, DateTime CreatedAt);
