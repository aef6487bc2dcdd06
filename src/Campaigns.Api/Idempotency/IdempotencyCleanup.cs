using Campaigns.Core.Hosting;
using Npgsql;

namespace Campaigns.Api.Idempotency;

/// <summary>Removes idempotency keys past their 24 hours, every few minutes (cheap: indexed on expires_at).</summary>
public sealed class IdempotencyCleanup(NpgsqlDataSource dataSource, ILogger<IdempotencyCleanup> logger) : PeriodicService(logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var deleted = await IdempotencyStore.DeleteExpiredAsync(dataSource, cancellationToken);
        if (deleted > 0)
        {
            Log.IdempotencyKeysExpired(logger, deleted);
        }
        return deleted > 0;
    }
}
