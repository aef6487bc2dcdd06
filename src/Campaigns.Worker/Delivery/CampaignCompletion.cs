using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// A <c>sending</c> campaign with no message left <c>pending</c> or <c>sending</c> becomes <c>sent</c>
/// (at least one sent) or <c>failed</c>. The status guard makes it happen exactly once, whichever
/// replica or path (outcome batch, periodic sweep) gets there first.
/// </summary>
/// <remarks>
/// Run after the batch that may have finished a campaign has committed: worker transactions of one
/// campaign run side by side, so only after its commit does each see the others' counts, and the
/// last one to commit finds nothing left. Candidates are read without locks; only for them is the
/// row locked for update, its tallies folded in, and the counters checked again.
/// </remarks>
public static class CampaignCompletion
{
    public sealed record Completed(long Id, string Status);

    private const string Done = "status = 'sending' AND pending_count = 0 AND sending_count = 0";

    public static Task<IReadOnlyList<Completed>> CompleteAsync(NpgsqlConnection connection, long[] campaignIds,
        CancellationToken cancellationToken) =>
        campaignIds.Length == 0
            ? Task.FromResult<IReadOnlyList<Completed>>([])
            : CompleteCandidatesAsync(connection,
                $"SELECT id FROM campaign_totals WHERE id = ANY(@campaignIds) AND {Done} ORDER BY id", new { campaignIds }, cancellationToken);

    /// <summary>Every campaign being sent (the sweep). Cheap: the partial index <c>idx_campaigns_sending</c>.</summary>
    public static Task<IReadOnlyList<Completed>> CompleteAnyAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        CompleteCandidatesAsync(connection, $"SELECT id FROM campaign_totals WHERE {Done} ORDER BY id", null, cancellationToken);

    private static async Task<IReadOnlyList<Completed>> CompleteCandidatesAsync(NpgsqlConnection connection, string candidatesSql,
        object? parameters, CancellationToken cancellationToken)
    {
        var candidates = (await connection.QueryAsync<long>(new CommandDefinition(candidatesSql, parameters,
            cancellationToken: cancellationToken))).ToArray();
        if (candidates.Length == 0)
        {
            return [];
        }
        const string complete = $"""
            UPDATE campaigns
            SET status = CASE WHEN sent_count > 0 THEN 'sent' ELSE 'failed' END, updated_at = now()
            WHERE id = ANY(@candidates) AND {Done}
            RETURNING id, status
            """;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT fold_campaign_tallies(@candidates)", new { candidates },
            transaction, cancellationToken: cancellationToken));
        var completed = (await connection.QueryAsync<Completed>(new CommandDefinition(complete, new { candidates },
            transaction, cancellationToken: cancellationToken))).AsList();
        await transaction.CommitAsync(cancellationToken);
        return completed;
    }
}
