namespace Campaigns.Api.Contracts;

/// <summary>Exactly one of <c>customer_ids</c> or <c>audience</c>.</summary>
public sealed record SendCampaignRequest(long[]? CustomerIds, AudienceFilter? Audience);

/// <summary>Every customer matching all given fields (exact, case-insensitive); <c>{}</c> is everyone.</summary>
public sealed record AudienceFilter(string? Location, string? PreferredProduct);

public sealed record SendCampaignResponse(long CampaignId, int MessagesQueued, int SkippedOptedOut, string Status);
