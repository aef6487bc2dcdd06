using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Completes campaigns with nothing left to send, through the state machine's <c>complete_campaigns</c>
/// (migration 0006): <c>sending</c> → <c>sent</c> or <c>failed</c>, exactly once, whichever replica or
/// path (outcome batch, release, periodic sweep) gets there first.
/// </summary>
/// <remarks>
/// Run after the batch that may have finished a campaign has committed: worker transactions of one
/// campaign run side by side, so only after its commit does each see the others' counts, and the
/// last one to commit finds nothing left.
/// </remarks>
public static class CampaignCompletion
{
    public sealed record Completed(long Id, string Status);

    public static async Task<IReadOnlyList<Completed>> CompleteAsync(NpgsqlConnection connection, long[] campaignIds,
        CancellationToken cancellationToken) =>
        campaignIds.Length == 0
            ? []
            : (await connection.QueryAsync<Completed>(new CommandDefinition(
                "SELECT id, status FROM complete_campaigns(@campaignIds)", new { campaignIds }, cancellationToken: cancellationToken))).AsList();

    /// <summary>Every campaign being sent with nothing left (the sweep). Cheap: the partial index <c>idx_campaigns_sending</c>.</summary>
    public static async Task<IReadOnlyList<Completed>> CompleteAnyAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Completed>(new CommandDefinition(
            "SELECT id, status FROM complete_finished_campaigns()", cancellationToken: cancellationToken))).AsList();
}
