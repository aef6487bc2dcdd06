using Campaigns.Api.Consent;
using Campaigns.Api.Contracts;
using Campaigns.Api.Customers;
using Campaigns.Api.Errors;
using Campaigns.Api.OpenApi;
using Campaigns.Api.Paging;
using Campaigns.Api.Validation;
using Campaigns.Core.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Campaigns.Api.Apis;

/// <summary>
/// The suppression list (api.md Part 2, "Consent"): phones never messaged, on one channel or all. An
/// every-channel suppression is what makes a customer read <c>opted_out</c>.
/// </summary>
public static class SuppressionsApi
{
    public static IEndpointRouteBuilder MapSuppressionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/suppressions").WithTags("Consent").WithSingleQueryValues();
        group.MapGet("/", ListSuppressions).WithName(nameof(ListSuppressions))
            .WithSummary("List suppressions, newest first; filter by phone")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/", Suppress).WithName(nameof(Suppress))
            .WithSummary("Suppress a phone on a channel, or on every channel (201; 200 with the one that exists)")
            .Produces<SuppressionResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapDelete("/{phone}", Unsuppress).WithName(nameof(Unsuppress))
            .AddOpenApiOperationTransformer(IgnoredRequestBody.TransformAsync)
            .WithSummary("Remove a phone's suppressions (?channel=: that channel's only), whatever their source")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<PagedResponse<SuppressionResponse>>, ProblemHttpResult>> ListSuppressions(
        [WireType(JsonSchemaType.Integer)] string? page, [FromQuery(Name = "page_size"), WireType(JsonSchemaType.Integer)] string? pageSize,
        string? cursor, string? phone, ConsentStore store, PhoneNormalizer phones, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var pageRequest = PageRequest.Parse(page, pageSize, cursor, errors);
        var normalizedPhone = phone is null ? null : ConsentRules.CheckPhone(errors, phones, "phone", phone);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var (rows, total) = await store.ListSuppressionsAsync(pageRequest, normalizedPhone, cancellationToken);
        if (pageRequest.DepthProblem(total) is { } tooDeep)
        {
            return tooDeep;
        }
        return TypedResults.Ok(PagedResponse<SuppressionResponse>.From(pageRequest, rows, total, r => r.Id, r => r.ToResponse()));
    }

    public static async Task<Results<Created<SuppressionResponse>, Ok<SuppressionResponse>, ProblemHttpResult>> Suppress(
        SuppressRequest request, ConsentStore store, PhoneNormalizer phones, ILogger<ConsentStore> logger, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var phone = ConsentRules.CheckPhone(errors, phones, "phone", request.Phone);
        ConsentRules.CheckChannel(errors, request.Channel, required: false);
        TextRules.CheckOptional(errors, "reason", request.Reason, ConsentRules.MaxReasonLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var (row, created) = await store.SuppressAsync(phone!, request.Channel, request.Reason, cancellationToken);
        if (!created)
        {
            return TypedResults.Ok(row.ToResponse());
        }
        Log.SuppressionAdded(logger, request.Channel ?? "every channel");
        return TypedResults.Created($"/suppressions?phone={Uri.EscapeDataString(row.Phone)}", row.ToResponse());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unsuppress(
        string phone, [ValuesOf(typeof(Channel))] string? channel, ConsentStore store, PhoneNormalizer phones,
        ILogger<ConsentStore> logger, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var normalized = ConsentRules.CheckPhone(errors, phones, "phone", phone);
        ConsentRules.CheckChannel(errors, channel, required: false);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (!await store.UnsuppressAsync(normalized!, channel, cancellationToken))
        {
            return ApiProblem.SuppressionNotFound(normalized!, channel);
        }
        Log.SuppressionsRemoved(logger, channel ?? "every channel");
        return TypedResults.NoContent();
    }
}
