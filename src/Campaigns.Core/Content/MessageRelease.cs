using Campaigns.Core.Languages;
using Campaigns.Core.Links;
using Campaigns.Core.Recommendations;
using Campaigns.Core.Templates;
using Dapper;
using Npgsql;

namespace Campaigns.Core.Content;

/// <summary>
/// Gives an A/B test's unrendered messages (pending, variant and text null, due at infinity) their variant and text, set-based,
/// and makes them due: the sample in the send's transaction (the API, each recipient's own variant), the rest in the
/// decision's (the worker, the winner). Texts are rendered with <see cref="CampaignContent"/>'s rule in each recipient's
/// language (<see cref="RecipientLanguages"/>) and, with link tracking, shortened with links written for the messages' own
/// ids. One instance per transaction (its link staging). <c>{recommended_product}</c> is filled from the recommender's picks
/// (<see cref="ProductPicks.Fill"/>, as the send fills it), read once by the caller for the whole release.
/// </summary>
/// <param name="linkPrefix">What precedes a short link's code when the campaign tracks links; null otherwise.</param>
/// <param name="picks">The recommender's picks (<see cref="CampaignRecommendations.PicksForAsync"/>); null when no template uses them.</param>
public sealed class MessageRelease(long campaignId, CampaignContent content, string? linkPrefix, RecipientLanguages languages,
    ProductPicks? picks)
{
    private readonly LinkShortening? _links = linkPrefix is null ? null : new LinkShortening(campaignId, linkPrefix);

    /// <summary>An unrendered message and what its text is rendered from.</summary>
    public sealed record Unrendered(long Id, long CustomerId, TemplateFields Fields, string? Language);

    private const string ReadColumns = """
        SELECT m.id, m.customer_id, c.first_name, c.last_name, c.location, c.preferred_product, c.phone, c.language
        FROM outbound_messages m JOIN customers c ON c.id = m.customer_id
        """;

    /// <summary>The campaign's unrendered messages of these customers (the sample).</summary>
    public async Task<List<Unrendered>> ReadOfCustomersAsync(NpgsqlConnection connection, long[] customerIds, CancellationToken cancellationToken) =>
        await ReadAsync(connection, $"""
            {ReadColumns}
            WHERE m.campaign_id = @campaignId AND m.customer_id = ANY(@customerIds) AND m.variant IS NULL AND m.status = 'pending'
            ORDER BY m.id
            """, new { campaignId, customerIds }, cancellationToken);

    /// <summary>
    /// The next <paramref name="limit"/> unrendered messages of the campaign after <paramref name="afterId"/> (the rest),
    /// locked: a message deleted meanwhile (its customer deleted) goes after the release commits, and its links with it.
    /// </summary>
    public async Task<List<Unrendered>> ReadNextAsync(NpgsqlConnection connection, long afterId, int limit, CancellationToken cancellationToken) =>
        await ReadAsync(connection, $"""
            {ReadColumns}
            WHERE m.campaign_id = @campaignId AND m.status = 'pending' AND m.variant IS NULL AND m.id > @afterId
            ORDER BY m.id
            LIMIT @limit
            FOR NO KEY UPDATE OF m
            """, new { campaignId, afterId, limit }, cancellationToken);

    private static async Task<List<Unrendered>> ReadAsync(NpgsqlConnection connection, string sql, object parameters,
        CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(long Id, long CustomerId, string FirstName, string LastName, string Location,
            string PreferredProduct, string Phone, string? Language)>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new Unrendered(r.Id, r.CustomerId,
            new TemplateFields(r.FirstName, r.LastName, r.Location, r.PreferredProduct, r.Phone), r.Language))];
    }

    /// <summary>Renders each message in its variant and releases them in one statement (<c>release_held_messages</c>, migrations 0026 and 0036).</summary>
    /// <param name="variantOf">The message's variant key.</param>
    /// <param name="queuedAt">The send's stamp when the caller publishes their jobs after commit; null: the retry driver queues them.</param>
    /// <param name="dueAt">When they are due (the stamp, or scheduled_at); null: now.</param>
    /// <returns>How many messages were released.</returns>
    public async Task<int> ReleaseAsync(NpgsqlConnection connection, IReadOnlyList<Unrendered> messages, Func<Unrendered, string> variantOf,
        DateTime? queuedAt, DateTime? dueAt, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return 0;
        }
        var ids = new long[messages.Count];
        var variants = new string[messages.Count];
        var texts = new string[messages.Count];
        var textLanguages = new string[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            ids[i] = message.Id;
            variants[i] = variantOf(message);
            var choice = content.Choose(variants[i], languages.Resolve(message.Language, message.Fields.Phone ?? "", content.Language));
            texts[i] = content.Parse(choice).Render(picks is null ? message.Fields : picks.Fill(message.Fields));
            textLanguages[i] = choice.Language;
        }
        if (_links is not null)
        {
            texts = (await _links.WriteLinksAsync(connection, texts, ids, cancellationToken)).Texts;
        }
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT release_held_messages(@campaignId, @ids, @variants, @texts, @textLanguages, @queuedAt::timestamptz, @dueAt::timestamptz)",
            new { campaignId, ids, variants, texts, textLanguages, queuedAt, dueAt }, cancellationToken: cancellationToken));
    }
}
