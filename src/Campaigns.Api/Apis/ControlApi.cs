using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Telemetry;
using Campaigns.Api.Validation;
using Campaigns.Core.Queue;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Apis;

/// <summary>Steering a campaign in flight: pause, resume, cancel, and a new round for failed messages.</summary>
public static class ControlApi
{
    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/campaigns/{id}").WithTags("Delivery");
        group.MapPost("/pause", PauseCampaign).WithName(nameof(PauseCampaign))
            .WithSummary("Stop claiming the campaign's messages; sends in flight finish")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/resume", ResumeCampaign).WithName(nameof(ResumeCampaign))
            .WithSummary("Continue delivering the messages still pending")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/cancel", CancelCampaign).WithName(nameof(CancelCampaign))
            .WithSummary("Cancel every message still pending; sends in flight finish")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/retry-failed", RetryFailedMessages).WithName(nameof(RetryFailedMessages))
            .WithSummary("Give a finished campaign's failed messages a new round")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> PauseCampaign(
        string id, CampaignControl control, CancellationToken cancellationToken) =>
        RunAsync(id, "pause", "it is not sending", control.PauseAsync, cancellationToken);

    public static Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> ResumeCampaign(
        string id, CampaignControl control, SendJobPublisher publisher, ILogger<CampaignControl> logger, CancellationToken cancellationToken) =>
        RunAsync(id, "resume", "it is not paused", control.ResumeAsync, cancellationToken, publisher, logger);

    public static Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> CancelCampaign(
        string id, CampaignControl control, CancellationToken cancellationToken) =>
        RunAsync(id, "cancel", "it has already finished", control.CancelAsync, cancellationToken);

    public static async Task<Results<Accepted<SendCampaignResponse>, ProblemHttpResult>> RetryFailedMessages(
        string id, CampaignControl control, SendJobPublisher publisher, ILogger<CampaignControl> logger, CancellationToken cancellationToken)
    {
        if (!PathIds.TryParse(id, out var campaignId))
        {
            return PathIds.Invalid("id");
        }
        using var activity = ApiTelemetry.ActivitySource.StartActivity("campaign retry-failed");
        activity?.SetTag("campaign.id", campaignId);
        var result = await control.RetryFailedAsync(campaignId, cancellationToken);
        if (result.Campaign is null)
        {
            return Refusal(campaignId, result.CurrentStatus, "retry failed messages of",
                "only a sent or failed campaign with failed messages can be retried");
        }
        await CommittedJobs.PublishAsync(publisher, logger, campaignId, result.Queued, cancellationToken);
        return TypedResults.Accepted((string?)null,
            new SendCampaignResponse(campaignId, result.Queued.Count, result.SkippedOptedOut, result.Campaign.Status));
    }

    private static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> RunAsync(
        string id, string action, string refusal, Func<long, CancellationToken, Task<CampaignControl.ControlResult>> change,
        CancellationToken cancellationToken, SendJobPublisher? publisher = null, ILogger? logger = null)
    {
        if (!PathIds.TryParse(id, out var campaignId))
        {
            return PathIds.Invalid("id");
        }
        using var activity = ApiTelemetry.ActivitySource.StartActivity($"campaign {action}");
        activity?.SetTag("campaign.id", campaignId);
        var result = await change(campaignId, cancellationToken);
        if (result.Campaign is null)
        {
            return Refusal(campaignId, result.CurrentStatus, action, refusal);
        }
        if (publisher is not null && logger is not null)
        {
            await CommittedJobs.PublishAsync(publisher, logger, campaignId, result.Queued, cancellationToken);
        }
        return TypedResults.Ok(result.Campaign.ToResponse());
    }

    private static ProblemHttpResult Refusal(long campaignId, string? status, string action, string reason) =>
        status is null
            ? ApiProblem.CampaignNotFound(campaignId)
            : ApiProblem.NotSendable($"Cannot {action} campaign {campaignId}: it is {status} ({reason})");
}
