using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using StackExchange.Redis;

namespace Campaigns.Api.Errors;

/// <summary>
/// Turns what escapes a handler into the contract's envelope: request-shape failures the framework
/// throws into 400/413/415, unreachable Postgres or Redis into 503, anything else into a 500 that
/// carries the trace id and never the exception's text (that goes to the log only).
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away; nobody is left to answer
        }

        var (status, code, message) = Classify(exception);
        if (status >= 500)
        {
            Log.UnhandledException(logger, exception, ApiProblem.CurrentTraceId(context), context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = status;
        var result = ApiProblem.Create(status, code, message);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = result.ProblemDetails,
            Exception = exception,
        });
    }

    private static (int Status, string Code, string Message) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, ErrorCodes.PayloadTooLarge, ErrorCodes.DefaultMessage(ErrorCodes.PayloadTooLarge)),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
            (415, ErrorCodes.UnsupportedMediaType, ErrorCodes.DefaultMessage(ErrorCodes.UnsupportedMediaType)),
        BadHttpRequestException { InnerException: JsonException json } =>
            (400, ErrorCodes.InvalidJson, JsonErrorMessage(json)),
        BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } =>
            (400, ErrorCodes.InvalidJson, "The request body is missing or is not valid JSON"),
        BadHttpRequestException bad =>
            (bad.StatusCode, ErrorCodes.ForStatus(bad.StatusCode), ErrorCodes.DefaultMessage(ErrorCodes.ForStatus(bad.StatusCode))),
        NpgsqlException { IsTransient: true } or RedisConnectionException or RedisTimeoutException =>
            (503, ErrorCodes.ServiceUnavailable, ErrorCodes.DefaultMessage(ErrorCodes.ServiceUnavailable)),
        _ => (500, ErrorCodes.InternalError, "An unexpected error occurred; quote the trace_id when reporting it"),
    };

    // System.Text.Json names the JSON path of the offending member; that helps and leaks nothing.
    public static string JsonErrorMessage(JsonException json) => json.Path is { Length: > 1 } path
        ? $"The request body is not valid JSON or a member has the wrong type (at {path})"
        : "The request body is not valid JSON or a member has the wrong type";
}
