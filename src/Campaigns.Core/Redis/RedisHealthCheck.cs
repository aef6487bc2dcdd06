using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Campaigns.Core.Redis;

/// <summary>
/// <c>/health</c>'s Redis check: a single Redis answers PING; a Redis Cluster is healthy while a connected master reports
/// <c>cluster_state:ok</c> (every slot served). Aspire's own check asks every endpoint of the connection string, so a
/// master that died and was replaced by its replica would keep the service unhealthy, and behind a readiness probe out
/// of rotation, although every command works.
/// </summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = redis.GetServers();
            if (!servers.Any(server => server.ServerType == ServerType.Cluster))
            {
                await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            // Any master's view of the cluster will do: each one knows whether every slot has a live master.
            if (servers.FirstOrDefault(server => server.IsConnected && !server.IsReplica) is not { } master)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "No master of the Redis Cluster is connected");
            }
            var info = (await master.ExecuteAsync("CLUSTER", "INFO").WaitAsync(cancellationToken)).ToString();
            return info.Contains("cluster_state:ok", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, $"The Redis Cluster is not serving every slot ({master.EndPoint})");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception: e);
        }
    }
}
