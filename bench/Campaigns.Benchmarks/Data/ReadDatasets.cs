using Dapper;

namespace Campaigns.Benchmarks.Data;

/// <summary>The read scenarios' data, written by SQL and consistent with what the API and worker would have made.</summary>
public static class ReadDatasets
{
    /// <summary>A delivered campaign of <paramref name="messages"/> messages, its counters set to match them.</summary>
    public static async Task<long> CreateDeliveredCampaignAsync(BenchDatabase database, int messages, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH campaign AS (
                INSERT INTO campaigns (name, channel, status, base_template, audience_attached_at,
                                       total_count, sent_count)
                VALUES ('bench: stats', 'sms', 'sent', @template, now(), @messages, @messages)
                RETURNING id
            ),
            messages AS (
                INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content, next_attempt_at)
                SELECT campaign.id, u.id, 'sent',
                       'Hi ' || u.first_name || '! ' || u.preferred_product || ' is 20% off in ' || u.location || ' this weekend.',
                       now()
                FROM campaign, (SELECT id, first_name, preferred_product, location FROM customers ORDER BY id LIMIT @messages) u
                RETURNING 1
            )
            SELECT id, (SELECT count(*) FROM messages) FROM campaign
            """;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var (campaignId, written) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(sql,
            new { messages, template = BenchDatabase.Template }, cancellationToken: cancellationToken));
        if (written != messages)
        {
            throw new InvalidOperationException($"Only {written} customers for a campaign of {messages} messages");
        }
        return campaignId;
    }

    /// <summary><paramref name="count"/> draft campaigns (no messages, so zero counters are the truth).</summary>
    public static async Task CreateCampaignsAsync(BenchDatabase database, int count, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO campaigns (name, channel, status, base_template)
            SELECT 'bench: list ' || g, CASE WHEN g % 2 = 0 THEN 'sms' ELSE 'whatsapp' END, 'draft', @template
            FROM generate_series(1, @count) AS g
            """;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { count, template = BenchDatabase.Template },
            cancellationToken: cancellationToken));
    }

    /// <summary>The id of the campaign <paramref name="depth"/> rows down the list (newest first, as the API lists them).</summary>
    public static async Task<long> CampaignIdAtDepthAsync(BenchDatabase database, int depth, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT id FROM campaigns ORDER BY id DESC OFFSET @depth LIMIT 1", new { depth }, cancellationToken: cancellationToken));
    }
}
