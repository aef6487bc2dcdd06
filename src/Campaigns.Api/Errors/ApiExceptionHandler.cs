using System.Text.Json;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using StackExchange.Redis;

namespace Campaigns.Api.Errors;

/// <summary>
/// Turns what escapes a handler into the contract's envelope: request-shape failures the framework
/// throws into 400/413/415 (a path id that does not bind into VALIDATION_ERROR naming it), unreachable
/// Postgres or Redis into 503, anything else into a 500 that carries the trace id and never the
/// exception's text (that goes to the log only).
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away; nobody is left to answer
        }

        var result = Classify(context, exception);
        if (result.StatusCode >= 500)
        {
            Log.UnhandledException(logger, exception, ApiProblem.CurrentTraceId(context), context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = result.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = result.ProblemDetails,
            Exception = exception,
        });
    }

    private static ProblemHttpResult Classify(HttpContext context, Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Default(ErrorCodes.PayloadTooLarge, 413),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => Default(ErrorCodes.UnsupportedMediaType, 415),
        BadHttpRequestException { InnerException: JsonException json } => ApiProblem.InvalidJson(JsonErrorMessage(json)),
        // The endpoint and route values as they were when binding failed (the handler runs with them cleared).
        BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest }
            when context.Features.Get<IExceptionHandlerFeature>() is { } failed && PathId.InvalidField(failed.Endpoint, failed.RouteValues) is { } field =>
            ApiProblem.Validation(field, PathId.Message(field)),
        BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } =>
            ApiProblem.InvalidJson("The request body is missing or is not valid JSON"),
        BadHttpRequestException bad => Default(ErrorCodes.ForStatus(bad.StatusCode), bad.StatusCode),
        NpgsqlException { IsTransient: true } or RedisConnectionException or RedisTimeoutException =>
            Default(ErrorCodes.ServiceUnavailable, 503),
        _ => ApiProblem.Create(500, ErrorCodes.InternalError, "An unexpected error occurred; quote the trace_id when reporting it"),
    };

    private static ProblemHttpResult Default(string code, int status) => ApiProblem.Create(status, code, ErrorCodes.DefaultMessage(code));

    // System.Text.Json names the JSON path of the offending member; that helps and leaks nothing.
    public static string JsonErrorMessage(JsonException json) => json.Path is { Length: > 1 } path
        ? $"The request body is not valid JSON or a member has the wrong type (at {path})"
        : "The request body is not valid JSON or a member has the wrong type";
}
