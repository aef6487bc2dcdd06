using Campaigns.Core.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// Where list and stats reads go (issue 17): the read replica of <c>ConnectionStrings:campaignsdb-replica</c> when one
/// is configured, else the primary itself. Everything else (writes, reads by id, the reads a write answers with, anything
/// that must see what the caller just wrote) stays on the primary's <see cref="NpgsqlDataSource"/>.
/// <para>
/// The replica's source is an Npgsql multi-host one, the standby's hosts first and the primary's after them, asked for
/// <see cref="TargetSessionAttributes.PreferStandby"/>: a standby that cannot be reached is marked offline (and
/// rechecked after <c>Host Recheck Seconds</c>, 10 by default), and connections open on the primary meanwhile. A read
/// that fails on the replica's connection (the standby stopped under a pooled connection, a query cancelled by a
/// recovery conflict) is run again once on the primary: every read here is a read, so running it again is harmless.
/// </para>
/// <para>
/// What a replica read sees lags the primary by the standby's replay lag (docs/scale.md, "Read replica").
/// </para>
/// </summary>
public sealed class ReadReplica
{
    /// <summary>The connection string that names the replica; the API's reads work the same without it.</summary>
    public const string ConnectionName = "campaignsdb-replica";

    private readonly NpgsqlDataSource _primary;
    private readonly NpgsqlDataSource? _replica;
    private readonly ILogger<ReadReplica> _logger;

    public ReadReplica(NpgsqlDataSource primary, NpgsqlDataSource? replica, ILogger<ReadReplica> logger)
    {
        _primary = primary;
        _replica = replica is NpgsqlMultiHostDataSource multiHost ? multiHost.WithTargetSession(TargetSessionAttributes.PreferStandby) : replica;
        _logger = logger;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a connection from the replica (a standby when one answers, else the primary); when
    /// that connection fails, once more on the primary's.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        if (_replica is null)
        {
            await using var connection = await _primary.OpenConnectionAsync(cancellationToken);
            return await read(connection);
        }
        try
        {
            await using var connection = await _replica.OpenConnectionAsync(cancellationToken);
            return await read(connection);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsReplicaFailure(ex))
        {
            Log.ReplicaReadFailed(_logger, ex);
            await using var connection = await _primary.OpenConnectionAsync(cancellationToken);
            return await read(connection);
        }
    }

    /// <summary>
    /// The connection failed (the standby went away, or a timeout), or the standby refused or cancelled the query for
    /// reasons of its own: shutting down, starting up, a conflict with recovery (40001). An error the query itself caused
    /// (bad SQL, a constraint) would fail on the primary too, and is not retried.
    /// </summary>
    private static bool IsReplicaFailure(Exception ex) => ex switch
    {
        PostgresException postgres => postgres.IsTransient || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || postgres.SqlState == PostgresErrorCodes.SerializationFailure,
        NpgsqlException or TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// Reads on the replica; when that finds nothing (null), on the primary: what was just written there may not have
    /// reached the standby yet, and a 404 for it would break read-your-writes.
    /// </summary>
    public async Task<T?> ReadOrPrimaryAsync<T>(Func<NpgsqlConnection, Task<T?>> read, CancellationToken cancellationToken)
    {
        if (await ReadAsync(read, cancellationToken) is { } found)
        {
            return found;
        }
        if (_replica is null)
        {
            return default;
        }
        await using var connection = await _primary.OpenConnectionAsync(cancellationToken);
        return await read(connection);
    }

    /// <summary>
    /// <see cref="HealthStatus.Degraded"/> (never Unhealthy: the reads still answer, from the primary) while no standby
    /// answers the replica's connection string.
    /// </summary>
    internal sealed class HealthCheck(NpgsqlDataSource replica) : IHealthCheck
    {
        private readonly NpgsqlDataSource _standby =
            replica is NpgsqlMultiHostDataSource multiHost ? multiHost.WithTargetSession(TargetSessionAttributes.Standby) : replica;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await _standby.OpenConnectionAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
                return await command.ExecuteScalarAsync(cancellationToken) is true
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Degraded("The read replica is not a standby: list reads run on a primary");
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Degraded("No standby answers: list reads run on the primary", ex);
            }
        }
    }
}

public static class ReadReplicaRegistration
{
    /// <summary>
    /// Registers <see cref="ReadReplica"/>: over the replica when <c>ConnectionStrings:campaignsdb-replica</c> is set (its
    /// hosts first, the primary's after them as the fallback; the replica's credentials, which a physical standby
    /// shares with its primary), traced like the primary; else over the primary. Call after the primary's
    /// <c>AddNpgsqlDataSource</c>.
    /// </summary>
    public static IHostApplicationBuilder AddReadReplica(this IHostApplicationBuilder builder)
    {
        var replica = builder.Configuration.GetConnectionString(ReadReplica.ConnectionName);
        if (string.IsNullOrWhiteSpace(replica))
        {
            builder.Services.AddSingleton(services => new ReadReplica(services.GetRequiredService<NpgsqlDataSource>(), null,
                services.GetRequiredService<ILogger<ReadReplica>>()));
            return builder;
        }

        var primary = builder.Configuration.GetConnectionString("campaignsdb")
            ?? throw new InvalidOperationException($"ConnectionStrings:{ReadReplica.ConnectionName} is set but not ConnectionStrings:campaignsdb");
        builder.AddKeyedNpgsqlDataSource(ReadReplica.ConnectionName,
            settings =>
            {
                settings.ConnectionString = WithFallback(replica, primary);
                // Its own check below: a standby that is down degrades /health, it does not fail it.
                settings.DisableHealthChecks = true;
            },
            dataSource => dataSource.UseHotPathSettings().TraceInsideOurSpans());
        builder.Services.AddSingleton(services => new ReadReplica(services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredKeyedService<NpgsqlDataSource>(ReadReplica.ConnectionName), services.GetRequiredService<ILogger<ReadReplica>>()));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(ReadReplica.ConnectionName,
            services => new ReadReplica.HealthCheck(services.GetRequiredKeyedService<NpgsqlDataSource>(ReadReplica.ConnectionName)),
            failureStatus: HealthStatus.Degraded, tags: null));
        return builder;
    }

    /// <summary>The replica's connection string with the primary's hosts after its own (each host with its port).</summary>
    public static string WithFallback(string replica, string primary)
    {
        var replicaBuilder = new NpgsqlConnectionStringBuilder(replica);
        var primaryBuilder = new NpgsqlConnectionStringBuilder(primary);
        replicaBuilder.Host = string.Join(',', Hosts(replicaBuilder).Concat(Hosts(primaryBuilder)).Distinct(StringComparer.OrdinalIgnoreCase));
        return replicaBuilder.ConnectionString;
    }

    private static IEnumerable<string> Hosts(NpgsqlConnectionStringBuilder connection) =>
        (connection.Host ?? throw new InvalidOperationException("A connection string without a host"))
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        // A host that names its port keeps it; one that does not gets its own connection string's port.
        .Select(host => HasPort(host) ? host : $"{host}:{connection.Port}");

    private static bool HasPort(string host) =>
        host.StartsWith('[') ? host.Contains("]:", StringComparison.Ordinal) : host.Count(c => c == ':') == 1;
}
