using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Campaigns.Api.Errors;

/// <summary>
/// Builds the contract's error responses: problem+json with the <c>error</c> envelope and trace id.
/// Every 4xx and 5xx the API writes goes through here or through <see cref="ProblemDetailsSetup"/>.
/// </summary>
public static class ApiProblem
{
    public static ProblemHttpResult Create(int status, string code, string message,
        IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Type = ErrorCodes.TypeUri(code),
            Title = ErrorCodes.Title(code),
            Detail = message,
        };
        problem.Extensions["error"] = new ErrorEnvelope(code, message);
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string[]> errors)
    {
        var first = errors.First();
        var message = errors.Count == 1 && first.Value.Length == 1
            ? first.Value[0]
            : $"{first.Value[0]} (and {errors.Sum(e => e.Value.Length) - 1} more)";
        return Create(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, message,
            new Dictionary<string, object?> { ["errors"] = errors });
    }

    public static ProblemHttpResult InvalidJson(string message) =>
        Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, message);

    public static ProblemHttpResult CampaignNotFound(long id) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.CampaignNotFound, $"Campaign with ID {id} not found");

    public static ProblemHttpResult CustomerNotFound(long id) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.CustomerNotFound, $"Customer with ID {id} not found");

    public static ProblemHttpResult SuppressionNotFound(string phone, string? channel) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.SuppressionNotFound,
            channel is null ? $"The phone number {phone} has no suppression" : $"The phone number {phone} has no {channel} suppression");

    public static ProblemHttpResult DuplicatePhone(string phone) =>
        Create(StatusCodes.Status409Conflict, ErrorCodes.DuplicatePhone, $"Another customer already has the phone number {phone}");

    public static ProblemHttpResult UnsupportedMediaType(string message) =>
        Create(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, message);

    public static ProblemHttpResult MessageNotFound(long campaignId, long messageId) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.MessageNotFound,
            $"Message with ID {messageId} not found in campaign {campaignId}");

    public static ProblemHttpResult NotSendable(string message) =>
        Create(StatusCodes.Status409Conflict, ErrorCodes.CampaignNotSendable, message);

    public static string CurrentTraceId(HttpContext context) =>
        Activity.Current?.TraceId.ToHexString() ?? ActivityTraceId.CreateRandom().ToHexString();
}

/// <summary>The <c>error</c> member existing clients read.</summary>
public sealed record ErrorEnvelope(string Code, string Message);
