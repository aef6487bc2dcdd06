using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Faults;
using Campaigns.Api.Idempotency;
using Campaigns.Api.Security;
using Campaigns.Api.Telemetry;
using Campaigns.Api.Validation;
using Campaigns.Core.Queue;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Api.Apis;

/// <summary>Sends a campaign: attaches its one audience, writes every message, queues the jobs.</summary>
public static class SendApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 200;

    public static IEndpointRouteBuilder MapSendApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/campaigns/{id}/send", SendCampaign).WithTags("Delivery")
            .WithName(nameof(SendCampaign))
            .WithSummary("Send a campaign to listed customers or to every customer matching a filter")
            .WithDescription($"An optional `{IdempotencyKeyHeader}` header (up to 200 characters) makes retries safe for 24 hours.")
            .Accepts<SendCampaignRequest>("application/json")
            .Produces<SendCampaignResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireRateLimiting(RateLimiting.SendPolicy);
        return app;
    }

    public static async Task<Results<Accepted<SendCampaignResponse>, ContentHttpResult, ProblemHttpResult>> SendCampaign(
        string id, HttpRequest httpRequest, NpgsqlDataSource dataSource, CampaignSendWriter writer, SendJobPublisher publisher,
        ApiTelemetry telemetry, FaultInjection faults, IOptions<JsonOptions> jsonOptions, ILogger<CampaignSendWriter> logger, CancellationToken cancellationToken)
    {
        if (!PathIds.TryParse(id, out var campaignId))
        {
            return PathIds.Invalid("id");
        }
        RequestLimits.AllowBody(httpRequest.HttpContext, RequestLimits.SendMaxBodyBytes);
        var json = jsonOptions.Value.SerializerOptions;
        var (request, body, problem) = await ReadBodyAsync(httpRequest, json, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (Validate(request!) is { } invalid)
        {
            return invalid;
        }
        var idempotencyKey = httpRequest.Headers[IdempotencyKeyHeader].ToString();
        if (httpRequest.Headers.ContainsKey(IdempotencyKeyHeader)
            && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || TextRules.Unstorable(idempotencyKey) is not null))
        {
            return ApiProblem.Validation(IdempotencyKeyHeader, $"{IdempotencyKeyHeader} must be 1 to {MaxIdempotencyKeyLength} characters");
        }

        var started = Stopwatch.GetTimestamp();
        using var activity = ApiTelemetry.ActivitySource.StartActivity("campaign send");
        activity?.SetTag("campaign.id", campaignId);
        var scope = CallerScope.Of(httpRequest.HttpContext);
        var fingerprint = idempotencyKey.Length > 0
            ? RequestFingerprint.Compute(httpRequest.Method, httpRequest.Path, body)
            : null;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (fingerprint is not null)
        {
            if (!await IdempotencyStore.TryLockAsync(connection, transaction, scope, idempotencyKey, cancellationToken))
            {
                return ApiProblem.Create(StatusCodes.Status409Conflict, ErrorCodes.IdempotencyKeyInUse,
                    $"A request with this {IdempotencyKeyHeader} is still being processed; retry shortly");
            }
            if (await IdempotencyStore.FindAsync(connection, transaction, scope, idempotencyKey, cancellationToken) is { } stored)
            {
                activity?.SetTag("idempotency.replayed", true);
                return stored.RequestHash.AsSpan().SequenceEqual(fingerprint)
                    ? TypedResults.Text(stored.ResponseBody, "application/json; charset=utf-8", statusCode: stored.ResponseStatus)
                    : ApiProblem.Create(StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused,
                        $"This {IdempotencyKeyHeader} was used with a different request");
            }
        }

        Recipients recipients = request!.CustomerIds is { } ids ? Recipients.FromIds(ids) : new Recipients.Matching(request.Audience!);
        var outcome = await writer.AttachAudienceAsync(connection, transaction, campaignId, recipients, cancellationToken);
        if (outcome is not SendOutcome.Accepted accepted)
        {
            return Refusal(campaignId, request, outcome);
        }

        var response = new SendCampaignResponse(campaignId, accepted.Created, accepted.SkippedOptedOut, accepted.Status);
        if (fingerprint is not null)
        {
            await IdempotencyStore.SaveAsync(connection, transaction, scope, idempotencyKey, fingerprint,
                StatusCodes.Status202Accepted, JsonSerializer.Serialize(response, json), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        faults.AfterSendCommitted(campaignId);

        activity?.SetTag("campaign.messages", accepted.Created);
        if (accepted.DispatchNow)
        {
            await CommittedJobs.PublishAsync(publisher, logger, campaignId, accepted.Queued, cancellationToken);
        }

        telemetry.SendsAccepted.Add(1);
        telemetry.MessagesAccepted.Add(accepted.Created);
        telemetry.SendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Log.SendAccepted(logger, campaignId, accepted.Created, accepted.SkippedOptedOut, accepted.Status);
        return TypedResults.Accepted((string?)null, response);
    }

    /// <summary>The body is read by hand: the idempotency fingerprint needs it as parsed JSON.</summary>
    private static async Task<(SendCampaignRequest? Request, JsonNode? Body, ProblemHttpResult? Problem)> ReadBodyAsync(
        HttpRequest httpRequest, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!httpRequest.HasJsonContentType())
        {
            return (null, null, ApiProblem.UnsupportedMediaType(ErrorCodes.DefaultMessage(ErrorCodes.UnsupportedMediaType)));
        }
        try
        {
            var body = await JsonNode.ParseAsync(httpRequest.Body, documentOptions: new JsonDocumentOptions { MaxDepth = json.MaxDepth },
                cancellationToken: cancellationToken);
            var request = body.Deserialize<SendCampaignRequest>(json);
            return request is null
                ? (null, null, ApiProblem.InvalidJson("The request body must be a JSON object"))
                : (request, body, null);
        }
        catch (JsonException ex)
        {
            return (null, null, ApiProblem.InvalidJson(ApiExceptionHandler.JsonErrorMessage(ex)));
        }
    }

    private static ProblemHttpResult Refusal(long campaignId, SendCampaignRequest request, SendOutcome outcome) => outcome switch
    {
        SendOutcome.CampaignMissing => ApiProblem.CampaignNotFound(campaignId),
        SendOutcome.NotSendable notSendable => ApiProblem.NotSendable(
            $"Campaign {campaignId} is {notSendable.Status} and cannot be sent: a campaign is sent once, from draft or scheduled"),
        SendOutcome.CustomersMissing missing => ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.CustomerNotFound,
            $"{missing.MissingIds.Count} customer(s) not found, e.g. {missing.MissingIds[0]}",
            new Dictionary<string, object?> { ["missing_ids"] = missing.MissingIds }),
        SendOutcome.NoRecipients none => ApiProblem.Validation(request.CustomerIds is null ? "audience" : "customer_ids",
            none.SkippedOptedOut > 0
                ? $"No recipient is left: all {none.SkippedOptedOut} customer(s) have opted out"
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
            TextRules.CheckOptional(errors, "audience.location", audience.Location, CustomerRules.MaxLocationLength);
            TextRules.CheckOptional(errors, "audience.preferred_product", audience.PreferredProduct, CustomerRules.MaxPreferredProductLength);
        }
        return errors.Any ? errors.ToProblem() : null;
    }
}
