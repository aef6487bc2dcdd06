using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;

namespace Campaigns.Worker.Routing;

/// <summary>
/// Providers that asked us to slow down (a 429 with Retry-After), shared by every replica: a pause is
/// kept here and in Redis (a key that expires with it), and <see cref="ProviderPauseSync"/> brings the
/// other replicas' pauses in every second. The router skips a paused provider without calling it.
/// </summary>
public sealed class ProviderPauses(IConnectionMultiplexer redis, TimeProvider time, ILogger<ProviderPauses> logger)
{
    public const string KeyPrefix = "campaigns:provider-pause:";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="provider"/> stays paused, or null when it may be called.</summary>
    public TimeSpan? RemainingFor(string provider) =>
        _until.TryGetValue(provider, out var until) && until - time.GetUtcNow() is { Ticks: > 0 } left ? left : null;

    public void Pause(string provider, TimeSpan duration)
    {
        Extend(provider, time.GetUtcNow() + duration);
        Log.ProviderPaused(logger, provider, duration);
        // Shared best-effort: should Redis be away, this replica still pauses, and the others learn from their own 429s.
        _ = redis.GetDatabase().StringSetAsync(KeyPrefix + provider, duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture),
            duration, flags: CommandFlags.FireAndForget);
    }

    /// <summary>For the sync: a pause another replica set.</summary>
    public void Extend(string provider, DateTimeOffset until) =>
        _until.AddOrUpdate(provider, until, (_, current) => current > until ? current : until);
}
