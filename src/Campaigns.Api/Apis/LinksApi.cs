using Campaigns.Api.Errors;
using Campaigns.Api.Links;
using Campaigns.Api.OpenApi;
using Campaigns.Core.Links;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Campaigns.Api.Apis;

/// <summary><c>GET /l/{code}</c>: a tracked link's redirect, public (the recipient has no key).</summary>
public static class LinksApi
{
    public const string Prefix = "/l";

    public static IEndpointRouteBuilder MapLinksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Prefix + "/{code}", FollowLink).WithTags("Links")
            .WithName(nameof(FollowLink))
            .WithSummary("Redirect a tracked link to its URL and record the click (no API key)")
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AddOpenApiOperationTransformer(LinkOperations.FollowLink);
        return app;
    }

    /// <summary>
    /// One primary-key lookup, then the 302; the click goes to the buffer and is written after the answer, in a batch
    /// (<see cref="ClickWriter"/>). A code that is not eight characters of [0-9A-Za-z] is not looked up.
    /// </summary>
    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> FollowLink(
        string code, NpgsqlDataSource dataSource, ClickBuffer clicks, TimeProvider clock, CancellationToken cancellationToken)
    {
        string? url = null;
        if (TrackedLinks.IsWellFormed(code))
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            url = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT url FROM links WHERE code = @code", new { code }, cancellationToken: cancellationToken));
        }
        if (url is null)
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "No such link");
        }
        clicks.Offer(new Click(code, clock.GetUtcNow().UtcDateTime));
        return TypedResults.Redirect(TrackedLinks.ForLocationHeader(url));
    }
}
