using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Campaigns.AppHost.Infrastructure;

/// <summary>A redis-server run as a local process; its connection string matches the container's.</summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Endpoint => new(this, "tcp");

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)},password={Password}");
}

/// <summary>
/// Healthy when Redis answers PING, or for a cluster when one of its masters answers <c>cluster_state:ok</c> (all slots
/// served: not before the nodes are joined, nor while a failed master's replica is taking over); one multiplexer is
/// kept for the AppHost's lifetime.
/// </summary>
internal sealed class RedisResourceHealthCheck(IResourceWithConnectionString resource, bool cluster = false) : IHealthCheck, IAsyncDisposable
{
    private ConnectionMultiplexer? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (_connection is null)
            {
                var connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
                var options = ConfigurationOptions.Parse(connectionString!);
                options.AbortOnConnectFail = false;
                options.AllowAdmin = cluster;
                _connection = await ConnectionMultiplexer.ConnectAsync(options);
            }
            if (!cluster)
            {
                await _connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            foreach (var endpoint in _connection.GetEndPoints(configuredOnly: true))
            {
                var server = _connection.GetServer(endpoint);
                if (server.IsConnected
                    && (await server.ExecuteAsync("CLUSTER", "INFO").WaitAsync(cancellationToken)).ToString().Contains("cluster_state:ok", StringComparison.Ordinal))
                {
                    return HealthCheckResult.Healthy();
                }
            }
            return new HealthCheckResult(context.Registration.FailureStatus, "No master reports cluster_state:ok");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception: ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
