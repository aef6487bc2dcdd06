using System.Diagnostics;
using Campaigns.Benchmarks.Data;
using Npgsql;
using NpgsqlTypes;

namespace Campaigns.Benchmarks.Floors;

/// <summary>
/// The floor of <c>accept</c>: one binary COPY of the same rows the send writes, into the same table
/// with all its indexes and constraints, in one transaction, on the same database. Nothing the API
/// does (reading customers, rendering, enqueueing) is in it.
/// </summary>
public static class CopyFloor
{
    public static async Task<TimeSpan> MeasureAsync(BenchDatabase database, IReadOnlyList<long> customerIds,
        CancellationToken cancellationToken)
    {
        var campaignId = await database.CreateSendingCampaignAsync("floor: copy", cancellationToken);
        var rows = customerIds.Select(id => (Id: id, Text: BenchDatabase.RenderFor(id))).ToArray();
        var dueAt = DateTime.UtcNow.AddMinutes(1);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);

        var started = Stopwatch.GetTimestamp();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await CopyAsync(connection, campaignId, rows, dueAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);

        await database.DropCampaignAsync(campaignId, cancellationToken);
        return elapsed;
    }

    /// <summary>The COPY itself; the delivery floor uses it for its insert step too.</summary>
    public static async Task CopyAsync(NpgsqlConnection connection, long campaignId, IReadOnlyList<(long Id, string Text)> rows,
        DateTime dueAt, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY outbound_messages (campaign_id, customer_id, rendered_content, next_attempt_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var (id, text) in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(campaignId, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(text, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(dueAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
