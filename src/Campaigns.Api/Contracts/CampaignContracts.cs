using System.ComponentModel.DataAnnotations;
using Campaigns.Api.Json;
using Campaigns.Api.OpenApi;
using Campaigns.Api.Validation;
using Campaigns.Core.Domain;
using Campaigns.Core.Templates;

namespace Campaigns.Api.Contracts;

public sealed record CreateCampaignRequest(
    [property: Required, Length(1, CampaignRules.MaxNameLength)] string? Name,
    [property: Required, ValuesOf(typeof(Channel))] string? Channel,
    [property: Required, Length(1, CampaignRules.MaxWhatsAppTemplateLength)] string? BaseTemplate,
    DateTimeOffset? ScheduledAt = null);

/// <summary>Only the members present change; <c>scheduled_at: null</c> clears the schedule.</summary>
public sealed record UpdateCampaignRequest
{
    [Length(1, CampaignRules.MaxNameLength)]
    public Optional<string> Name { get; init; }

    [ValuesOf(typeof(Channel))]
    public Optional<string> Channel { get; init; }

    [Length(1, CampaignRules.MaxWhatsAppTemplateLength)]
    public Optional<string> BaseTemplate { get; init; }

    public Optional<DateTimeOffset?> ScheduledAt { get; init; }
}

public sealed record CampaignStats(int Total, int Pending, int Sending, int Sent, int Failed, int Cancelled);

public sealed record CampaignResponse(
    [property: Positive] long Id,
    string Name,
    [property: ValuesOf(typeof(Channel))] string Channel,
    [property: ValuesOf(typeof(CampaignStatus))] string Status,
    string BaseTemplate,
    DateTime? ScheduledAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    CampaignStats Stats);

public sealed record PreviewRequest(
    [property: Required, Positive] long? CustomerId,
    [property: Length(1, CampaignRules.MaxWhatsAppTemplateLength)] string? OverrideTemplate = null);

public sealed record PreviewCustomer([property: Positive] long Id, string FirstName);

public sealed record SmsInfo([property: ValuesOf(typeof(SmsEncoding))] string Encoding, int Characters, int Segments);

/// <summary><c>sms</c> is null for a WhatsApp campaign.</summary>
public sealed record PreviewResponse(string RenderedMessage, string UsedTemplate, PreviewCustomer Customer, SmsInfo? Sms);

public sealed record MessageResponse(
    [property: Positive] long Id,
    [property: Positive] long CampaignId,
    [property: Positive] long CustomerId,
    [property: ValuesOf(typeof(MessageStatus))] string Status,
    string RenderedContent,
    string? LastError,
    int RetryCount,
    DateTime CreatedAt,
    DateTime UpdatedAt);
