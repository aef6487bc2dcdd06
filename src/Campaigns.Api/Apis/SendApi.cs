using System.Diagnostics;
using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Telemetry;
using Campaigns.Api.Validation;
using Campaigns.Core.Queue;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Campaigns.Api.Apis;

/// <summary>Sends a campaign: attaches its one audience, writes every message, queues the jobs.</summary>
public static class SendApi
{
    public static IEndpointRouteBuilder MapSendApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/campaigns/{id}/send", SendCampaign).WithTags("Delivery")
            .WithName(nameof(SendCampaign))
            .WithSummary("Send a campaign to listed customers or to every customer matching a filter")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Accepted<SendCampaignResponse>, ProblemHttpResult>> SendCampaign(
        string id, SendCampaignRequest request, CampaignSendWriter writer, SendJobPublisher publisher,
        ApiTelemetry telemetry, ILogger<CampaignSendWriter> logger, CancellationToken cancellationToken)
    {
        if (!PathIds.TryParse(id, out var campaignId))
        {
            return PathIds.Invalid("id");
        }
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var started = Stopwatch.GetTimestamp();
        using var activity = ApiTelemetry.ActivitySource.StartActivity("campaign send");
        activity?.SetTag("campaign.id", campaignId);
        Recipients recipients = request.CustomerIds is { } ids ? Recipients.FromIds(ids) : new Recipients.Matching(request.Audience!);

        var outcome = await writer.AttachAudienceAsync(campaignId, recipients, cancellationToken);
        switch (outcome)
        {
            case SendOutcome.CampaignMissing:
                return ApiProblem.CampaignNotFound(campaignId);
            case SendOutcome.NotSendable notSendable:
                return ApiProblem.NotSendable(
                    $"Campaign {campaignId} is {notSendable.Status} and cannot be sent: a campaign is sent once, from draft or scheduled");
            case SendOutcome.CustomersMissing missing:
                return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.CustomerNotFound,
                    $"{missing.MissingIds.Count} customer(s) not found, e.g. {missing.MissingIds[0]}",
                    new Dictionary<string, object?> { ["missing_ids"] = missing.MissingIds });
            case SendOutcome.NoRecipients none:
                return ApiProblem.Validation(request.CustomerIds is null ? "audience" : "customer_ids",
                    none.SkippedOptedOut > 0
                        ? $"No recipient is left: all {none.SkippedOptedOut} customer(s) have opted out"
                        : "No customer matches the audience");
        }

        var accepted = (SendOutcome.Accepted)outcome;
        activity?.SetTag("campaign.messages", accepted.MessageIds.Count);
        if (accepted.DispatchNow)
        {
            try
            {
                await publisher.PublishAsync(accepted.MessageIds, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // The messages are committed; the worker's reconciler queues them once RequeueAfter passes.
                Log.EnqueueDeferred(logger, ex, campaignId, accepted.MessageIds.Count);
            }
        }

        var created = accepted.Created;
        telemetry.SendsAccepted.Add(1);
        telemetry.MessagesAccepted.Add(created);
        telemetry.SendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Log.SendAccepted(logger, campaignId, created, accepted.SkippedOptedOut, accepted.Status);
        return TypedResults.Accepted((string?)null,
            new SendCampaignResponse(campaignId, created, accepted.SkippedOptedOut, accepted.Status));
    }

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
            TextRules.CheckOptional(errors, "audience.location", audience.Location, 100);
            TextRules.CheckOptional(errors, "audience.preferred_product", audience.PreferredProduct, 200);
        }
        return errors.Any ? errors.ToProblem() : null;
    }
}
