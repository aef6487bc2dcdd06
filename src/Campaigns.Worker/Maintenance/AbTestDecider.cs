using Campaigns.Core.Languages;
using Campaigns.Core.Content;
using Campaigns.Core.Hosting;
using Campaigns.Core.Recommendations;
using Campaigns.Worker.Options;
using Campaigns.Worker.Telemetry;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Worker.Maintenance;

/// <summary>
/// Decides A/B tests whose time has come (docs/state-machine.md, "A/B test"): for a campaign being sent (never a paused
/// one: its decision waits for the resume) past its <c>decide_at</c> and without a winner, in ONE transaction, under the
/// campaign row's lock (<c>FOR NO KEY UPDATE SKIP LOCKED</c>, and the winner written only <c>WHERE winner IS NULL</c>): it
/// counts each variant's sample and metric (<c>variant_counts</c>), writes the winner, renders the rest with the winner's
/// template in each one's language (auto_translate's stored answers included; <c>{recommended_product}</c> from the
/// recommender's picks, read once; links shortened when tracked) and makes them due, for the retry driver to queue. Any
/// number of replicas decide each test once and release its rest once; a failure rolls all of it back for the next round.
/// </summary>
public sealed class AbTestDecider(
    NpgsqlDataSource dataSource,
    IOptions<WorkerOptions> options,
    IOptions<ShortLinkOptions> links,
    RecipientLanguages languages,
    IProductRecommender recommender,
    ILogger<AbTestDecider> logger) : PeriodicService(logger)
{
    /// <summary>The rest rendered per statement.</summary>
    private const int ReleaseChunk = 2_000;

    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken) => await DecideNextAsync(cancellationToken) is not null;

    /// <summary>Decides one due test, if any.</summary>
    /// <returns>The campaign decided, or null when none was due (or every due one is being decided by another replica).</returns>
    public async Task<long?> DecideNextAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var campaign = await connection.QuerySingleOrDefaultAsync<DueTest>(new CommandDefinition("""
            SELECT id, base_template, track_links, campaign_variant_settings(id)::text AS variant_settings_json,
                   translations::text AS translations_json, default_language, auto_translations::text AS auto_translations_json
            FROM campaigns
            WHERE decide_at IS NOT NULL AND winner IS NULL AND decide_at <= now() AND status = 'sending'
            ORDER BY decide_at
            LIMIT 1
            FOR NO KEY UPDATE SKIP LOCKED
            """, transaction: transaction, cancellationToken: cancellationToken));
        if (campaign is null)
        {
            return null;
        }
        using var activity = WorkerActivities.StartBackgroundWork("ab test decision");
        var settings = VariantSettings.FromJson(campaign.VariantSettingsJson);
        var variants = settings.Variants!;
        var test = settings.AbTest!;
        var counts = await connection.QueryAsync<(string Variant, int Total, int Delivered, int Clicked)>(new CommandDefinition(
            "SELECT variant, total, delivered, clicked FROM variant_counts(@id)", new { id = campaign.Id }, transaction,
            cancellationToken: cancellationToken));
        var winner = AbTestDecision.Winner(variants, counts.ToDictionary(c => c.Variant,
            c => new AbTestDecision.Score(c.Total, test.Metric == AbTestMetric.Clicked ? c.Clicked : c.Delivered), StringComparer.Ordinal));
        var decided = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT record_ab_winner(@id, @winner)", new { id = campaign.Id, winner }, transaction, cancellationToken: cancellationToken));
        if (!decided)
        {
            return null;
        }

        // The winner's template, its translations, and the model's stored for it (auto_translate: learned for the whole audience at the send).
        var content = CampaignAutoTranslations.FromJson(campaign.AutoTranslationsJson).Apply(new CampaignContent(campaign.BaseTemplate,
            campaign.DefaultLanguage, CampaignTranslations.FromJson(campaign.TranslationsJson), variants));
        // {recommended_product}: the recommender's picks for the whole rest, read once in the decision's transaction.
        var picks = await recommender.PicksForAsync(connection, content, [], cancellationToken);
        var release = new MessageRelease(campaign.Id, content, campaign.TrackLinks ? links.Value.Prefix : null, languages, picks);
        var released = 0;
        for (var afterId = 0L; ;)
        {
            var rest = await release.ReadNextAsync(connection, afterId, ReleaseChunk, cancellationToken);
            if (rest.Count == 0)
            {
                break;
            }
            released += await release.ReleaseAsync(connection, rest, _ => winner, queuedAt: null, dueAt: null, cancellationToken);
            afterId = rest[^1].Id;
        }
        await transaction.CommitAsync(cancellationToken);
        activity?.SetTag("messages.released", released);
        Log.AbTestDecided(logger, campaign.Id, test.Metric, winner, released);
        return campaign.Id;
    }

    private sealed record DueTest(long Id, string BaseTemplate, bool TrackLinks, string? VariantSettingsJson, string? TranslationsJson,
        string DefaultLanguage, string? AutoTranslationsJson);
}
