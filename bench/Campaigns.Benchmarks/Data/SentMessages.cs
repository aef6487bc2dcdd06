using Dapper;

namespace Campaigns.Benchmarks.Data;

/// <summary>
/// A campaign whose messages a provider has accepted: written as a send writes them (pending, queued,
/// counted), then moved by the state machine's own functions (<c>claim_messages</c>, then
/// <c>record_attempt_outcomes</c> with the provider and its message ids, migration 0011) and completed,
/// so statuses, counters and events are what the worker would have left, in a few set-based statements.
/// </summary>
public static class SentMessages
{
    public const string Provider = "twilio";

    private const int BatchSize = 10_000;

    /// <summary>One accepted message: what a status callback names.</summary>
    public sealed record Message(long Id, string ProviderMessageId, string Phone);

    public static async Task<(long CampaignId, IReadOnlyList<Message> Messages)> CreateAsync(BenchDatabase database, string name,
        IReadOnlyList<long> customerIds, CancellationToken cancellationToken)
    {
        const string insert = """
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, next_attempt_at, queued_at)
            SELECT @campaignId, u.id,
                   'Hi ' || u.first_name || '! ' || u.preferred_product || ' is 20% off in ' || u.location || ' this weekend.',
                   now(), now()
            FROM customers u WHERE u.id = ANY(@customerIds)
            ORDER BY u.id
            RETURNING id, queued_at
            """;
        const string claim = "SELECT id, phone FROM claim_messages(@ids, @queuedAt, interval '10 minutes')";
        const string record = """
            SELECT count(*) FROM record_attempt_outcomes(
                @ids, @retryCounts, @statuses, @retryCounts, @errors, @delays, false, @providers, @providerMessageIds)
            WHERE status = 'sent'
            """;

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        long campaignId;
        List<(long Id, DateTime QueuedAt)> queued;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            campaignId = await BenchDatabase.CreateSendingCampaignAsync(connection, transaction, name, cancellationToken);
            queued = (await connection.QueryAsync<(long, DateTime)>(new CommandDefinition(insert,
                new { campaignId, customerIds = customerIds.ToArray() }, transaction, cancellationToken: cancellationToken))).AsList();
            await connection.ExecuteAsync(new CommandDefinition("SELECT count_created_messages(@campaignId, @created)",
                new { campaignId, created = queued.Count }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        var messages = new List<Message>(queued.Count);
        foreach (var batch in queued.Chunk(BatchSize))
        {
            var claimed = (await connection.QueryAsync<(long Id, string Phone)>(new CommandDefinition(claim,
                new { ids = batch.Select(m => m.Id).ToArray(), queuedAt = batch.Select(m => m.QueuedAt).ToArray() },
                cancellationToken: cancellationToken))).AsList();
            var accepted = claimed.Select(m => new Message(m.Id, TwilioSid(), m.Phone)).ToArray();
            var count = accepted.Length;
            var sent = await connection.ExecuteScalarAsync<long>(new CommandDefinition(record, new
            {
                ids = accepted.Select(m => m.Id).ToArray(),
                retryCounts = new int[count],
                statuses = Enumerable.Repeat("sent", count).ToArray(),
                errors = new string?[count],
                delays = new TimeSpan[count],
                providers = Enumerable.Repeat(Provider, count).ToArray(),
                providerMessageIds = accepted.Select(m => m.ProviderMessageId).ToArray(),
            }, cancellationToken: cancellationToken));
            if (sent != batch.Length)
            {
                throw new InvalidOperationException($"{name}: {sent} of {batch.Length} messages recorded sent");
            }
            messages.AddRange(accepted);
        }
        // A running worker's completion sweep may have completed it already.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT complete_campaigns(ARRAY[@campaignId])", new { campaignId }, cancellationToken: cancellationToken));
        var completed = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }, cancellationToken: cancellationToken));
        if (messages.Count != customerIds.Count || completed != "sent")
        {
            throw new InvalidOperationException(
                $"{name}: {messages.Count} messages sent for {customerIds.Count} customers, campaign {completed}");
        }
        return (campaignId, messages);
    }

    /// <summary>A Twilio message SID: SM and 32 hex digits.</summary>
    private static string TwilioSid() => "SM" + Guid.NewGuid().ToString("N");
}
