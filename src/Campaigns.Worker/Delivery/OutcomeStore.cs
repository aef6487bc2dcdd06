using Campaigns.Core.Domain;
using Dapper;
using Npgsql;

namespace Campaigns.Worker.Delivery;

/// <summary>
/// Writes a batch of attempt outcomes in one call of the state machine's <c>record_attempt_outcomes</c>
/// (migrations 0006, 0011; the counters and events follow by themselves, with the provider's answer), then completes campaigns with nothing left to send.
/// </summary>
/// <remarks>
/// An outcome applies only to a row still <c>sending</c> with the <c>retry_count</c> it was claimed with:
/// an attempt whose lease expired (and was counted as failed and perhaps claimed again) can no longer
/// overwrite what happened since. A retry whose campaign was cancelled meanwhile becomes <c>cancelled</c>.
/// </remarks>
public sealed class OutcomeStore(NpgsqlDataSource dataSource, ILogger<OutcomeStore> logger)
{
    public sealed record AppliedRow(long Id, long CampaignId, string Status);

    public sealed record Result(IReadOnlyList<AppliedRow> Applied, IReadOnlyList<CampaignCompletion.Completed> CompletedCampaigns);

    /// <summary>The outcome batch (public for the plan test).</summary>
    public const string ApplySql = """
        SELECT id, campaign_id, status
        FROM record_attempt_outcomes(@ids, @claimedRetryCounts, @statuses, @retryCounts, @errors, @delays, @onlyExpiredLeases,
                                     @providers, @providerMessageIds, @errorCodes, @unknown, @suppressPhone, @campaignIds)
        """;

    /// <param name="onlyExpiredLeases">For the lease reconciler: apply only where the lease has run out.</param>
    public async Task<Result> ApplyAsync(
        IReadOnlyList<AttemptOutcome> outcomes, bool onlyExpiredLeases, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return new Result([], []);
        }
        var parameters = new
        {
            ids = outcomes.Select(o => o.MessageId).ToArray(),
            claimedRetryCounts = outcomes.Select(o => o.ClaimedRetryCount).ToArray(),
            statuses = outcomes.Select(o => o.Status).ToArray(),
            retryCounts = outcomes.Select(o => o.RetryCount).ToArray(),
            errors = outcomes.Select(o => o.Error).ToArray(),
            delays = outcomes.Select(o => o.RetryDelay).ToArray(),
            onlyExpiredLeases,
            providers = outcomes.Select(o => o.Provider).ToArray(),
            providerMessageIds = outcomes.Select(o => o.ProviderMessageId).ToArray(),
            errorCodes = outcomes.Select(o => o.ErrorCode).ToArray(),
            unknown = outcomes.Select(o => o.Unknown).ToArray(),
            suppressPhone = outcomes.Select(o => o.SuppressPhone).ToArray(),
            campaignIds = outcomes.Select(o => o.CampaignId).ToArray(),
        };

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var applied = (await connection.QueryAsync<AppliedRow>(new CommandDefinition(
            ApplySql, parameters, cancellationToken: cancellationToken))).AsList();
        var touched = applied.Where(r => r.Status != MessageStatus.Pending).Select(r => r.CampaignId).Distinct().ToArray();
        IReadOnlyList<CampaignCompletion.Completed> completed = [];
        try
        {
            completed = await CampaignCompletion.CompleteAsync(connection, touched, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The outcomes are committed and must be reported as such; the completion sweep finishes the campaign.
            Log.CompletionDeferred(logger, e, touched.Length);
        }
        return new Result(applied, completed);
    }
}
