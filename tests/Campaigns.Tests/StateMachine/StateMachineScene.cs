using Campaigns.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Campaigns.Tests.StateMachine;

/// <summary>
/// Builds campaigns and messages in any state straight in the database, with counters that match, and
/// reads them back: the transitions under test are the state machine's functions (migration 0006).
/// Queue stamps and due times lie an hour ahead unless a test says otherwise, so the running worker's
/// retry driver never takes these messages for lost or due.
/// </summary>
public sealed class StateMachineScene(NpgsqlDataSource database)
{
    public static readonly TimeSpan Later = TimeSpan.FromHours(1);

    public sealed record Message(long Id, string Status, int RetryCount, DateTime? QueuedAt, DateTime NextAttemptAt, string? LastError);

    public sealed record Campaign(long Id, string Status, int Total, int Pending, int Sending, int Sent, int Failed, int Cancelled);

    public async Task<long> CampaignAsync(string status, bool audienceAttached = true, TimeSpan? scheduledIn = null)
    {
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at, scheduled_at)
            VALUES (@name, 'sms', @status, 'Hi', CASE WHEN @audienceAttached THEN now() END, now() + @scheduledIn)
            RETURNING id
            """, new { name = Unique.Name("state"), status, audienceAttached, scheduledIn }, cancellationToken: TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// A message of <paramref name="campaignId"/>; <paramref name="queuedIn"/> makes a pending one queued
    /// (stamped that far from now), <paramref name="dueIn"/> a waiting one due then. Counters follow.
    /// </summary>
    public async Task<Message> MessageAsync(long campaignId, string status, int retryCount = 0, TimeSpan? queuedIn = null,
        TimeSpan? dueIn = null, bool optedOut = false)
    {
        var ct = TestContext.Current.CancellationToken;
        var customer = await database.InsertCustomerAsync(ct, optedOut: optedOut);
        await using var connection = await database.OpenConnectionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content, retry_count, queued_at, next_attempt_at)
            VALUES (@campaignId, @customer, @status, 'Hi', @retryCount, now() + @queuedIn, now() + coalesce(@dueIn, interval '1 hour'))
            RETURNING id;
            """, new { campaignId, customer, status, retryCount, queuedIn, dueIn }, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE campaigns c SET total_count = n.total, pending_count = n.pending, sending_count = n.sending,
                                   sent_count = n.sent, failed_count = n.failed, cancelled_count = n.cancelled
            FROM (SELECT count(*)::int AS total,
                         count(*) FILTER (WHERE status = 'pending')::int AS pending,
                         count(*) FILTER (WHERE status = 'sending')::int AS sending,
                         count(*) FILTER (WHERE status = 'sent')::int AS sent,
                         count(*) FILTER (WHERE status = 'failed')::int AS failed,
                         count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
                  FROM outbound_messages WHERE campaign_id = @campaignId) n
            WHERE c.id = @campaignId;
            DELETE FROM campaign_tallies WHERE campaign_id = @campaignId;
            """, new { campaignId }, cancellationToken: ct));
        return await ReadMessageAsync(id);
    }

    private const string MessageSql = """
        SELECT id, status, retry_count, queued_at, next_attempt_at, last_error FROM outbound_messages WHERE id = @id
        """;

    public async Task<Message> ReadMessageAsync(long id)
    {
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        return await connection.QuerySingleAsync<Message>(new CommandDefinition(MessageSql, new { id },
            cancellationToken: TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Runs <paramref name="sql"/> and reads message <paramref name="id"/> in one transaction: what the statement left,
    /// before the graph's worker (its retry driver, its sweeps) can move the message on.
    /// </summary>
    public async Task<(List<T> Rows, Message After)> CallThenReadMessageAsync<T>(string sql, object? parameters, long id)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var rows = (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct))).AsList();
        var after = await connection.QuerySingleAsync<Message>(new CommandDefinition(MessageSql, new { id }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return (rows, after);
    }

    /// <summary>The campaign as every reader sees it (row plus tallies); asserts its counters equal its messages' statuses.</summary>
    public async Task<Campaign> ReadCampaignAsync(long id)
    {
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var campaign = await connection.QuerySingleAsync<Campaign>(new CommandDefinition("""
            SELECT id, status, total_count AS total, pending_count AS pending, sending_count AS sending,
                   sent_count AS sent, failed_count AS failed, cancelled_count AS cancelled
            FROM campaign_totals WHERE id = @id
            """, new { id }, cancellationToken: TestContext.Current.CancellationToken));
        var counted = await connection.QuerySingleAsync<Campaign>(new CommandDefinition("""
            SELECT @id AS id, @status AS status, count(*)::int AS total,
                   count(*) FILTER (WHERE status = 'pending')::int AS pending,
                   count(*) FILTER (WHERE status = 'sending')::int AS sending,
                   count(*) FILTER (WHERE status = 'sent')::int AS sent,
                   count(*) FILTER (WHERE status = 'failed')::int AS failed,
                   count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
            FROM outbound_messages WHERE campaign_id = @id
            """, new { id, status = campaign.Status }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(counted, campaign);
        return campaign;
    }

    /// <summary>
    /// Sets a campaign's status by hand. Scenes of a <c>sending</c> campaign are built paused and flipped
    /// last: a sending campaign without messages is what the worker's completion sweep finishes.
    /// </summary>
    public async Task SetStatusAsync(long campaignId, string status)
    {
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE campaigns SET status = @status WHERE id = @campaignId",
            new { campaignId, status }, cancellationToken: TestContext.Current.CancellationToken));
    }

    public async Task<T> CallAsync<T>(string sql, object? parameters)
    {
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        return (await connection.QuerySingleAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken)))!;
    }

    public async Task<List<T>> CallManyAsync<T>(string sql, object? parameters)
    {
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken))).AsList();
    }
}
