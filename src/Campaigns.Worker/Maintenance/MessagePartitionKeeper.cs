using Campaigns.Core.Hosting;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// Keeps <c>outbound_messages</c>' ranges of campaign ids made ahead of the campaigns (migration 0042,
/// <c>extend_message_partitions</c>; docs/scale.md, "Partitioned messages"), so a campaign's messages go to a range of
/// their own and not to the overflow partition. Making a range waits for every open write to campaigns and customers
/// (its foreign keys) and holds the next ones meanwhile, then briefly holds the overflow partition whole, so a round
/// gives up after <see cref="LockTimeout"/> for each and the next tries again: the ranges are made far enough ahead
/// (two of 1,000 campaigns by default) for that to be harmless, and rounds that keep giving up are warned about.
/// Safe with many replicas: the function takes an advisory lock, and a second caller returns at once.
/// </summary>
public sealed class MessagePartitionKeeper(
    NpgsqlDataSource dataSource, IOptions<WorkerOptions> options, ILogger<MessagePartitionKeeper> logger) : PeriodicService(logger)
{
    /// <summary>How long a round waits for each lock a new range needs; writers of campaigns wait at most this long for it.</summary>
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(500);

    // Rounds in a row that gave up: from this many on, each is a warning (a range may soon be missing).
    private const int BusyRoundsWarned = 5;

    private int _busyRounds;

    protected override TimeSpan Interval => options.Value.PartitionInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var made = await ExtendAsync(connection, LockTimeout, cancellationToken);
        _busyRounds = made is null ? _busyRounds + 1 : 0;
        if (_busyRounds >= BusyRoundsWarned)
        {
            Log.MessagePartitionsBusyLong(logger, _busyRounds);
        }
        else if (made is null)
        {
            Log.MessagePartitionsBusy(logger, Interval);
        }
        else if (made > 0)
        {
            // A span only for a round that made ranges, recorded once that is known.
            using var activity = WorkerActivities.StartBackgroundWork("message partitions extend", startedAt);
            activity?.SetTag("campaigns.partition.count", made);
            Log.MessagePartitionsMade(logger, made.Value);
        }
        return false;
    }

    /// <returns>
    /// The ranges made (0 too while another caller makes them), or null when the locks they need were not had within
    /// <paramref name="lockTimeout"/> (or a writer's locks crossed them).
    /// </returns>
    public static async Task<int?> ExtendAsync(NpgsqlConnection connection, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SET LOCAL lock_timeout = {(int)lockTimeout.TotalMilliseconds}; SELECT extend_message_partitions();", connection, transaction);
        try
        {
            var made = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            return made;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected)
        {
            return null;
        }
    }
}
