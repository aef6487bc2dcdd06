using Campaigns.Api.Contracts;
using Campaigns.Api.Paging;
using Campaigns.Api.Timing;
using Campaigns.Core.Content;
using Campaigns.Core.Domain;
using Campaigns.Core.Personalization;
using Dapper;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// Reads and writes campaigns. Stats come from maintained counters (<c>campaign_totals</c>), never from counting messages.
/// The list reads the read replica (<see cref="ReadReplica"/>); everything else the primary.
/// </summary>
public sealed class CampaignStore(NpgsqlDataSource dataSource, ReadReplica replica)
{
    /// <summary>One campaign as every reader sees it: its row with its counters (campaign_totals); binds <c>@id</c>.</summary>
    public static readonly string ReadSql = $"SELECT {CampaignRow.Columns} FROM campaign_totals WHERE id = @id";

    public async Task<CampaignRow> CreateAsync(NewCampaign campaign, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO campaigns (name, channel, status, base_template, scheduled_at, whatsapp_template, send_window, validity,
                                   track_links, translations, default_language, personalization, variants, ab_test, auto_translate)
            VALUES (@name, @channel, initial_campaign_status(@scheduledAt), @baseTemplate, @scheduledAt, @whatsAppTemplate::jsonb,
                    @sendWindow::jsonb, @validity, @trackLinks, @translations::jsonb, @defaultLanguage, @personalization::jsonb,
                    @variants::jsonb, @abTest::jsonb, @autoTranslate)
            RETURNING id
            """;
        // Read in a statement of its own, as every campaign read: from campaign_totals.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            name = campaign.Name,
            channel = campaign.Channel,
            baseTemplate = campaign.BaseTemplate,
            scheduledAt = campaign.ScheduledAt,
            whatsAppTemplate = campaign.WhatsAppTemplate?.ToJson(),
            sendWindow = campaign.SendWindow?.ToJson(),
            validity = campaign.Validity,
            trackLinks = campaign.TrackLinks,
            personalization = campaign.Personalization?.ToJson(),
            translations = CampaignTranslations.ToJson(campaign.Translations),
            defaultLanguage = campaign.DefaultLanguage,
            variants = campaign.Variants is { } variants ? CampaignVariants.ToJson(variants) : null,
            abTest = campaign.AbTest?.ToJson(),
            autoTranslate = campaign.AutoTranslate,
        }, cancellationToken: cancellationToken));
        return await connection.QuerySingleAsync<CampaignRow>(new CommandDefinition(ReadSql, new { id }, cancellationToken: cancellationToken));
    }

    public async Task<CampaignRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition(ReadSql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The campaign as a list of its messages sees it (its counters are the list's totals), from the read replica; from
    /// the primary when the replica does not have it yet.
    /// </summary>
    public Task<CampaignRow?> GetForListAsync(long id, CancellationToken cancellationToken)
    {
        return replica.ReadOrPrimaryAsync(connection => connection.QuerySingleOrDefaultAsync<CampaignRow>(
            new CommandDefinition(ReadSql, new { id }, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>The campaign's counters per variant (<c>variant_counts</c>, migration 0022): every variant, zeros where it has no messages yet.</summary>
    public async Task<IReadOnlyDictionary<string, VariantStats>> GetVariantStatsAsync(long id, IReadOnlyList<VariantContent> variants,
        CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT variant, total, pending, sending, sent, delivered, undelivered, failed, cancelled, expired, read, clicked
            FROM variant_counts(@id)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<VariantCountRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        var stats = variants.ToDictionary(v => v.Key, _ => new VariantStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), StringComparer.Ordinal);
        foreach (var r in rows)
        {
            stats[r.Variant] = new VariantStats(r.Total, r.Pending, r.Sending, r.Sent, r.Delivered, r.Undelivered, r.Failed, r.Cancelled,
                r.Expired, r.Read, r.Clicked);
        }
        return stats;
    }

    private sealed record VariantCountRow(string Variant, int Total, int Pending, int Sending, int Sent, int Delivered, int Undelivered,
        int Failed, int Cancelled, int Expired, int Read, int Clicked);

    /// <returns>
    /// Up to <c>PageSize + 1</c> rows (the extra one says a next page exists; none for a page too deep) and the
    /// exact filtered total.
    /// </returns>
    public async Task<(IReadOnlyList<CampaignRow> Rows, long Total)> ListAsync(PageRequest page, string? channel, string? status,
        CancellationToken cancellationToken)
    {
        var rowsSql = ListRowsSql(page, channel, status) + ";";

        return await replica.ReadAsync<(IReadOnlyList<CampaignRow>, long)>(async connection =>
        {
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(page.IsTooDeep ? ListCountSql : rowsSql + ListCountSql,
                new { channel, status, beforeId = page.BeforeId }, cancellationToken: cancellationToken));
            var rows = page.IsTooDeep ? [] : (await results.ReadAsync<CampaignRow>()).AsList();
            var total = await results.ReadSingleAsync<long>();
            return (rows, total);
        }, cancellationToken);
    }

    /// <summary>
    /// The filtered total of a list, exact without counting the table: folded counts plus the deltas not yet folded
    /// (migration 0004); binds <c>@channel</c> and <c>@status</c> (null: any).
    /// </summary>
    public const string ListCountSql = """
            SELECT coalesce(sum(n), 0)::bigint FROM (
                SELECT n FROM campaign_counts
                WHERE (@channel::text IS NULL OR channel = @channel) AND (@status::text IS NULL OR status = @status)
                UNION ALL
                SELECT delta FROM campaign_count_deltas
                WHERE (@channel::text IS NULL OR channel = @channel) AND (@status::text IS NULL OR status = @status)) counted;
            """;

    /// <summary>A page of campaigns (binds <c>@channel</c>, <c>@status</c> and <c>@beforeId</c> where they apply).</summary>
    public static string ListRowsSql(PageRequest page, string? channel, string? status) =>
        $"""
        SELECT {CampaignRow.Columns} FROM campaign_totals
        {ListConditions.Where(channel is null ? null : $"channel = {ListConditions.Value("@channel")}",
            status is null ? null : $"status = {ListConditions.Value("@status")}", page.BeforeCondition())}
        ORDER BY id DESC {page.LimitSql}
        """;

    /// <summary>
    /// Applies a change only while the campaign was never sent (draft or scheduled, no audience: the
    /// state machine's <c>edit_unsent_campaign</c>); null when that no longer holds.
    /// </summary>
    public async Task<CampaignRow?> UpdateIfEditableAsync(long id, CampaignChanges changes, CancellationToken cancellationToken)
    {
        const string editSql = "SELECT edit_unsent_campaign(@id, @name, @channel, @baseTemplate, @setSchedule, @scheduledAt)";
        // In the edit's transaction, under the row lock it took: a send cannot attach an audience in between.
        const string settingsSql = """
            UPDATE campaigns SET
                whatsapp_template = CASE WHEN @setWhatsAppTemplate THEN @whatsAppTemplate::jsonb ELSE whatsapp_template END,
                send_window = CASE WHEN @setSendWindow THEN @sendWindow::jsonb ELSE send_window END,
                validity = CASE WHEN @setValidity THEN @validity ELSE validity END,
                track_links = coalesce(@trackLinks, track_links),
                translations = CASE WHEN @setTranslations THEN @translations::jsonb ELSE translations END,
                default_language = coalesce(@defaultLanguage, default_language),
                personalization = CASE WHEN @setPersonalization THEN @personalization::jsonb ELSE personalization END,
                variants = CASE WHEN @setVariants THEN @variants::jsonb ELSE variants END,
                ab_test = CASE WHEN @setAbTest THEN @abTest::jsonb ELSE ab_test END,
                auto_translate = coalesce(@autoTranslate, auto_translate)
            WHERE id = @id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var edited = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(editSql, new
        {
            id,
            name = changes.Name,
            channel = changes.Channel,
            baseTemplate = changes.BaseTemplate,
            setSchedule = changes.SetSchedule,
            scheduledAt = changes.ScheduledAt,
        }, transaction, cancellationToken: cancellationToken));
        if (edited is null)
        {
            return null;
        }
        if (changes.SetWhatsAppTemplate || changes.SetSendWindow || changes.SetValidity || changes.TrackLinks is not null
            || changes.SetPersonalization || changes.SetTranslations || changes.DefaultLanguage is not null
            || changes.SetVariants || changes.SetAbTest || changes.AutoTranslate is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(settingsSql, new
            {
                id,
                setWhatsAppTemplate = changes.SetWhatsAppTemplate,
                whatsAppTemplate = changes.WhatsAppTemplate?.ToJson(),
                setSendWindow = changes.SetSendWindow,
                sendWindow = changes.SendWindow?.ToJson(),
                setValidity = changes.SetValidity,
                validity = changes.Validity,
                trackLinks = changes.TrackLinks,
                setPersonalization = changes.SetPersonalization,
                personalization = changes.Personalization?.ToJson(),
                setTranslations = changes.SetTranslations,
                translations = CampaignTranslations.ToJson(changes.Translations),
                defaultLanguage = changes.DefaultLanguage,
                setVariants = changes.SetVariants,
                variants = changes.Variants is { } variants ? CampaignVariants.ToJson(variants) : null,
                setAbTest = changes.SetAbTest,
                abTest = changes.AbTest?.ToJson(),
                autoTranslate = changes.AutoTranslate,
            }, transaction, cancellationToken: cancellationToken));
        }
        var campaign = await connection.QuerySingleAsync<CampaignRow>(new CommandDefinition(ReadSql, new { id }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return campaign;
    }

    /// <returns>True when deleted; false when it exists but is being sent (or paused mid-send).</returns>
    public async Task<bool?> DeleteUnlessSendingAsync(long id, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH deleted AS (
                DELETE FROM campaigns WHERE id = @id AND status NOT IN ('{CampaignStatus.Sending}', '{CampaignStatus.Paused}')
                RETURNING id)
            SELECT EXISTS (SELECT 1 FROM deleted) AS deleted,
                   EXISTS (SELECT 1 FROM campaigns WHERE id = @id) AS present
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (deleted, present) = await connection.QuerySingleAsync<(bool, bool)>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return deleted ? true : present ? false : null;
    }
}

