using Campaigns.Worker.Providers;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Campaigns.Worker.Routing;

/// <summary>
/// Reads the providers' shared pauses from Redis every second (one pipelined batch of PTTLs, no span:
/// Redis tracing is off), so a 429 one replica received slows every replica.
/// </summary>
public sealed class ProviderPauseSync(
    IConnectionMultiplexer redis, ProviderPauses pauses, IOptions<ProviderChainOptions> chains, TimeProvider time,
    ILogger<ProviderPauseSync> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var providers = chains.Value.Configured.Where(p => p != ProviderChainOptions.Mock).ToArray();
        if (providers.Length == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var database = redis.GetDatabase();
                    var ttls = providers.Select(p => database.KeyTimeToLiveAsync(ProviderPauses.KeyPrefix + p)).ToArray();
                    await Task.WhenAll(ttls).WaitAsync(stoppingToken);
                    for (var i = 0; i < providers.Length; i++)
                    {
                        if (ttls[i].Result is { Ticks: > 0 } left)
                        {
                            pauses.Extend(providers[i], time.GetUtcNow() + left);
                        }
                    }
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    Log.ProviderPauseSyncFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
