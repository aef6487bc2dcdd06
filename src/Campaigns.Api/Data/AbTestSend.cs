using Campaigns.Core.Languages;
using Campaigns.Api.Timing;
using Campaigns.Core.Content;
using Campaigns.Core.Recommendations;
using Dapper;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// An A/B test's part of a send (in its transaction, after every message was written without text): the sample, the
/// <c>ceil(sample_percent% × audience)</c> recipients of lowest sample rank, is rendered each in its own variant and made
/// due like any message of the send (queued with its stamp when sent now, so the caller publishes their jobs; waiting
/// until <c>scheduled_at</c> otherwise), and the decision's time is fixed: the dispatch plus <c>decide_after</c>. The rest
/// stay pending without variant, text or due time until the worker's decision (docs/state-machine.md, "A/B test").
/// </summary>
public static class AbTestSend
{
    /// <param name="dispatchAt">The send's stamp (sent now) or <c>scheduled_at</c>: Postgres's times, never this process's clock.</param>
    public static async Task ReleaseSampleAsync(NpgsqlConnection connection, long campaignId, CampaignContent content, string? linkPrefix,
        AbTest test, AbTestSample sample, DateTime dispatchAt, bool dispatchNow, RecipientLanguages languages, ProductPicks? picks,
        CancellationToken cancellationToken)
    {
        var release = new MessageRelease(campaignId, content, linkPrefix, languages, picks);
        var messages = await release.ReadOfCustomersAsync(connection, sample.CustomerIds(test.SamplePercent), cancellationToken);
        await release.ReleaseAsync(connection, messages, m => VariantAssignment.Pick(campaignId, m.CustomerId, content.Variants),
            queuedAt: dispatchNow ? dispatchAt : null, dueAt: dispatchAt, cancellationToken);
        var decideAfter = IsoDuration.TryParse(test.DecideAfter, out var duration) ? duration
            : throw new InvalidOperationException($"Campaign {campaignId}'s decide_after '{test.DecideAfter}' is not a duration");
        await connection.ExecuteAsync(new CommandDefinition("UPDATE campaigns SET decide_at = @decideAt WHERE id = @campaignId",
            new { campaignId, decideAt = dispatchAt + decideAfter }, cancellationToken: cancellationToken));
    }
}
