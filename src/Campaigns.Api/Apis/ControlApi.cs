using Campaigns.Api.OpenApi;
using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Sending;
using Campaigns.Api.Telemetry;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Apis;

/// <summary>Steering a campaign in flight: pause, resume, cancel, and a new round for failed messages.</summary>
public static class ControlApi
{
    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/campaigns/{id}").WithTags("Delivery")
            .AddOpenApiOperationTransformer(IgnoredRequestBody.TransformAsync);
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
        PathId id, CampaignControl control, ICommittedJobsPublisher jobs, CancellationToken cancellationToken) =>
        RunAsync(id, "pause", "it is not sending", control.PauseAsync, jobs, cancellationToken);

    public static Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> ResumeCampaign(
        PathId id, CampaignControl control, ICommittedJobsPublisher jobs, CancellationToken cancellationToken) =>
        RunAsync(id, "resume", "it is not paused", control.ResumeAsync, jobs, cancellationToken);

    public static Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> CancelCampaign(
        PathId id, CampaignControl control, ICommittedJobsPublisher jobs, CancellationToken cancellationToken) =>
        RunAsync(id, "cancel", "it has already finished", control.CancelAsync, jobs, cancellationToken);

    public static async Task<Results<Accepted<SendCampaignResponse>, ProblemHttpResult>> RetryFailedMessages(
        PathId id, CampaignControl control, ICommittedJobsPublisher jobs, CancellationToken cancellationToken)
    {
        var result = await ChangeAsync(id, "retry-failed", control.RetryFailedAsync, jobs, cancellationToken);
        return result.Campaign is null
            ? Refusal(id, result.CurrentStatus, "retry failed messages of", "only a sent or failed campaign with failed messages can be retried")
            : TypedResults.Accepted((string?)null,
                new SendCampaignResponse(id, result.Queued.Count, result.Skipped.OptedOut, result.Skipped.Suppressed,
                    result.Skipped.FrequencyCapped, result.Campaign.Status));
    }

    private static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> RunAsync(
        long id, string action, string refusal, Func<long, CancellationToken, Task<CampaignControl.ControlResult>> change,
        ICommittedJobsPublisher jobs, CancellationToken cancellationToken)
    {
        var result = await ChangeAsync(id, action, change, jobs, cancellationToken);
        return result.Campaign is null
            ? Refusal(id, result.CurrentStatus, action, refusal)
            : TypedResults.Ok(result.Campaign.ToResponse());
    }

    /// <summary>Makes the change (its own transaction, committed on return), then queues the jobs it committed.</summary>
    private static async Task<CampaignControl.ControlResult> ChangeAsync(long id, string action,
        Func<long, CancellationToken, Task<CampaignControl.ControlResult>> change, ICommittedJobsPublisher jobs, CancellationToken cancellationToken)
    {
        using var activity = ApiTelemetry.ActivitySource.StartActivity($"campaign {action}");
        activity?.SetTag("campaign.id", id);
        var result = await change(id, cancellationToken);
        if (result.Queued.Count > 0)
        {
            await jobs.PublishAsync(id, result.Queued, cancellationToken);
        }
        return result;
    }

    private static ProblemHttpResult Refusal(long id, string? status, string action, string reason) =>
        status is null
            ? ApiProblem.CampaignNotFound(id)
            : ApiProblem.NotSendable($"Cannot {action} campaign {id}: it is {status} ({reason})");
}
