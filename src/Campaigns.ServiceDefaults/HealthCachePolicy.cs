using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;

namespace Campaigns.ServiceDefaults;

/// <summary>
/// Serves one health answer, healthy or not, to every probe for <see cref="Duration"/>: a flood of
/// <c>/health</c> runs the Postgres and Redis checks once per period, and concurrent probes of an
/// expired answer wait for the one run in progress. The output cache's default policy would not do:
/// it varies by query string and caches 200 only, so <c>/health?x=1</c>, <c>/health?x=2</c>… or an
/// outage (when each check waits for its timeout) would still reach the checks on every request.
/// </summary>
internal sealed class HealthCachePolicy : IOutputCachePolicy
{
    /// <summary>Short enough that orchestrators (Aspire probes every few seconds) see a change at once.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(2);

    public static HealthCachePolicy Instance { get; } = new();

    private HealthCachePolicy()
    {
    }

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var method = context.HttpContext.Request.Method;
        var cacheable = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        // One answer per path and method: neither the Host header nor the query string makes a new entry.
        context.CacheVaryByRules.VaryByHost = false;
        context.ResponseExpirationTimeSpan = Duration;
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) =>
        ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var status = context.HttpContext.Response.StatusCode;
        context.AllowCacheStorage &= status is StatusCodes.Status200OK or StatusCodes.Status503ServiceUnavailable;
        return ValueTask.CompletedTask;
    }
}
