using System.Text.Json;
using System.Text.Json.Serialization;
using System.ComponentModel.DataAnnotations;
using Campaigns.Api.OpenApi;
using Campaigns.Api.Data;
using Campaigns.Api.Validation;
using Campaigns.Core.Domain;

namespace Campaigns.Api.Contracts;

/// <summary>Exactly one of <c>customer_ids</c> or <c>audience</c> (documented as a <c>oneOf</c>: <see cref="SendRequestSchema"/>).</summary>
public sealed record SendCampaignRequest(
    [property: Length(1, SendOptions.MaxListedRecipients), Positive] long[]? CustomerIds = null,
    AudienceFilter? Audience = null);

/// <summary>
/// Every customer matching all given fields (exact, case-insensitive); <c>{}</c> is everyone. Unlike
/// elsewhere, an unknown member is refused: a misspelt filter would otherwise widen the send to everyone.
/// </summary>
public sealed record AudienceFilter(
    [property: MaxLength(CustomerRules.MaxLocationLength)] string? Location = null,
    [property: MaxLength(CustomerRules.MaxPreferredProductLength)] string? PreferredProduct = null)
{
    /// <summary>Members that are not filters (documented as <c>additionalProperties: false</c>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownMembers { get; init; }
}

public sealed record SendCampaignResponse(
    [property: Positive] long CampaignId,
    int MessagesQueued,
    int SkippedOptedOut,
    int SkippedSuppressed,
    int SkippedFrequencyCapped,
    [property: ValuesOf(typeof(CampaignStatus))] string Status);
