using Microsoft.OpenApi;
using System.Diagnostics;
using System.Text.Json;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Idempotency;

/// <summary>
/// Makes a POST safe to retry with an <c>Idempotency-Key</c> header (api.md): a retry with the same
/// key and body gets the first successful response again, status and body, for 24 hours; the same key
/// with another body is 422 <c>IDEMPOTENCY_KEY_REUSED</c>; while the first is still running, 409
/// <c>IDEMPOTENCY_KEY_IN_USE</c>. The filter begins the request's transaction, so the handler's writes
/// join it, and stores a 2xx response in it before committing: the key and the work it answers are
/// saved together or not at all, and a failed request is not remembered.
/// </summary>
public sealed class IdempotencyFilter<TRequest>(IOptions<JsonOptions> jsonOptions) : IEndpointFilter where TRequest : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.ContainsKey(IdempotencyEndpoints.HeaderName))
        {
            return await next(context);
        }
        var key = http.Request.Headers[IdempotencyEndpoints.HeaderName].ToString();
        if (key.Length is 0 or > IdempotencyEndpoints.MaxKeyLength || TextRules.Unstorable(key) is not null)
        {
            return ApiProblem.Validation(IdempotencyEndpoints.HeaderName, $"{IdempotencyEndpoints.HeaderName} must be 1 to {IdempotencyEndpoints.MaxKeyLength} characters");
        }

        var json = jsonOptions.Value.SerializerOptions;
        var body = context.Arguments.OfType<TRequest>().FirstOrDefault();
        var fingerprint = RequestFingerprint.Compute(http.Request.Method, http.Request.Path, body, json);
        var scope = CallerScope.Of(http);
        var cancellationToken = http.RequestAborted;

        await using var work = await http.RequestServices.GetRequiredService<RequestTransaction>().JoinAsync(cancellationToken);
        if (!await IdempotencyStore.TryLockAsync(work.Connection, work.Transaction, scope, key, cancellationToken))
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, ErrorCodes.IdempotencyKeyInUse,
                $"A request with this {IdempotencyEndpoints.HeaderName} is still being processed; retry shortly");
        }
        if (await IdempotencyStore.FindAsync(work.Connection, work.Transaction, scope, key, cancellationToken) is { } stored)
        {
            Activity.Current?.SetTag("idempotency.replayed", true);
            return stored.RequestHash.AsSpan().SequenceEqual(fingerprint)
                ? TypedResults.Text(stored.ResponseBody, "application/json; charset=utf-8", statusCode: stored.ResponseStatus)
                : ApiProblem.Create(StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused,
                    $"This {IdempotencyEndpoints.HeaderName} was used with a different request");
        }

        var result = await next(context);
        if (Succeeded(result, out var status, out var value))
        {
            var responseBody = value is null ? "" : JsonSerializer.Serialize(value, value.GetType(), json);
            await IdempotencyStore.SaveAsync(work.Connection, work.Transaction, scope, key, fingerprint, status, responseBody, cancellationToken);
            await work.CommitAsync(cancellationToken);
        }
        // Otherwise disposing the work rolls back whatever the handler wrote.
        return result;
    }

    private static bool Succeeded(object? result, out int status, out object? value)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }
        status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        value = (result as IValueHttpResult)?.Value;
        return status is >= 200 and < 300;
    }
}

public static class IdempotencyEndpoints
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    /// <summary>Honours <c>Idempotency-Key</c> on this endpoint, fingerprinting its bound <typeparamref name="TRequest"/> body.</summary>
    public static RouteHandlerBuilder WithIdempotency<TRequest>(this RouteHandlerBuilder builder) where TRequest : class =>
        builder.AddEndpointFilter<IdempotencyFilter<TRequest>>()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = HeaderName,
                    In = ParameterLocation.Header,
                    Description = "Makes a retry safe for 24 hours: the same key and body get the first success again; "
                        + "another body is 422 IDEMPOTENCY_KEY_REUSED, a retry while the first runs 409 IDEMPOTENCY_KEY_IN_USE",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = MaxKeyLength },
                });
                return Task.CompletedTask;
            });
}
