using System.ComponentModel.DataAnnotations;
using Campaigns.Api.OpenApi;
using Campaigns.Api.Validation;
using Campaigns.Core.Domain;

namespace Campaigns.Api.Contracts;

/// <summary><c>channel</c> absent or null: every channel.</summary>
public sealed record SuppressRequest(
    [property: Required] string? Phone,
    [property: ValuesOf(typeof(Channel))] string? Channel = null,
    [property: MaxLength(ConsentRules.MaxReasonLength)] string? Reason = null);

/// <summary>A message a recipient sent, reported by a system other than the providers' webhooks.</summary>
public sealed record InboundRequest(
    [property: Required] string? From,
    [property: Required, MaxLength(ConsentRules.MaxInboundTextLength)] string? Text,
    [property: Required, ValuesOf(typeof(Channel))] string? Channel,
    [property: MaxLength(ConsentRules.MaxToLength)] string? To = null);
