using System.Diagnostics;
using Campaigns.Api.Telemetry;
using Campaigns.Core.Hosting;
using Npgsql;

namespace Campaigns.Api.Idempotency;

/// <summary>Removes idempotency keys past their 24 hours, every few minutes (cheap: indexed on expires_at).</summary>
public sealed class IdempotencyCleanup(NpgsqlDataSource dataSource, ILogger<IdempotencyCleanup> logger) : PeriodicService(logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var deleted = await IdempotencyStore.DeleteExpiredAsync(dataSource, cancellationToken);
        if (deleted > 0)
        {
            // A span only for a round that removed keys (one statement: recorded once it is known).
            using var activity = ApiTelemetry.ActivitySource.StartActivity(
                "idempotency_keys expire", ActivityKind.Internal, parentContext: default, startTime: startedAt);
            activity?.SetTag("campaigns.idempotency.keys_deleted", deleted);
            Log.IdempotencyKeysExpired(logger, deleted);
        }
        return deleted > 0;
    }
}
