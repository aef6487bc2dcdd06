using Campaigns.Api.Errors;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// Declares every error status an operation can answer, all as <see cref="OpenApiSetup.ProblemSchemaId"/>:
/// those of the operation itself (its <c>ProducesProblem</c>), those every request can meet on the way
/// (key, budget, request head, failures), and those of a request body; public operations only the ones
/// they can meet.
/// </summary>
public static class ErrorResponses
{
    private const string ProblemMediaType = "application/problem+json";

    private static readonly int[] EveryOperation =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status414UriTooLong,
        StatusCodes.Status429TooManyRequests, StatusCodes.Status431RequestHeaderFieldsTooLarge,
        StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable,
    ];

    private static readonly int[] WithBody = [StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType];

    // Public paths (/health, /alive) need no key and read no input, but still meet the address's budget and the head limits.
    private static readonly int[] PublicOperation =
    [
        StatusCodes.Status414UriTooLong, StatusCodes.Status429TooManyRequests, StatusCodes.Status431RequestHeaderFieldsTooLarge,
        StatusCodes.Status500InternalServerError,
    ];

    public static Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var operation in ApiDocumentTransformer.Operations(document))
        {
            operation.Responses ??= [];
            var statuses = operation.Security is { Count: 0 } ? PublicOperation
                : EveryOperation.Concat(operation.RequestBody is { Required: true } ? WithBody : []);
            foreach (var status in statuses)
            {
                operation.Responses.TryAdd(Key(status), new OpenApiResponse());
            }
            foreach (var (key, response) in operation.Responses)
            {
                // A response with a body of its own kind (the health report of a 503) keeps it.
                if (int.TryParse(key, out var status) && status >= 400 && response is OpenApiResponse problem
                    && problem.Content?.Keys.All(type => type == ProblemMediaType) != false)
                {
                    Describe(problem, status, document);
                }
            }
        }
        return Task.CompletedTask;
    }

    private static string Key(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Describe(OpenApiResponse response, int status, OpenApiDocument document)
    {
        // An operation that says what its error means keeps it (the webhooks' INVALID_SIGNATURE); the
        // framework's reason phrase ("Not Found") says nothing of the contract's codes.
        if (string.IsNullOrEmpty(response.Description) || response.Description == ReasonPhrases.GetReasonPhrase(status))
        {
            response.Description = Description(status);
        }
        response.Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemMediaType] = new() { Schema = new OpenApiSchemaReference(OpenApiSetup.ProblemSchemaId, document) },
        };
        if (status == StatusCodes.Status429TooManyRequests)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Retry-After"] = new OpenApiHeader
            {
                Required = true,
                Description = "Seconds to wait before trying again",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
            };
        }
    }

    /// <summary>What an error status means in the contract (an operation may add its own codes to it).</summary>
    public static string Description(int status) => status switch
    {
        400 => $"{ErrorCodes.InvalidJson} (the body is not JSON, or a member has the wrong type) or {ErrorCodes.ValidationError} (a value breaks a rule; `errors` lists them per field)",
        401 => $"{ErrorCodes.Unauthorized}: {ErrorCodes.DefaultMessage(ErrorCodes.Unauthorized)}",
        404 => $"{ErrorCodes.CampaignNotFound}, {ErrorCodes.CustomerNotFound} (with `missing_ids` when a send lists unknown customers) or {ErrorCodes.MessageNotFound}",
        409 => $"{ErrorCodes.CampaignNotSendable} (the campaign's status does not allow it), {ErrorCodes.DuplicatePhone} or {ErrorCodes.IdempotencyKeyInUse}",
        422 => $"{ErrorCodes.IdempotencyKeyReused}: the same Idempotency-Key came with another body",
        500 => $"{ErrorCodes.InternalError}: quote the trace_id when reporting it",
        _ => $"{ErrorCodes.ForStatus(status)}: {ErrorCodes.DefaultMessage(ErrorCodes.ForStatus(status))}",
    };
}
