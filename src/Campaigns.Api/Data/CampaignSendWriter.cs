using Campaigns.Core.Domain;
using Campaigns.Core.Templates;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Campaigns.Api.Data;

/// <summary>
/// Attaches an audience to a campaign in one transaction: flips the status (exactly one concurrent
/// send wins), reads the recipients in chunks, renders each message with the shared template engine
/// and binary-COPYs them into outbound_messages, then sets the campaign's counters. Any failure
/// rolls everything back. Memory stays bounded by the chunk size, whatever the audience's size.
/// The caller owns the transaction (so it can record an idempotency key in it) and commits it.
/// </summary>
public sealed class CampaignSendWriter(IOptions<SendOptions> options, TimeProvider clock)
{
    private const int MaxMissingIdsReported = 100;

    public async Task<SendOutcome> AttachAudienceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        long campaignId, Recipients recipients, CancellationToken cancellationToken)
    {
        var campaign = await FlipStatusAsync(connection, campaignId, cancellationToken);
        if (campaign is null)
        {
            var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }, transaction, cancellationToken: cancellationToken));
            return status is null ? new SendOutcome.CampaignMissing() : new SendOutcome.NotSendable(status);
        }

        var template = MessageTemplate.Parse(campaign.BaseTemplate);
        var dispatchNow = campaign.Status == CampaignStatus.Sending;
        var dueAt = (dispatchNow ? clock.GetUtcNow().UtcDateTime : campaign.ScheduledAt!.Value) + options.Value.RequeueAfter;
        var tally = new Tally();
        var chunks = recipients switch
        {
            Recipients.Listed listed => ReadListedAsync(connection, listed.SortedDistinctIds, tally, cancellationToken),
            Recipients.Matching matching => ReadMatchingAsync(connection, matching, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(recipients)),
        };
        var chunkBuffer = new List<RecipientRow>(options.Value.ChunkSize);
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            if (tally.Missing.Count > 0)
            {
                continue; // only collecting missing ids now; nothing will be written
            }
            chunkBuffer.Clear();
            foreach (var row in chunk)
            {
                if (row.OptedOut)
                {
                    tally.SkippedOptedOut++;
                }
                else
                {
                    chunkBuffer.Add(row);
                }
            }
            await CopyMessagesAsync(connection, campaignId, template, chunkBuffer, dueAt, cancellationToken);
            tally.Created += chunkBuffer.Count;
        }

        if (tally.Missing.Count > 0)
        {
            return new SendOutcome.CustomersMissing(tally.Missing);
        }
        if (tally.Created == 0)
        {
            return new SendOutcome.NoRecipients(tally.SkippedOptedOut);
        }

        const string setCounters = """
            UPDATE campaigns SET total_count = @created, pending_count = @created, sending_count = 0,
                                 sent_count = 0, failed_count = 0, cancelled_count = 0
            WHERE id = @campaignId;
            SELECT id FROM outbound_messages WHERE campaign_id = @campaignId ORDER BY id;
            """;
        IReadOnlyList<long> messageIds;
        await using (var results = await connection.QueryMultipleAsync(new CommandDefinition(setCounters,
            new { campaignId, created = tally.Created }, transaction, cancellationToken: cancellationToken)))
        {
            messageIds = dispatchNow ? (await results.ReadAsync<long>()).AsList() : [];
        }
        return new SendOutcome.Accepted(tally.Created, messageIds, tally.SkippedOptedOut, campaign.Status, dispatchNow);
    }

    /// <summary>
    /// The one statement that decides which of many concurrent sends wins: the row lock serialises
    /// them and every later one sees the audience already attached.
    /// </summary>
    private static async Task<FlippedCampaign?> FlipStatusAsync(NpgsqlConnection connection, long campaignId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            UPDATE campaigns
            SET status = CASE WHEN scheduled_at > now() THEN '{CampaignStatus.Scheduled}' ELSE '{CampaignStatus.Sending}' END,
                audience_attached_at = now(), updated_at = now()
            WHERE id = @campaignId
              AND status IN ('{CampaignStatus.Draft}', '{CampaignStatus.Scheduled}')
              AND audience_attached_at IS NULL
            RETURNING status, base_template, scheduled_at
            """;
        return await connection.QuerySingleOrDefaultAsync<FlippedCampaign>(new CommandDefinition(
            sql, new { campaignId }, cancellationToken: cancellationToken));
    }

    private async IAsyncEnumerable<List<RecipientRow>> ReadListedAsync(NpgsqlConnection connection, long[] sortedIds, Tally tally,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {RecipientRow.Columns} FROM customers WHERE id = ANY(@ids) ORDER BY id";
        var chunkSize = options.Value.ChunkSize;
        for (var offset = 0; offset < sortedIds.Length && tally.Missing.Count < MaxMissingIdsReported; offset += chunkSize)
        {
            var ids = sortedIds.AsSpan(offset, Math.Min(chunkSize, sortedIds.Length - offset)).ToArray();
            var rows = await RecipientRow.ReadAsync(connection, sql, cmd => cmd.Parameters.AddWithValue("ids", ids), cancellationToken);
            if (rows.Count < ids.Length)
            {
                CollectMissing(ids, rows, tally.Missing);
            }
            yield return rows;
        }
    }

    private async IAsyncEnumerable<List<RecipientRow>> ReadMatchingAsync(NpgsqlConnection connection, Recipients.Matching matching,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {RecipientRow.Columns} FROM customers
            WHERE (@location::text IS NULL OR lower(location) = lower(@location))
              AND (@product::text IS NULL OR lower(preferred_product) = lower(@product))
              AND id > @afterId
            ORDER BY id
            LIMIT @limit
            """;
        var afterId = 0L;
        while (true)
        {
            var rows = await RecipientRow.ReadAsync(connection, sql, cmd =>
            {
                cmd.Parameters.Add(new NpgsqlParameter("location", NpgsqlDbType.Text) { Value = (object?)matching.Filter.Location ?? DBNull.Value });
                cmd.Parameters.Add(new NpgsqlParameter("product", NpgsqlDbType.Text) { Value = (object?)matching.Filter.PreferredProduct ?? DBNull.Value });
                cmd.Parameters.AddWithValue("afterId", afterId);
                cmd.Parameters.AddWithValue("limit", options.Value.ChunkSize);
            }, cancellationToken);
            if (rows.Count == 0)
            {
                yield break;
            }
            afterId = rows[^1].Id;
            yield return rows;
        }
    }

    private static void CollectMissing(long[] requested, List<RecipientRow> found, List<long> missing)
    {
        var j = 0;
        foreach (var id in requested)
        {
            while (j < found.Count && found[j].Id < id)
            {
                j++;
            }
            if ((j >= found.Count || found[j].Id != id) && missing.Count < MaxMissingIdsReported)
            {
                missing.Add(id);
            }
        }
    }

    private static async Task CopyMessagesAsync(NpgsqlConnection connection, long campaignId, MessageTemplate template,
        List<RecipientRow> rows, DateTime dueAt, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY outbound_messages (campaign_id, customer_id, rendered_content, next_attempt_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(campaignId, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(row.Id, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(template.Render(row.Fields), NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(dueAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    private sealed class Tally
    {
        public int Created;
        public int SkippedOptedOut;
        public readonly List<long> Missing = [];
    }

    private sealed class FlippedCampaign
    {
        public string Status { get; init; } = "";
        public string BaseTemplate { get; init; } = "";
        public DateTime? ScheduledAt { get; init; }
    }
}
