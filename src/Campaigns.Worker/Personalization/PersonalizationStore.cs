using System.Collections.Concurrent;
using Campaigns.Core.Domain;
using Campaigns.Core.Personalization;
using Campaigns.Core.Templates;
using Dapper;
using Npgsql;

namespace Campaigns.Worker.Personalization;

/// <summary>
/// The worker's reads and writes for AI personalization: a campaign's settings (read once per campaign: they cannot
/// change once it was sent), a claimed message's customer fields and whether its text was written already, and the
/// written text itself, stored before the provider call so that a retry sends the same text without asking the model again.
/// </summary>
public sealed class PersonalizationStore(NpgsqlDataSource dataSource)
{
    // Campaigns seen by this process; forgotten all at once past this many (each costs one read to learn again).
    private const int MaxCachedCampaigns = 10_000;

    private readonly ConcurrentDictionary<long, Task<CampaignPersonalization?>> _campaigns = new();

    public sealed class MessageRow
    {
        public string? Personalization { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Location { get; init; }
        public string? PreferredProduct { get; init; }

        public TemplateFields Fields => new(FirstName, LastName, Location, PreferredProduct);
    }

    /// <summary>The campaign's personalization; null when it has none.</summary>
    public async Task<CampaignPersonalization?> SettingsAsync(long campaignId, CancellationToken cancellationToken)
    {
        // Every message of every campaign passes here: a lookup only (Count takes all the dictionary's locks).
        if (!_campaigns.TryGetValue(campaignId, out var read))
        {
            if (_campaigns.Count > MaxCachedCampaigns)
            {
                _campaigns.Clear();
            }
            read = _campaigns.GetOrAdd(campaignId, id => ReadSettingsAsync(id, CancellationToken.None));
        }
        try
        {
            return await read.WaitAsync(cancellationToken);
        }
        catch (Exception) when (read.IsFaulted)
        {
            // Not remembered: the next message reads again.
            _campaigns.TryRemove(new KeyValuePair<long, Task<CampaignPersonalization?>>(campaignId, read));
            throw;
        }
    }

    private async Task<CampaignPersonalization?> ReadSettingsAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT personalization::text FROM campaigns WHERE id = @campaignId", new { campaignId }, cancellationToken: cancellationToken));
        return CampaignPersonalization.FromJson(json);
    }

    /// <summary>Null when the message is gone.</summary>
    public async Task<MessageRow?> ReadMessageAsync(long campaignId, long messageId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT m.personalization, c.first_name, c.last_name, c.location, c.preferred_product
            FROM outbound_messages m JOIN customers c ON c.id = m.customer_id
            WHERE m.id = @messageId AND m.campaign_id = @campaignId
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(sql, new { campaignId, messageId },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Stores the text the message goes out with, while the claim is still this worker's (<c>sending</c>, the claimed
    /// retry_count) and nothing was written before. False when that no longer holds.
    /// </summary>
    public async Task<bool> WriteAsync(long campaignId, long messageId, int claimedRetryCount, PersonalizedText text,
        CancellationToken cancellationToken)
    {
        const string sql = $"""
            UPDATE outbound_messages SET rendered_content = @text, personalization = @personalization
            WHERE id = @messageId AND campaign_id = @campaignId AND status = '{MessageStatus.Sending}' AND retry_count = @claimedRetryCount AND personalization IS NULL
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var written = await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            campaignId,
            messageId,
            claimedRetryCount,
            text = text.Text,
            personalization = text.Personalization,
        }, cancellationToken: cancellationToken));
        return written == 1;
    }
}
