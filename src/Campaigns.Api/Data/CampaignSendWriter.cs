using Campaigns.Api.Contracts;
using Campaigns.Api.Links;
using Campaigns.Api.Sending;
using Campaigns.Api.Timing;
using Campaigns.Api.Validation;
using Campaigns.Core.Content;
using Campaigns.Core.Domain;
using Campaigns.Core.Languages;
using Campaigns.Core.Links;
using Campaigns.Core.Recommendations;
using Campaigns.Core.Templates;
using Campaigns.Core.Translation;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Campaigns.Api.Data;

/// <summary>
/// Attaches an audience to a campaign in one transaction: flips the status (exactly one concurrent
/// send wins), reads the recipients in chunks, renders each message (and a WhatsApp template's parameters)
/// with the shared template engine and binary-COPYs them into outbound_messages, then counts them. The
/// status change and the counters are the state machine's (migration 0006: <c>start_campaign_send</c>,
/// <c>count_created_messages</c>). A WhatsApp campaign without a template when its providers send nothing else,
/// and a template that can render past its channel's limit, are refused before anything is read. Any refusal or failure rolls
/// everything back. Memory stays bounded by the chunk size, whatever the audience's size.
/// The caller owns the transaction (so it can record an idempotency key in it) and commits it.
/// </summary>
public sealed class CampaignSendWriter(NpgsqlDataSource dataSource, IOptions<SendOptions> options, IOptions<TemplateOptions> templates,
    IOptionsMonitor<ProviderChainOptions> chains, IOptions<ComplianceOptions> compliance, IOptions<LinkTrackingOptions> links,
    RecipientLanguages languages, IProductRecommender recommender, TemplateTranslator translator)
{
    private const int MaxMissingIdsReported = 100;
    private const string CustomerReference = "outbound_messages_customer_id_fkey";

    /// <summary>Postgres's <c>infinity</c>: an A/B test's message before its release (no sweep, resume or claim reaches it).</summary>
    private static readonly DateTime NeverDue = DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc);

    private const string ListedChunk = "WHERE id = ANY(@ids) ORDER BY id";

    /// <summary>A chunk of a listed audience with its skip rules, a frequency cap among them (public for its plan test).</summary>
    public static readonly string ListedCappedRecipientsSql = RecipientRow.ReadSql(ListedChunk, capped: true);

    private static readonly string ListedRecipientsSql = RecipientRow.ReadSql(ListedChunk, capped: false);

    /// <summary>A chunk of a filtered (or the whole) audience, after the last id read.</summary>
    private const string MatchingChunk = """
        WHERE (@location::text IS NULL OR lower(location) = lower(@location))
          AND (@product::text IS NULL OR lower(preferred_product) = lower(@product))
          AND id > @afterId
        ORDER BY id
        LIMIT @limit
        """;

    private static readonly string MatchingCappedRecipientsSql = RecipientRow.ReadSql(MatchingChunk, capped: true);

    private static readonly string MatchingRecipientsSql = RecipientRow.ReadSql(MatchingChunk, capped: false);

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

        var chain = chains.Get(campaign.Channel);
        if (campaign.WhatsAppTemplate is null && campaign.Channel == Channel.WhatsApp && chain.SendsOnlyTemplates)
        {
            return new SendOutcome.NeedsWhatsAppTemplate(chain.Providers);
        }
        var linkPrefix = campaign.TrackLinks ? links.Value.Prefix : null;
        var own = new CampaignContent(campaign.BaseTemplate, campaign.DefaultLanguage, CampaignTranslations.FromJson(campaign.TranslationsJson),
            campaign.Variants.Variants);
        // auto_translate: each template a recipient can get (each variant's, with variants), held to every rule of base_template.
        var auto = campaign.AutoTranslate
            ? AutoTranslations.For(translator, campaignId, campaign.Channel, own, campaign.AutoTranslationsJson, templates.Value, linkPrefix)
            : null;
        // Translations (the model's too), variants (and the A/B test): the template each recipient gets is CampaignContent's choice.
        var content = auto?.Content ?? own;
        // Checked again now: a template may predate the limit, or the limit may have been lowered since.
        foreach (var (field, text) in content.Translations.Select(t => (CampaignRules.TranslationField(t.Key), t.Value))
                     .Prepend(("base_template", campaign.BaseTemplate)))
        {
            if (RenderedLength.Problem(field, MessageTemplate.Parse(text), campaign.Channel, templates.Value.MaxSmsSegments, linkPrefix) is { } tooLong)
            {
                return new SendOutcome.TemplateTooLong(tooLong);
            }
        }
        for (var i = 0; i < content.Variants.Count; i++)
        {
            if (RenderedLength.Problem($"variants[{i}].template", MessageTemplate.Parse(content.Variants[i].Template), campaign.Channel,
                    templates.Value.MaxSmsSegments, linkPrefix) is { } variantTooLong)
            {
                return new SendOutcome.TemplateTooLong(variantTooLong);
            }
        }
        // Sent now: queued at once (the caller publishes them after commit). Scheduled: waiting until scheduled_at,
        // when the dispatched campaign's messages are due for the retry driver to queue. Every time written is
        // Postgres's (the now() start_campaign_send returned, or scheduled_at), never this process's clock: the
        // state machine compares them with now() in the database.
        var dispatchNow = campaign.Status == CampaignStatus.Sending;
        var queue = dispatchNow ? new QueueState(campaign.QueuedAt, null) : new QueueState(campaign.QueuedAt, campaign.ScheduledAt!.Value);
        var tally = new Tally();
        var skipRules = new SkipRules(campaign.Channel, compliance.Value.CapOf(campaign.Channel));
        var chunks = recipients switch
        {
            Recipients.Listed listed => ReadListedAsync(connection, listed.SortedDistinctIds, skipRules, tally, cancellationToken),
            Recipients.Matching matching => ReadMatchingAsync(connection, matching, skipRules, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(recipients)),
        };
        var parameters = campaign.Channel == Channel.WhatsApp ? campaign.WhatsAppTemplate?.Parameters : null;
        // {recommended_product}: the recommender's picks for the whole send, read once (only when a template uses it).
        var picks = await recommender.PicksForAsync(connection, content, parameters ?? [], cancellationToken);
        // With an A/B test every message is written without text first; the sample is rendered once the audience is known.
        var abTest = campaign.Variants.AbTest;
        var rendering = new Rendering(campaignId, new RecipientRendering(content, languages, picks), parameters?.Select(MessageTemplate.Parse).ToArray(),
            linkPrefix is null || abTest is not null ? null : new LinkShortening(campaignId, linkPrefix),
            abTest is null ? null : new AbTestSample(campaignId));
        // Sent now with a window: each message of a zone whose window is closed is written waiting for its opening
        // (no job is published for it). A scheduled campaign's messages are judged at their claims.
        var openings = dispatchNow && campaign.HasSendWindow ? new SendWindowOpenings(campaignId) : null;
        // Each chunk is rendered (CPU) on another thread while the one before is written and the one after read (the
        // connection): the two cores work at once. Renders run one at a time, in order.
        (List<RecipientRow> Rows, Task<RenderedChunk> Render)? previous = null;
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            if (tally.Missing.Count > 0)
            {
                continue; // only collecting missing ids now; nothing will be written
            }
            var rows = new List<RecipientRow>(chunk.Count);
            foreach (var row in chunk)
            {
                if (row.Skipped is { } skip)
                {
                    tally.Count(skip);
                }
                else
                {
                    rows.Add(row);
                }
            }
            if (openings is not null)
            {
                await openings.LearnAsync(connection, rows, cancellationToken);
            }
            // The render before must be done: it may still read the content auto_translate is about to extend.
            var rendered = previous is { } before ? await before.Render : null;
            // auto_translate: the languages of this chunk met for the first time are translated before it is rendered.
            if (auto is not null && await auto.LearnAsync(
                    rows.Select(r => languages.Resolve(r.Language, r.Fields.Phone ?? "", campaign.DefaultLanguage)), cancellationToken))
            {
                content = auto.Content;
                rendering = rendering with { Recipients = new RecipientRendering(content, languages, picks) };
            }
            var render = RenderInBackground(rendering, rows, cancellationToken);
            if (previous is { } written && await WriteChunkAsync(connection, campaignId, rendering, written.Rows, rendered!, queue, openings,
                    tally, cancellationToken) is { } refused)
            {
                await ((Task)render).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                return refused;
            }
            previous = (rows, render);
        }
        if (previous is { } last && tally.Missing.Count == 0 && await WriteChunkAsync(connection, campaignId, rendering, last.Rows,
                await last.Render, queue, openings, tally, cancellationToken) is { } lastRefused)
        {
            return lastRefused;
        }

        if (tally.Missing.Count > 0)
        {
            return new SendOutcome.CustomersMissing(tally.Missing);
        }
        if (tally.Created == 0)
        {
            return new SendOutcome.NoRecipients(tally.Skipped);
        }

        if (auto?.StoredJson is { } stored)
        {
            // The whole column: the campaign's row is this send's (locked since the flip).
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE campaigns SET auto_translations = @stored::jsonb WHERE id = @campaignId",
                new { campaignId, stored }, transaction, cancellationToken: cancellationToken));
        }
        if (abTest is not null)
        {
            await AbTestSend.ReleaseSampleAsync(connection, campaignId, content, linkPrefix, abTest, rendering.Sample!,
                dispatchNow ? campaign.QueuedAt : campaign.ScheduledAt!.Value, dispatchNow, languages, picks, cancellationToken);
        }
        await connection.ExecuteAsync(new CommandDefinition("SELECT count_created_messages(@campaignId, @created)",
            new { campaignId, created = tally.Created }, transaction, cancellationToken: cancellationToken));
        // The jobs are published after commit, a page at a time, from the rows themselves (they carry the stamp).
        return new SendOutcome.Accepted(tally.Created, campaign.QueuedAt, tally.Skipped, campaign.Status, dispatchNow);
    }

    /// <summary>
    /// The one statement that decides which of many concurrent sends wins: the row lock serialises
    /// them and every later one sees the audience already attached.
    /// </summary>
    private static async Task<FlippedCampaign?> FlipStatusAsync(NpgsqlConnection connection, long campaignId, CancellationToken cancellationToken)
    {
        // The channel and WhatsApp template in a statement of their own, after the flip: it sees the row as the flip
        // left it (a PATCH that committed while the flip waited for the lock included), and the row is this send's
        // from then on.
        const string sql = """
            SELECT status, base_template, scheduled_at, queued_at FROM start_campaign_send(@campaignId);
            SELECT channel, whatsapp_template::text AS whatsapp_template_json, send_window IS NOT NULL AS has_send_window, track_links,
                   translations::text AS translations_json, default_language,
                   campaign_variant_settings(id)::text AS variant_settings_json,
                   auto_translate, auto_translations::text AS auto_translations_json
            FROM campaigns WHERE id = @campaignId;
            """;
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { campaignId },
            cancellationToken: cancellationToken));
        var flipped = await results.ReadSingleOrDefaultAsync<FlippedCampaign>();
        var row = await results.ReadSingleOrDefaultAsync<ChannelRow>();
        return flipped is null ? null
            : flipped with
            {
                Channel = row!.Channel,
                WhatsAppTemplate = WhatsAppTemplate.FromJson(row.WhatsAppTemplateJson),
                HasSendWindow = row.HasSendWindow,
                TrackLinks = row.TrackLinks,
                TranslationsJson = row.TranslationsJson,
                DefaultLanguage = row.DefaultLanguage,
                Variants = VariantSettings.FromJson(row.VariantSettingsJson),
                AutoTranslate = row.AutoTranslate,
                AutoTranslationsJson = row.AutoTranslationsJson,
            };
    }

    private async IAsyncEnumerable<List<RecipientRow>> ReadListedAsync(NpgsqlConnection connection, long[] sortedIds, SkipRules skipRules,
        Tally tally,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunkSize = options.Value.ChunkSize;
        for (var offset = 0; offset < sortedIds.Length && tally.Missing.Count < MaxMissingIdsReported; offset += chunkSize)
        {
            var ids = sortedIds.AsSpan(offset, Math.Min(chunkSize, sortedIds.Length - offset)).ToArray();
            var rows = await RecipientRow.ReadAsync(connection, skipRules.Cap > 0 ? ListedCappedRecipientsSql : ListedRecipientsSql, cmd =>
            {
                cmd.Parameters.AddWithValue("ids", ids);
                RecipientRow.BindSkipRules(cmd, skipRules.Channel, skipRules.Cap);
            }, cancellationToken);
            if (rows.Count < ids.Length)
            {
                CollectMissing(ids, rows, tally.Missing);
            }
            yield return rows;
        }
    }

    private async IAsyncEnumerable<List<RecipientRow>> ReadMatchingAsync(NpgsqlConnection connection, Recipients.Matching matching,
        SkipRules skipRules,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var afterId = 0L;
        while (true)
        {
            var rows = await RecipientRow.ReadAsync(connection, skipRules.Cap > 0 ? MatchingCappedRecipientsSql : MatchingRecipientsSql, cmd =>
            {
                cmd.Parameters.Add(new NpgsqlParameter("location", NpgsqlDbType.Text) { Value = (object?)matching.Filter.Location ?? DBNull.Value });
                cmd.Parameters.Add(new NpgsqlParameter("product", NpgsqlDbType.Text) { Value = (object?)matching.Filter.PreferredProduct ?? DBNull.Value });
                cmd.Parameters.AddWithValue("afterId", afterId);
                cmd.Parameters.AddWithValue("limit", options.Value.ChunkSize);
                RecipientRow.BindSkipRules(cmd, skipRules.Channel, skipRules.Cap);
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

    /// <summary>Which of the customers just read are gone (asked on a connection of its own: the send's is aborted).</summary>
    private async Task<IReadOnlyList<long>> DeletedSinceReadAsync(List<RecipientRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var gone = await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT u.id FROM unnest(@ids) AS u(id)
            WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = u.id)
            ORDER BY u.id LIMIT @limit
            """, new { ids = rows.Select(r => r.Id).ToArray(), limit = MaxMissingIdsReported }, cancellationToken: cancellationToken));
        return gone.AsList();
    }

    /// <summary>Renders a chunk on the thread pool (<see cref="Render"/>), so the connection can write the chunk before meanwhile.</summary>
    private static Task<RenderedChunk> RenderInBackground(Rendering rendering, List<RecipientRow> rows, CancellationToken cancellationToken) =>
        Task.Run(() => Render(rendering, rows), cancellationToken);

    /// <summary>
    /// Each message's variant, and its text in its recipient's language (none for an A/B test's messages: its sample
    /// is rendered after the copy).
    /// </summary>
    private static RenderedChunk Render(Rendering rendering, List<RecipientRow> rows)
    {
        var chunk = new RenderedChunk(new string?[rows.Count], new string?[rows.Count], new string?[rows.Count]);
        for (var r = 0; r < rows.Count && rendering.Sample is null; r++)
        {
            chunk.Variants[r] = rendering.VariantOf(rows[r].Id);
            (chunk.Texts[r], chunk.Languages[r]) = rendering.Recipients.Render(rows[r], chunk.Variants[r]);
        }
        return chunk;
    }

    /// <summary>A chunk's rendering: per row, its variant, its text (links as written) and that text's language.</summary>
    private sealed record RenderedChunk(string?[] Variants, string?[] Texts, string?[] Languages);

    /// <summary>Writes a rendered chunk and counts it; a refusal when a customer was deleted since it was read.</summary>
    private async Task<SendOutcome?> WriteChunkAsync(NpgsqlConnection connection, long campaignId, Rendering rendering,
        List<RecipientRow> rows, RenderedChunk rendered, QueueState queue, SendWindowOpenings? openings, Tally tally,
        CancellationToken cancellationToken)
    {
        try
        {
            await CopyMessagesAsync(connection, campaignId, rendering, rows, rendered, queue, openings, cancellationToken);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.ForeignKeyViolation, ConstraintName: CustomerReference })
        {
            // Read, then deleted by another request before its message was written: the send is
            // refused as for any missing customer (this transaction is aborted; it rolls back).
            return new SendOutcome.CustomersMissing(await DeletedSinceReadAsync(rows, cancellationToken));
        }
        tally.Created += rows.Count;
        return null;
    }

    private static async Task CopyMessagesAsync(NpgsqlConnection connection, long campaignId, Rendering rendering,
        List<RecipientRow> rows, RenderedChunk chunk, QueueState queue, SendWindowOpenings? openings, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var (variants, texts, textLanguages) = (chunk.Variants, chunk.Texts, chunk.Languages);
        // With link tracking the chunk's links are written first (their codes final), under message ids taken now.
        var tracked = rendering.Links is { } shortening ? await shortening.WriteLinksAsync(connection, texts!, null, cancellationToken) : null;
        await using var writer = await connection.BeginBinaryImportAsync(tracked is null
            ? """
              COPY outbound_messages (campaign_id, customer_id, rendered_content, template_parameters, queued_at, next_attempt_at, not_before,
                                      variant, language)
              FROM STDIN (FORMAT BINARY)
              """
            : """
              COPY outbound_messages (id, campaign_id, customer_id, rendered_content, template_parameters, queued_at, next_attempt_at, not_before,
                                      variant, language)
              FROM STDIN (FORMAT BINARY)
              """, cancellationToken);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            await writer.StartRowAsync(cancellationToken);
            if (tracked is not null)
            {
                await writer.WriteAsync(tracked.Ids[r], NpgsqlDbType.Bigint, cancellationToken);
            }
            await writer.WriteAsync(campaignId, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(row.Id, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(writer, tracked?.Texts[r] ?? texts[r], cancellationToken);
            if (rendering.Parameters is { } parameters)
            {
                var fields = rendering.Recipients.FieldsOf(row);
                var rendered = new string[parameters.Length];
                for (var i = 0; i < parameters.Length; i++)
                {
                    rendered[i] = parameters[i].Render(fields);
                }
                await writer.WriteAsync(rendered, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            }
            else
            {
                await writer.WriteNullAsync(cancellationToken);
            }
            if (rendering.Sample is { } sample)
            {
                // An A/B test's message: never due (infinity) until the sample is chosen (it, then) or the winner decided (the rest).
                sample.Add(row.Id);
                await writer.WriteNullAsync(cancellationToken);
                await writer.WriteAsync(NeverDue, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteNullAsync(cancellationToken);
            }
            else if (queue.WaitingUntil is { } due)
            {
                await writer.WriteNullAsync(cancellationToken);
                await writer.WriteAsync(due, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteNullAsync(cancellationToken);
            }
            else if (openings?.OpensAt(row) is { } opens)
            {
                // Waiting for the recipient's window: due at its opening, which not_before shows.
                await writer.WriteNullAsync(cancellationToken);
                await writer.WriteAsync(opens, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(opens, NpgsqlDbType.TimestampTz, cancellationToken);
            }
            else
            {
                await writer.WriteAsync(queue.QueuedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(queue.QueuedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteNullAsync(cancellationToken);
            }
            await WriteNullableAsync(writer, variants[r], cancellationToken);
            await WriteNullableAsync(writer, textLanguages[r], cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? text, CancellationToken cancellationToken)
    {
        if (text is null)
        {
            await writer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await writer.WriteAsync(text, NpgsqlDbType.Text, cancellationToken);
        }
    }

    private sealed class Tally
    {
        private int _optedOut;
        private int _suppressed;
        private int _frequencyCapped;

        public int Created;
        public readonly List<long> Missing = [];

        public SkipCounts Skipped => new(_optedOut, _suppressed, _frequencyCapped);

        public void Count(RecipientRow.Skip skip)
        {
            switch (skip)
            {
                case RecipientRow.Skip.OptedOut: _optedOut++; break;
                case RecipientRow.Skip.Suppressed: _suppressed++; break;
                default: _frequencyCapped++; break;
            }
        }
    }

    /// <summary>The campaign's channel and that channel's daily cap: who a send leaves out besides the opted out.</summary>
    private sealed record SkipRules(string Channel, int Cap);

    private sealed record FlippedCampaign
    {
        public string Status { get; init; } = "";
        public string BaseTemplate { get; init; } = "";
        public DateTime? ScheduledAt { get; init; }
        public DateTime QueuedAt { get; init; }
        public string Channel { get; init; } = "";
        public WhatsAppTemplate? WhatsAppTemplate { get; init; }
        public bool HasSendWindow { get; init; }
        public bool TrackLinks { get; init; }
        public string? TranslationsJson { get; init; }
        public string DefaultLanguage { get; init; } = CampaignContent.DefaultLanguage;
        public VariantSettings Variants { get; init; } = VariantSettings.None;
        public bool AutoTranslate { get; init; }
        public string? AutoTranslationsJson { get; init; }
    }

    private sealed record ChannelRow
    {
        public string Channel { get; init; } = "";
        public string? WhatsAppTemplateJson { get; init; }
        public bool HasSendWindow { get; init; }
        public bool TrackLinks { get; init; }
        public string? TranslationsJson { get; init; }
        public string DefaultLanguage { get; init; } = CampaignContent.DefaultLanguage;
        public string? VariantSettingsJson { get; init; }
        public bool AutoTranslate { get; init; }
        public string? AutoTranslationsJson { get; init; }
    }

    /// <summary>
    /// What each message's text is rendered from: each recipient's template and values, and a WhatsApp template's
    /// parameters (null without one). With link tracking, <paramref name="Links"/> shortens each text's URLs (null without).
    /// With an A/B test, <paramref name="Sample"/> collects the audience, written without text (null without).
    /// </summary>
    private sealed record Rendering(long CampaignId, RecipientRendering Recipients, MessageTemplate[]? Parameters, LinkShortening? Links,
        AbTestSample? Sample)
    {
        public CampaignContent Content => Recipients.Content;

        /// <summary>The recipient's variant (null for a campaign without variants).</summary>
        public string? VariantOf(long customerId) =>
            Content.HasVariants ? VariantAssignment.Pick(CampaignId, customerId, Content.Variants) : null;
    }

    /// <summary>How the messages are written: queued with the send's stamp, or waiting until a time.</summary>
    private readonly record struct QueueState(DateTime QueuedAt, DateTime? WaitingUntil);
}
