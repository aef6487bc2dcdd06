using Campaigns.Api.Data;

namespace Campaigns.Api.Consent;

/// <summary>A stored inbound message (<c>inbound_messages</c>) as Dapper reads it.</summary>
public sealed class InboundRow
{
    public const string Columns = "id, channel, provider, from_phone, to_phone, body, keyword, customer_id, received_at";

    public long Id { get; init; }
    public string Channel { get; init; } = "";
    public string? Provider { get; init; }
    public string FromPhone { get; init; } = "";
    public string? ToPhone { get; init; }
    public string Body { get; init; } = "";
    public string? Keyword { get; init; }
    public long? CustomerId { get; init; }
    public DateTime ReceivedAt { get; init; }

    public InboundResponse ToResponse() =>
        new(Id, Channel, Provider, FromPhone, ToPhone, Body, Keyword, CustomerId, CampaignRow.AsUtc(ReceivedAt));
}

/// <summary>An inbound message as the API shows it (<c>keyword</c>: stop, start, help, or null).</summary>
public sealed record InboundResponse(
    long Id, string Channel, string? Provider, string From, string? To, string Text, string? Keyword, long? CustomerId,
    DateTime ReceivedAt);
