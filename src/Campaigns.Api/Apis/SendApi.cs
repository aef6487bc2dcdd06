using Campaigns.Core.Domain;
using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Idempotency;
using Campaigns.Api.Security;
using Campaigns.Api.Sending;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Campaigns.Api.Apis;

/// <summary>Sends a campaign: attaches its one audience, writes every message, queues the jobs.</summary>
public static class SendApi
{
    public static IEndpointRouteBuilder MapSendApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/campaigns/{id}/send", SendCampaign).WithTags("Delivery")
            .WithName(nameof(SendCampaign))
            .WithSummary("Send a campaign to listed customers or to every customer matching a filter")
            .WithDescription($"An optional `{IdempotencyEndpoints.HeaderName}` header (up to {IdempotencyEndpoints.MaxKeyLength} characters) makes retries safe for 24 hours.")
            .WithMetadata(new RequestSizeLimitAttribute(RequestLimits.SendMaxBodyBytes))
            .Produces<SendCampaignResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(RateLimiting.SendPolicy)
            .WithConcurrencyLimit(ConcurrencyLimits.Send)
            .WithIdempotency<SendCampaignRequest>();
        return app;
    }

    public static async Task<Results<Accepted<SendCampaignResponse>, ProblemHttpResult>> SendCampaign(
        PathId id, SendCampaignRequest request, CampaignSending sending, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        var outcome = await sending.SendAsync(id, request, cancellationToken);
        return outcome is SendOutcome.Accepted accepted
            ? TypedResults.Accepted((string?)null, new SendCampaignResponse(id, accepted.Created, accepted.Skipped.OptedOut,
                accepted.Skipped.Suppressed, accepted.Skipped.FrequencyCapped, accepted.Status))
            : Refusal(id, request, outcome);
    }

    private static ProblemHttpResult Refusal(long campaignId, SendCampaignRequest request, SendOutcome outcome) => outcome switch
    {
        SendOutcome.CampaignMissing => ApiProblem.CampaignNotFound(campaignId),
        SendOutcome.NotSendable notSendable => ApiProblem.NotSendable(
            $"Campaign {campaignId} is {notSendable.Status} and cannot be sent: a campaign is sent once, from draft or scheduled"),
        SendOutcome.NeedsWhatsAppTemplate needs => ApiProblem.NotSendable(
            $"Campaign {campaignId} has no whatsapp_template and cannot be sent: its channel's providers "
            + $"(Providers:WhatsApp:Chain: {string.Join(", ", needs.Chain)}) send pre-approved templates only; give it a whatsapp_template"),
        SendOutcome.CustomersMissing missing => ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.CustomerNotFound,
            $"{missing.MissingIds.Count} customer(s) not found, e.g. {missing.MissingIds[0]}",
            new Dictionary<string, object?> { ["missing_ids"] = missing.MissingIds }),
        SendOutcome.TemplateTooLong tooLong => ApiProblem.Validation("base_template", tooLong.Problem),
        SendOutcome.NoRecipients none => ApiProblem.Validation(request.CustomerIds is null ? "audience" : "customer_ids",
            none.Skipped.Total > 0
                ? $"No recipient is left: all {none.Skipped.Total} customer(s) are opted out ({none.Skipped.OptedOut}), "
                  + $"suppressed on the channel ({none.Skipped.Suppressed}) or at the daily frequency cap ({none.Skipped.FrequencyCapped})"
                : "No customer matches the audience"),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static ProblemHttpResult? Validate(SendCampaignRequest request)
    {
        var errors = new ValidationErrors();
        if ((request.CustomerIds is null) == (request.Audience is null))
        {
            errors.Add("customer_ids", "Give exactly one of customer_ids or audience");
            return errors.ToProblem();
        }
        if (request.CustomerIds is { } ids)
        {
            if (ids.Length is 0 or > SendOptions.MaxListedRecipients)
            {
                errors.Add("customer_ids", $"customer_ids must list 1 to {SendOptions.MaxListedRecipients:N0} customers");
            }
            else if (ids.Any(id => id <= 0))
            {
                errors.Add("customer_ids", "customer_ids must all be positive integers");
            }
        }
        if (request.Audience is { } audience)
        {
            if (audience.UnknownMembers?.Keys.FirstOrDefault() is { } unknown)
            {
                errors.Add($"audience.{unknown}", $"audience.{unknown} is not a filter: filter by location, preferred_product, or send {{}} for everyone");
            }
            TextRules.CheckOptional(errors, "audience.location", audience.Location, CustomerRules.MaxLocationLength);
            TextRules.CheckOptional(errors, "audience.preferred_product", audience.PreferredProduct, CustomerRules.MaxPreferredProductLength);
        }
        return errors.Any ? errors.ToProblem() : null;
    }
}
