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

/// <summary>Healthy when Redis answers PING; one multiplexer is kept for the AppHost's lifetime.</summary>
internal sealed class RedisResourceHealthCheck(IResourceWithConnectionString resource) : IHealthCheck, IAsyncDisposable
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
                _connection = await ConnectionMultiplexer.ConnectAsync(options);
            }
            await _connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
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
