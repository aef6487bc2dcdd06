using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Campaigns.Core.Redis;

public static class RedisRegistration
{
    /// <summary>The check's name in <c>/health</c>, as Aspire's own Redis check was called.</summary>
    public const string HealthCheckName = "StackExchange.Redis";

    /// <summary>
    /// The <c>redis</c> connection (a single Redis or a cluster: the connection string decides) and its health check
    /// (<see cref="RedisHealthCheck"/>), for the API and the worker.
    /// </summary>
    public static IHostApplicationBuilder AddRedisConnection(this IHostApplicationBuilder builder)
    {
        // No span per Redis command: one send pipelines 100,000 XADDs, and the worker polls and acknowledges
        // all day; the publish, consume and batch spans of our own carry the story (and the trace context).
        builder.AddRedisClient("redis", configureSettings: redis =>
        {
            redis.DisableTracing = true;
            redis.DisableHealthChecks = true;
        });
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(HealthCheckName);
        return builder;
    }
}
