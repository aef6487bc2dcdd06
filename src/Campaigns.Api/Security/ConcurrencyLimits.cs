namespace Campaigns.Api.Security;

/// <summary>
/// The endpoints whose requests are costly enough to be counted while they run, per API process, beside the
/// per-caller budgets: an import streams up to 64 MiB and holds a connection, a send writes and queues its
/// whole audience. One more than <c>RateLimits:ImportConcurrency</c> / <c>RateLimits:SendConcurrency</c> at
/// once is 429 <c>RATE_LIMITED</c>, answered by <see cref="RateLimiting"/>.
/// </summary>
public static class ConcurrencyLimits
{
    public static readonly ConcurrencyLimit Import = new("import", options => options.ImportConcurrency);

    public static readonly ConcurrencyLimit Send = new("send", options => options.SendConcurrency);

    /// <summary>Counts this endpoint's requests against <paramref name="limit"/> while they run.</summary>
    public static RouteHandlerBuilder WithConcurrencyLimit(this RouteHandlerBuilder builder, ConcurrencyLimit limit) =>
        builder.WithMetadata(limit);
}

/// <summary>Endpoint metadata: the requests of every endpoint carrying the same limit share its permits.</summary>
public sealed record ConcurrencyLimit(string Name, Func<RateLimitOptions, int> Permits);
