using Campaigns.Api.Consent;
using Campaigns.Api.Contracts;
using Campaigns.Api.Customers;
using Campaigns.Api.Errors;
using Campaigns.Api.OpenApi;
using Campaigns.Api.Paging;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Campaigns.Api.Apis;

/// <summary>
/// Messages recipients sent us (api.md Part 2, "Consent"): every provider's inbound webhook stores them,
/// and <c>POST /inbound</c> takes them from elsewhere; keywords (STOP, START, HELP) act either way.
/// </summary>
public static class InboundApi
{
    public static IEndpointRouteBuilder MapInboundApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/inbound").WithTags("Consent").WithSingleQueryValues();
        group.MapGet("/", ListInbound).WithName(nameof(ListInbound))
            .WithSummary("List inbound messages, newest first")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id}", GetInbound).WithName(nameof(GetInbound))
            .WithSummary("Get one inbound message")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", ReceiveInbound).WithName(nameof(ReceiveInbound))
            .WithSummary("Report a message a recipient sent; a keyword in it acts as from a provider")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<Ok<PagedResponse<InboundResponse>>, ProblemHttpResult>> ListInbound(
        [WireType(JsonSchemaType.Integer)] string? page, [FromQuery(Name = "page_size"), WireType(JsonSchemaType.Integer)] string? pageSize,
        string? cursor, ConsentStore store, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var pageRequest = PageRequest.Parse(page, pageSize, cursor, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var (rows, total) = await store.ListInboundAsync(pageRequest, cancellationToken);
        if (pageRequest.DepthProblem(total) is { } tooDeep)
        {
            return tooDeep;
        }
        return TypedResults.Ok(PagedResponse<InboundResponse>.From(pageRequest, rows, total, r => r.Id, r => r.ToResponse()));
    }

    public static async Task<Results<Ok<InboundResponse>, ProblemHttpResult>> GetInbound(
        PathId id, ConsentStore store, CancellationToken cancellationToken) =>
        await store.GetInboundAsync(id, cancellationToken) is { } row
            ? TypedResults.Ok(row.ToResponse())
            : ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"Inbound message with ID {(long)id} not found");

    public static async Task<Results<Created<InboundResponse>, ProblemHttpResult>> ReceiveInbound(
        InboundRequest request, InboundReceiver receiver, PhoneNormalizer phones, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var from = ConsentRules.CheckPhone(errors, phones, "from", request.From);
        ConsentRules.CheckChannel(errors, request.Channel, required: true);
        TextRules.CheckRequired(errors, "text", request.Text, ConsentRules.MaxInboundTextLength);
        TextRules.CheckOptional(errors, "to", request.To, ConsentRules.MaxToLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var stored = await receiver.ReceiveAsync(provider: null,
            [new InboundReceiver.Incoming(null, request.Channel!, from!, request.To, request.Text!)], cancellationToken);
        var row = stored[0];
        return TypedResults.Created($"/inbound/{row.Id}", row.ToResponse());
    }
}