/// <summary>A validated new campaign as stored.</summary>
public sealed record NewCampaign(string Name, string Channel, string BaseTemplate, DateTime? ScheduledAt, WhatsAppTemplate? WhatsAppTemplate,
    SendWindow? SendWindow, TimeSpan? Validity, bool TrackLinks = false, CampaignPersonalization? Personalization = null,
    IReadOnlyList<VariantContent>? Variants = null, AbTest? AbTest = null)
{
    /// <summary>Language → template; null or empty for none.</summary>
    public IReadOnlyDictionary<string, string>? Translations { get; init; }
    public string DefaultLanguage { get; init; } = CampaignContent.DefaultLanguage;
    public bool AutoTranslate { get; init; }
}

/// <summary>
/// What a PATCH changes; null members stay as they are, except the schedule, the WhatsApp template, the send window and
/// the validity when their Set flag says so (then null clears them).
/// </summary>
public sealed record CampaignChanges(string? Name, string? Channel, string? BaseTemplate, bool SetSchedule, DateTime? ScheduledAt,
    bool SetWhatsAppTemplate = false, WhatsAppTemplate? WhatsAppTemplate = null)
{
    public bool SetSendWindow { get; init; }
    public SendWindow? SendWindow { get; init; }
    public bool SetValidity { get; init; }
    public TimeSpan? Validity { get; init; }
    /// <summary>Null leaves it as it is.</summary>
    public bool? TrackLinks { get; init; }
    public bool SetPersonalization { get; init; }
    public CampaignPersonalization? Personalization { get; init; }
    /// <summary>When set, replaces every translation (null or empty: none).</summary>
    public bool SetTranslations { get; init; }
    public IReadOnlyDictionary<string, string>? Translations { get; init; }
    /// <summary>Null leaves it as it is.</summary>
    public string? DefaultLanguage { get; init; }
    public bool SetVariants { get; init; }
    public IReadOnlyList<VariantContent>? Variants { get; init; }
    public bool SetAbTest { get; init; }
    public AbTest? AbTest { get; init; }
    /// <summary>Null leaves it as it is.</summary>
    public bool? AutoTranslate { get; init; }
}
