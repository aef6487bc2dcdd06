using Microsoft.OpenApi;
using Campaigns.Api.OpenApi;
using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Paging;
using Campaigns.Api.Validation;
using Campaigns.Core.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Campaigns.Api.Apis;

/// <summary>A campaign's outbound messages and their delivery state.</summary>
public static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/campaigns/{id}/messages").WithTags("Messages").WithSingleQueryValues();
        group.MapGet("/", ListMessages).WithName(nameof(ListMessages))
            .WithSummary("List a campaign's messages, newest first")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{messageId}", GetMessage).WithName(nameof(GetMessage))
            .WithSummary("Get one message of a campaign")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{messageId}/events", ListMessageEvents).WithName(nameof(ListMessageEvents))
            .WithSummary("List a message's events, oldest first (the first is queued: its creation)")
            .AddOpenApiOperationTransformer(PagingParameters.OldestFirstAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<PagedResponse<MessageResponse>>, ProblemHttpResult>> ListMessages(
        PathId id, [WireType(JsonSchemaType.Integer)] string? page, [FromQuery(Name = "page_size"), WireType(JsonSchemaType.Integer)] string? pageSize, string? cursor,
        [ValuesOf(typeof(MessageStatus))] string? status,
        CampaignStore campaigns, MessageStore messages, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var pageRequest = PageRequest.Parse(page, pageSize, cursor, errors);
        if (status is not null && !MessageStatus.All.Contains(status))
        {
            errors.Add("status", $"status must be one of {string.Join(", ", MessageStatus.All)}");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // From the read replica as the messages are (the replica's counters count the replica's rows), unless it does not
        // have the campaign yet.
        var campaign = await campaigns.GetForListAsync(id, cancellationToken);
        if (campaign is null)
        {
            return ApiProblem.CampaignNotFound(id);
        }
        // The campaign's counters are the per-status totals: no count over a million rows.
        long total = campaign.CountOf(status);
        if (pageRequest.DepthProblem(total) is { } tooDeep)
        {
            return tooDeep;
        }
        var rows = await messages.ListAsync(id, pageRequest, status, cancellationToken);
        return TypedResults.Ok(PagedResponse<MessageResponse>.From(pageRequest, rows, total, r => r.Id, r => r.ToResponse()));
    }

    public static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> GetMessage(
        PathId id, PathId messageId, CampaignStore campaigns, MessageStore messages, CancellationToken cancellationToken)
    {
        var row = await messages.GetAsync(id, messageId, cancellationToken);
        if (row is not null)
        {
            return TypedResults.Ok(row.ToResponse());
        }
        return await NotFoundAsync(campaigns, id, messageId, cancellationToken);
    }

    public static async Task<Results<Ok<PagedResponse<MessageEventResponse>>, ProblemHttpResult>> ListMessageEvents(
        PathId id, PathId messageId, [WireType(JsonSchemaType.Integer)] string? page,
        [FromQuery(Name = "page_size"), WireType(JsonSchemaType.Integer)] string? pageSize, string? cursor,
        CampaignStore campaigns, MessageEventStore events, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var pageRequest = PageRequest.Parse(page, pageSize, cursor, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await events.ListAsync(id, messageId, pageRequest, cancellationToken) is not { } found)
        {
            return await NotFoundAsync(campaigns, id, messageId, cancellationToken);
        }
        var (rows, total) = found;
        if (pageRequest.DepthProblem(total) is { } tooDeep)
        {
            return tooDeep;
        }
        return TypedResults.Ok(PagedResponse<MessageEventResponse>.From(pageRequest, rows, total, r => r.Position, r => r.ToResponse()));
    }

    /// <summary>No such message in the campaign: because there is no such campaign, or not that message in it.</summary>
    private static async Task<ProblemHttpResult> NotFoundAsync(CampaignStore campaigns, long id, long messageId,
        CancellationToken cancellationToken) =>
        await campaigns.GetAsync(id, cancellationToken) is null ? ApiProblem.CampaignNotFound(id) : ApiProblem.MessageNotFound(id, messageId);
}
