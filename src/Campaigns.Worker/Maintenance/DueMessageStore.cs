using Campaigns.Core.Queue;
using Dapper;
using Npgsql;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// The retry driver's round through the state machine's <c>take_due_messages</c> (migration 0006): due
/// messages of campaigns being sent, each given a fresh queue stamp to publish with. Paused and scheduled
/// campaigns' messages are never read (the lists are per campaign being sent), so nothing needs parking.
/// </summary>
public sealed class DueMessageStore(NpgsqlDataSource dataSource)
{
    /// <summary>A due message taken for publishing, and why it was due.</summary>
    public sealed record DueMessage(long Id, long CampaignId, DateTime QueuedAt, string Reason);

    /// <summary>
    /// The round (public so a test can look at its plans). After the queue lost its jobs, the horizon
    /// shrinks to take every message queued before the loss (<c>@lostBefore</c>, Postgres's clock).
    /// </summary>
    public const string TakeDueSql = """
        SELECT id, campaign_id, queued_at, reason
        FROM take_due_messages(@limit, CASE WHEN @lostBefore::timestamptz IS NULL THEN @requeueAfter
                                            ELSE least(@requeueAfter, now() - @lostBefore::timestamptz) END)
        """;

    /// <summary>
    /// Takes due <c>pending</c> messages: waiting ones whose time has come (a retry after its backoff, a
    /// released claim, a scheduled campaign just dispatched) and queued ones whose job was published more
    /// than <paramref name="requeueAfter"/> ago, or before <paramref name="lostBefore"/>, and never claimed (lost).
    /// </summary>
    public async Task<IReadOnlyList<DueMessage>> TakeDueAsync(
        int limit, TimeSpan requeueAfter, DateTime? lostBefore, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<DueMessage>(new CommandDefinition(
            TakeDueSql, new { limit, requeueAfter, lostBefore }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Postgres's clock, which every stamp is taken on.</summary>
    public async Task<DateTime> NowAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition("SELECT now()", cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The taken messages as publishable groups: one per stamp (one round stamps them all alike) and campaign, whose id
    /// each job carries.
    /// </summary>
    public static IEnumerable<QueuedMessages> ByStamp(IReadOnlyList<DueMessage> due) =>
        due.GroupBy(d => (d.QueuedAt, d.CampaignId))
            .Select(g => new QueuedMessages([.. g.Select(d => d.Id)], g.Key.QueuedAt, g.Key.CampaignId));
}
