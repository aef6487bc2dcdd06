using Npgsql;

namespace Campaigns.Api.Idempotency;

/// <summary>Removes idempotency keys past their 24 hours, every few minutes (cheap: indexed on expires_at).</summary>
public sealed class IdempotencyCleanup(NpgsqlDataSource dataSource, ILogger<IdempotencyCleanup> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                int deleted;
                do
                {
                    deleted = await IdempotencyStore.DeleteExpiredAsync(dataSource, stoppingToken);
                    if (deleted > 0)
                    {
                        Log.IdempotencyKeysExpired(logger, deleted);
                    }
                }
                while (deleted > 0);
            }
            catch (NpgsqlException ex)
            {
                Log.IdempotencyCleanupFailed(logger, ex);
            }
        }
    }
}
